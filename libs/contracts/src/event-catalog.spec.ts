import { decodeEvent, encodeEvent, eventTypes, isEventType } from './event-catalog';
import { Lead, LeadPriority, LeadStatus } from './generated/crm/v1/lead';
import { Deal, DealStatus } from './generated/crm/v1/deal';

describe('event catalogue', () => {
  it('names the ten events of the outside contract', () => {
    expect(eventTypes.sort()).toEqual(
      [
        'deal.lost',
        'deal.opened',
        'deal.stage_changed',
        'deal.won',
        'lead.captured',
        'lead.disqualified',
        'lead.erased',
        'lead.nurturing',
        'lead.qualified',
        'lead.updated',
      ].sort(),
    );
    expect(isEventType('lead.captured')).toBe(true);
    expect(isEventType('toString')).toBe(false);
  });

  it('round-trips a lead.captured body, including dates and enums', () => {
    const occurredAt = new Date('2026-11-28T10:00:00.123Z');
    const body = encodeEvent('lead.captured', {
      occurredAt,
      lead: Lead.fromPartial({
        id: 'l1',
        status: LeadStatus.LEAD_STATUS_NEW,
        name: 'Ana',
        email: 'ana@acme.io',
        phone: '',
        company: 'Acme',
        interest: 'crm',
        message: '',
        tags: ['a', 'b'],
        priority: LeadPriority.LEAD_PRIORITY_HIGH,
        source: { channel: 'web-form', campaign: '', medium: '', referrer: '', landingPageUrl: '' },
        dealId: '',
        createdAt: occurredAt,
        updatedAt: occurredAt,
      }),
    });
    const decoded = decodeEvent('lead.captured', body);
    expect(decoded.occurredAt).toEqual(occurredAt);
    expect(decoded.lead?.tags).toEqual(['a', 'b']);
    expect(decoded.lead?.priority).toBe(LeadPriority.LEAD_PRIORITY_HIGH);
  });

  it('keeps int64 money as a string, without floating point', () => {
    const body = encodeEvent('deal.won', {
      occurredAt: new Date(),
      deal: Deal.fromPartial({
        id: 'd1',
        leadId: 'l1',
        value: { currencyCode: 'EUR', amountMinor: '9007199254740993' },
        status: DealStatus.DEAL_STATUS_WON,
        version: '3',
      }),
    });
    expect(decodeEvent('deal.won', body).deal?.value?.amountMinor).toBe('9007199254740993');
  });
});
