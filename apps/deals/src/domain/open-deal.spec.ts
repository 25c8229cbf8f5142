import { addDays, dealTitle, openDeal, ownerFor, type OpeningPolicy, type QualifiedLead } from './open-deal';
import { defaultSalesPipeline } from './pipeline';

const now = new Date('2026-11-28T23:30:00Z');
const lead: QualifiedLead = { leadId: 'l1', name: 'Ana', company: 'Acme', interest: 'CRM', sourceChannel: 'web-form' };
const policy: OpeningPolicy = { pipeline: defaultSalesPipeline, currency: 'EUR', valueByInterest: { crm: 1_500_000n }, owners: ['ana', 'ben'] };

describe('opening a deal', () => {
  it('opens in the first stage with the default value of the interest and the pipeline cycle as plazo', () => {
    const deal = openDeal('d1', lead, policy, now, 0);
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
      sourceChannel: 'web-form',
      version: 1,
    });
    expect(deal.stageHistory).toEqual([{ stage: 'qualified', enteredAt: now, exitedAt: null }]);
  });

  it('opens at zero, flagged for estimation, when the interest has no default value', () => {
    const deal = openDeal('d2', { ...lead, interest: 'Consulting' }, policy, now, 1);
    expect(deal).toMatchObject({ value: { currency: 'EUR', amountMinor: 0n }, valueNeedsEstimate: true, owner: 'ben' });
  });

  it('titles a deal from what the lead gave', () => {
    expect(dealTitle({ ...lead, company: '' })).toBe('Ana - CRM');
    expect(dealTitle({ ...lead, interest: '' })).toBe('Acme');
    expect(dealTitle({ ...lead, company: '', name: '', interest: '' })).toBe('Lead');
  });

  it('assigns owners in turn, and nobody when none is configured', () => {
    expect([0, 1, 2, 3].map((n) => ownerFor(['a', 'b', 'c'], n))).toEqual(['a', 'b', 'c', 'a']);
    expect(ownerFor([], 5)).toBe('');
  });

  it('counts calendar days in UTC across month and year ends', () => {
    expect(addDays(new Date('2026-12-31T23:59:59Z'), 1)).toBe('2027-01-01');
    expect(addDays(new Date('2028-02-28T00:00:00Z'), 1)).toBe('2028-02-29');
  });
});
