import { bodyHash } from './body-hash';
import { legacySpellingOf } from './decision-role';
import type { LeadCapture } from './lead';

// The digest an Idempotency-Key keeps of its capture, then the digests the same capture had under earlier spellings:
// a key stored before the decision role's spelling changed was hashed over the body as spelled then, and a retry of
// that request is still the same request.
export function captureHashes(capture: LeadCapture): string[] {
  const legacy = legacySpellingOf(capture.hints.decisionRole);
  const hashes = [bodyHash(capture)];
  if (legacy !== undefined) hashes.push(bodyHash({ ...capture, hints: { ...capture.hints, decisionRole: legacy } }));
  return hashes;
}
