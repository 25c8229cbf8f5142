import { bodyHash } from './body-hash';
import { earlierSpellingHashes } from './capture-hashes';
import { decisionRoleOf } from './decision-role';
import { aCapture } from './lead.fixture';

const hints = { budget: null, timelineDays: null, companySize: '' as const };

describe('the digests a capture had under earlier spellings', () => {
  it('include the digest of the body as spelled before decision-maker was shared, so an old key still matches', () => {
    const now = aCapture({ hints: { ...hints, decisionRole: 'decision-maker' } });
    const asSpelledThen = { ...now, hints: { ...now.hints, decisionRole: 'decision_maker' } };
    expect(earlierSpellingHashes(now)).toEqual([bodyHash(asSpelledThen)]);
  });

  it('are none when no role had another spelling', () => {
    const capture = aCapture({ hints: { ...hints, decisionRole: 'user' } });
    expect(earlierSpellingHashes(capture)).toEqual([]);
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
