import { ValidationError } from '@crm/errors';
import { activityBudgetBytes, activityBytes, activityRefusal, maxActivitiesPerDeal, newActivity, type ActivityInput } from './activity';

const now = new Date('2026-05-10T12:00:00Z');
const call: ActivityInput = { kind: 'call', subject: ' Intro call ', notes: '', occurredAt: undefined, actor: 'ana', proposal: null };
const proposal: ActivityInput = {
  kind: 'proposal',
  subject: 'Offer v1',
  notes: '',
  occurredAt: new Date('2026-05-09T15:00:00Z'),
  actor: 'ana',
  proposal: { price: { currency: 'EUR', amountMinor: 1_200_000n }, terms: ' 12 months, net 30 ', validUntil: '2026-06-09' },
};

const fieldsOf = (input: ActivityInput) => {
  try {
    newActivity('a1', input, now);
  } catch (err) {
    if (err instanceof ValidationError) return err.violations.map((v) => v.field);
    throw err;
  }
  return [];
};

describe('activities', () => {
  it('records a call now when no time is given, trimmed', () => {
    expect(newActivity('a1', call, now)).toMatchObject({
      id: 'a1',
      subject: 'Intro call',
      occurredAt: now,
      recordedAt: now,
      proposal: null,
    });
  });

  it('records a proposal with price, terms and validity at the time it happened', () => {
    expect(newActivity('a2', proposal, now)).toMatchObject({
      occurredAt: new Date('2026-05-09T15:00:00Z'),
      recordedAt: now,
      proposal: { price: { amountMinor: 1_200_000n }, terms: '12 months, net 30', validUntil: '2026-06-09' },
    });
  });

  it('refuses a proposal without its proposal or with an impossible date, and a proposal on another kind', () => {
    expect(fieldsOf({ ...proposal, proposal: null })).toEqual(['proposal']);
    expect(fieldsOf({ ...proposal, proposal: { ...proposal.proposal!, validUntil: '2026-02-30' } })).toEqual(['proposal.valid_until']);
    expect(fieldsOf({ ...call, proposal: proposal.proposal })).toEqual(['proposal']);
  });

  it('refuses an empty note and one dated in the future beyond a small clock skew', () => {
    expect(fieldsOf({ ...call, kind: 'note', subject: ' ', notes: '' })).toEqual(['subject']);
    expect(fieldsOf({ ...call, occurredAt: new Date(now.getTime() + 4 * 60_000) })).toEqual([]);
    expect(fieldsOf({ ...call, occurredAt: new Date(now.getTime() + 6 * 60_000) })).toEqual(['occurred_at']);
  });

  it('counts an activity by the UTF-8 size of its texts, so non-ASCII text counts for what it stores', () => {
    const ascii = activityBytes(newActivity('a1', { ...call, notes: 'a'.repeat(1000) }, now));
    const euros = activityBytes(newActivity('a1', { ...call, notes: '€'.repeat(1000) }, now));
    expect(euros - ascii).toBe(2000);
    const withTerms = activityBytes(newActivity('a2', { ...proposal, proposal: { ...proposal.proposal!, terms: 'ñ'.repeat(100) } }, now));
    expect(withTerms - activityBytes(newActivity('a2', { ...proposal, proposal: { ...proposal.proposal!, terms: '' } }, now))).toBe(200);
  });

  it('lets a deal take an activity that fills its budget exactly, and refuses one byte more or one activity too many', () => {
    expect(activityRefusal({ count: 10, bytes: activityBudgetBytes - 500 }, 500)).toBeUndefined();
    expect(activityRefusal({ count: 10, bytes: activityBudgetBytes - 500 }, 501)).toContain(`budget of ${activityBudgetBytes} bytes`);
    expect(activityRefusal({ count: maxActivitiesPerDeal - 1, bytes: 0 }, 500)).toBeUndefined();
    expect(activityRefusal({ count: maxActivitiesPerDeal, bytes: 0 }, 500)).toContain(`${maxActivitiesPerDeal} activities`);
  });
});
