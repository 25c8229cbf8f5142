import type { EventType } from '@crm/contracts';
import type { EventHandlers, ReceivedEvent } from '@crm/messaging';
import type { LeadJourneyRepository } from '../store/lead-journey.repository';
import { toFunnelEvent } from './funnel-events.mapper';

const funnelEventTypes = ['lead.captured', 'lead.qualified', 'lead.disqualified', 'deal.opened', 'deal.won', 'deal.lost'] as const;

// Every event that moves a lead through the funnel updates that lead's journey.
export function funnelHandlers(journeys: LeadJourneyRepository): EventHandlers {
  const handle = async (event: ReceivedEvent<EventType>) => {
    const funnelEvent = toFunnelEvent(event);
    if (funnelEvent) await journeys.apply(funnelEvent);
  };
  return Object.fromEntries(funnelEventTypes.map((type) => [type, handle])) as EventHandlers;
}
