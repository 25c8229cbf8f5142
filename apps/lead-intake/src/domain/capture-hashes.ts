import { bodyHash } from './body-hash';
import { legacySpellingOf } from './decision-role';
import type { LeadCapture } from './lead';

// The digests the same capture had under earlier spellings: a key stored before the decision role's spelling
// changed was hashed over the body as spelled then, and a retry of that request is still the same request.
export function earlierSpellingHashes(capture: LeadCapture): string[] {
  const legacy = legacySpellingOf(capture.hints.decisionRole);
  return legacy === undefined ? [] : [bodyHash({ ...capture, hints: { ...capture.hints, decisionRole: legacy } })];
}
