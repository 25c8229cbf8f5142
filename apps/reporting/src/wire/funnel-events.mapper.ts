import type { EventType } from '@crm/contracts';
import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { FunnelEvent } from '../domain/lead-journey';
import { dealVersionOf } from './deal-snapshot.mapper';

// Maps each contract event to what the funnel projection needs; the event's own time orders the facts (and, for a
// deal's status, the deal's version first).
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
    // Reopening a won or lost deal is published as a stage change with `reopened` set; a plain move of an open deal
    // changes no outcome. The deal's version orders these facts, so a reopening is not undone by an older close.
    case 'deal.stage_changed': {
      const { deal, reopened } = (event as ReceivedEvent<'deal.stage_changed'>).payload;
      if (!reopened) return undefined;
      if (!deal?.leadId) throw missing('deal lead_id');
      return { kind: 'deal-status', leadId: deal.leadId, outcome: null, dealVersion: dealVersionOf(event.type, deal.version), at };
    }
    case 'deal.won':
    case 'deal.lost': {
      const { deal } = (event as ReceivedEvent<'deal.won'>).payload;
      if (!deal?.leadId) throw missing('deal lead_id');
      return {
        kind: 'deal-status',
        leadId: deal.leadId,
        outcome: event.type === 'deal.won' ? 'won' : 'lost',
        dealVersion: dealVersionOf(event.type, deal.version),
        at,
      };
    }
    default:
      return undefined;
  }
}
