import { eventWithoutPersonalData } from './personal-data';
import { Deal, DealStatus } from './generated/crm/v1/deal';
import { Lead, LeadPriority } from './generated/crm/v1/lead';

describe('eventWithoutPersonalData', () => {
  const at = new Date('2026-12-01T10:00:00Z');
  const lead = Lead.fromPartial({
    id: 'l1',
    name: 'Ana Pérez',
    email: 'ana@acme.io',
    phone: '+34600000000',
    company: 'Acme',
    jobTitle: 'CTO',
    message: 'Call me',
    interest: 'CRM',
    tags: ['vip'],
    priority: LeadPriority.LEAD_PRIORITY_HIGH,
    customAttributes: { nickname: 'ana' },
    consent: { given: true, givenAt: at, text: 'I agree' },
    source: {
      channel: 'web-form',
      campaign: 'spring',
      referrer: 'https://x.example/?e=ana@acme.io',
      landingPageUrl: 'https://a.example/?ana',
    },
    touchpoints: [{ channel: 'web-form', at, message: 'Call me', interest: 'CRM', campaign: 'spring' }],
    createdAt: at,
  });

  it('empties the person from a lead and keeps its facts', () => {
    const minimized = eventWithoutPersonalData('lead.captured', { occurredAt: at, lead }).lead!;
    expect(JSON.stringify(minimized)).not.toMatch(/ana|Pérez|600000000|Acme|CTO|Call me|I agree/i);
    expect(minimized).toMatchObject({ id: 'l1', interest: 'CRM', tags: ['vip'], priority: LeadPriority.LEAD_PRIORITY_HIGH, createdAt: at });
    expect(minimized.source).toMatchObject({ channel: 'web-form', campaign: 'spring' });
    expect(minimized.touchpoints).toEqual([{ channel: 'web-form', at, message: '', interest: 'CRM', campaign: 'spring' }]);
  });

  it("empties a deal's free text and a decision's reason, and keeps the rest", () => {
    const deal = Deal.fromPartial({
      id: 'd1',
      leadId: 'l1',
      title: 'Acme - CRM',
      lostNote: 'Ana said no',
      status: DealStatus.DEAL_STATUS_LOST,
      lostReason: 'price',
      version: '3',
    });
    expect(eventWithoutPersonalData('deal.lost', { occurredAt: at, deal }).deal).toEqual({ ...deal, title: '', lostNote: '' });
    const qualified = eventWithoutPersonalData('lead.qualified', {
      occurredAt: at,
      leadId: 'l1',
      lead,
      score: 80,
      reason: 'Ana is keen',
      decidedBy: 'maria',
      ruleSetVersion: 'v1',
    });
    expect(qualified).toMatchObject({ leadId: 'l1', score: 80, reason: '', decidedBy: 'maria', lead: { name: '', email: '' } });
    const erased = { occurredAt: at, leadId: 'l1', reason: 1, erasedBy: 'ops' };
    expect(eventWithoutPersonalData('lead.erased', erased)).toEqual(erased);
  });
});
