import { addDays, isCalendarDate } from './calendar-date';
import { initialValue } from './deal-value';
import { completeFromLead, dealTitle, openDeal, roundRobinOwner } from './open-deal';
import { aLead, salesPipeline } from './test-fixtures';

const now = new Date('2026-11-28T23:30:00Z');
const policy = { currency: 'EUR', valueByInterest: { crm: 1_500_000n } };
const choice = {
  pipelineId: 'sales',
  pipeline: salesPipeline,
  assignment: { owner: 'ana', reason: 'round-robin 1 of 2' },
  openedBy: 'system',
};

describe('opening a deal', () => {
  it('opens in the first stage with the default value of the interest and the pipeline cycle as plazo', () => {
    const deal = openDeal('d1', aLead, choice, policy, now);
    expect(deal).toMatchObject({
      id: 'd1',
      leadId: 'l1',
      title: 'Acme - CRM',
      value: { currency: 'EUR', amountMinor: 1_500_000n },
      valueNeedsEstimate: false,
      pipelineId: 'sales',
      stage: 'qualified',
      status: 'open',
      expectedCloseDate: '2026-12-28',
      owner: 'ana',
      ownerReason: 'round-robin 1 of 2',
      sourceChannel: 'web-form',
      openedBy: 'system',
      idleSince: now,
      lastActivityAt: null,
      version: 1,
    });
    expect(deal.stageHistory).toEqual([{ stage: 'qualified', enteredAt: now, exitedAt: null, closedAs: null, enteredBy: 'system' }]);
  });

  it('takes what a person chose over what it would derive', () => {
    const deal = openDeal('d1', aLead, { ...choice, title: '  Big one ', value: { currency: 'USD', amountMinor: 5n } }, policy, now);
    expect(deal).toMatchObject({ title: 'Big one', value: { currency: 'USD', amountMinor: 5n }, valueNeedsEstimate: false });
  });

  it('titles a deal from what the lead gave', () => {
    expect(dealTitle({ ...aLead, company: '' })).toBe('Ana - CRM');
    expect(dealTitle({ ...aLead, interest: '' })).toBe('Acme');
    expect(dealTitle({ ...aLead, company: '', name: '', interest: '' })).toBe('Lead');
  });

  it('assigns owners in turn, saying which turn, and nobody when none is configured', () => {
    expect([0, 1, 2, 3].map((n) => roundRobinOwner(['a', 'b', 'c'], n))).toEqual([
      { owner: 'a', reason: 'round-robin 1 of 3' },
      { owner: 'b', reason: 'round-robin 2 of 3' },
      { owner: 'c', reason: 'round-robin 3 of 3' },
      { owner: 'a', reason: 'round-robin 1 of 3' },
    ]);
    expect(roundRobinOwner([], 5)).toEqual({ owner: '', reason: 'unassigned: no owners configured' });
  });

  it('counts calendar days in UTC across month and year ends, and knows a real date', () => {
    expect(addDays(new Date('2026-12-31T23:59:59Z'), 1)).toBe('2027-01-01');
    expect(addDays(new Date('2028-02-28T00:00:00Z'), 1)).toBe('2028-02-29');
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('9999-32-31')).toBe(false);
    expect(isCalendarDate('2027-2-1')).toBe(false);
  });
});

describe('value rules', () => {
  it('takes the stated budget in its own currency, converting nothing', () => {
    expect(initialValue({ currency: 'USD', amountMinor: 990_000n }, 'CRM', policy)).toEqual({
      value: { currency: 'USD', amountMinor: 990_000n },
      needsEstimate: false,
    });
  });

  it('falls back to the default of the interest, whatever its case and spacing, when no budget or a zero one', () => {
    const expected = { value: { currency: 'EUR', amountMinor: 1_500_000n }, needsEstimate: false };
    expect(initialValue(undefined, '  crm ', policy)).toEqual(expected);
    expect(initialValue({ currency: 'USD', amountMinor: 0n }, 'CRM', policy)).toEqual(expected);
  });

  it('opens at zero in the default currency, flagged for estimation, when nothing gives a value', () => {
    expect(initialValue(undefined, 'Consulting', policy)).toEqual({ value: { currency: 'EUR', amountMinor: 0n }, needsEstimate: true });
    expect(initialValue(undefined, '', policy)).toEqual({ value: { currency: 'EUR', amountMinor: 0n }, needsEstimate: true });
  });

  it('keeps a configured default of zero as a deliberate value, not one to estimate', () => {
    expect(initialValue(undefined, 'free', { currency: 'EUR', valueByInterest: { free: 0n } }).needsEstimate).toBe(false);
  });

  it('completes a deal opened knowing only the lead id from the lead snapshot, keeping what a person chose', () => {
    const byHand = openDeal(
      'd1',
      { leadId: 'l1', name: '', company: '', interest: '', sourceChannel: '' },
      { ...choice, openedBy: 'maria' },
      policy,
      now,
    );
    expect(completeFromLead(byHand, aLead)).toMatchObject({
      title: 'Acme - CRM',
      sourceChannel: 'web-form',
      version: 2,
      openedBy: 'maria',
    });
    const titled = openDeal(
      'd1',
      { ...aLead, company: '', name: '', interest: '', sourceChannel: '' },
      { ...choice, title: 'Renewal' },
      policy,
      now,
    );
    expect(completeFromLead(titled, aLead)).toMatchObject({ title: 'Renewal', sourceChannel: 'web-form' });
    expect(
      completeFromLead(openDeal('d1', aLead, choice, policy, now), { ...aLead, company: 'Other', sourceChannel: 'referral' }),
    ).toBeUndefined();
  });
});
