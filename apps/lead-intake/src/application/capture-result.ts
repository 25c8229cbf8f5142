import type { CaptureOutcome } from '../domain/idempotency-key';
import type { Lead } from '../domain/lead';

// created: a new lead. merged: the capture of a known person, added to their lead. replayed: an earlier request
// (the same Idempotency-Key, or a retry that reached the lead before) answered again; `firstOutcome` says what
// that first request did, and for created and merged is the outcome itself. The HTTP adapter answers 201 for a
// lead created first, else 200.
export interface CaptureResult {
  lead: Lead;
  outcome: CaptureOutcome | 'replayed';
  firstOutcome: CaptureOutcome;
}
