// What a capture did to the person's lead: created it, or merged into the lead they already had.
export type CaptureOutcome = 'created' | 'merged';

// An Idempotency-Key a channel used ("<channel>:<key>"), the hash of the body it came with and, once answered, the
// lead and what the capture did. Reserved before the capture runs, so a concurrent retry finds it.
export interface IdempotencyKey {
  id: string;
  bodyHash: string;
  leadId: string | null;
  outcome: CaptureOutcome | null;
  claimedAt: Date;
}
