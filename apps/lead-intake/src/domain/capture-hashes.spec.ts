import { bodyHash } from './body-hash';
import { captureHashes } from './capture-hashes';
import { decisionRoleOf } from './decision-role';
import { aCapture } from './lead.fixture';

const hints = { budget: null, timelineDays: null, companySize: '' as const };

describe('the digests of a capture for its Idempotency-Key', () => {
  it('include the digest of the body as spelled before decision-maker was shared, so an old key still matches', () => {
    const now = aCapture({ hints: { ...hints, decisionRole: 'decision-maker' } });
    const asSpelledThen = { ...now, hints: { ...now.hints, decisionRole: 'decision_maker' } };
    expect(captureHashes(now)).toEqual([bodyHash(now), bodyHash(asSpelledThen)]);
  });

  it('are only the one digest when no role had another spelling', () => {
    const capture = aCapture({ hints: { ...hints, decisionRole: 'user' } });
    expect(captureHashes(capture)).toEqual([bodyHash(capture)]);
  });
});

describe('a stored decision role', () => {
  it.each([
    ['decision_maker', 'decision-maker'],
    ['decision-maker', 'decision-maker'],
    ['influencer', 'influencer'],
    ['', ''],
    [undefined, ''],
    ['chief', ''],
  ])('%s reads as %s', (stored, role) => expect(decisionRoleOf(stored)).toBe(role));
});
