import type { EventType } from '@crm/contracts';
import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { FunnelEvent } from '../domain/lead-journey';

// Maps each contract event to what the funnel projection needs; the event's own time orders the facts.
export function toFunnelEvent(event: ReceivedEvent<EventType>): FunnelEvent | undefined {
  const at = (event.payload as { occurredAt?: Date }).occurredAt ?? event.occurredAt;
  const missing = (what: string) => new UnprocessableEventError(`${event.type} without ${what}`);
  switch (event.type) {
    case 'lead.captured': {
      const { lead } = (event as ReceivedEvent<'lead.captured'>).payload;
      if (!lead?.id) throw missing('lead id');
      return { kind: 'captured', leadId: lead.id, source: lead.source?.channel ?? '', at };
    }
    case 'lead.qualified': {
      const payload = (event as ReceivedEvent<'lead.qualified'>).payload;
      if (!payload.leadId) throw missing('lead_id');
      return { kind: 'decided', leadId: payload.leadId, decision: 'qualified', source: payload.lead?.source?.channel ?? '', at };
    }
    case 'lead.disqualified': {
      const payload = (event as ReceivedEvent<'lead.disqualified'>).payload;
      if (!payload.leadId) throw missing('lead_id');
      return { kind: 'decided', leadId: payload.leadId, decision: 'disqualified', source: payload.sourceChannel, at };
    }
    case 'deal.opened': {
      const { deal } = (event as ReceivedEvent<'deal.opened'>).payload;
      if (!deal?.leadId) throw missing('deal lead_id');
      return { kind: 'deal-opened', leadId: deal.leadId, dealId: deal.id, source: deal.sourceChannel, at };
    }
    case 'deal.won':
    case 'deal.lost': {
      const { deal } = (event as ReceivedEvent<'deal.won'>).payload;
      if (!deal?.leadId) throw missing('deal lead_id');
      return { kind: 'deal-closed', leadId: deal.leadId, outcome: event.type === 'deal.won' ? 'won' : 'lost', at };
    }
    default:
      return undefined;
  }
}
