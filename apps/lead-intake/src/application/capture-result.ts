import type { Lead } from '../domain/lead';

// created: a new lead (201). merged: the capture of a known person, added to their lead (200). replayed: the
// answer to an earlier request with the same Idempotency-Key, given again (its first status).
export interface CaptureResult {
  lead: Lead;
  outcome: 'created' | 'merged' | 'replayed';
  status: 201 | 200;
}
