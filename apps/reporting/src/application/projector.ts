import type { EventType } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/messaging';
import type { DealSnapshot } from '../domain/deal-view';
import type { FunnelEvent } from '../domain/lead-journey';
import type { DealViewRepository } from '../store/deal-view.repository';
import type { LeadJourneyRepository } from '../store/lead-journey.repository';
import { toDealSnapshot } from '../wire/deal-snapshot.mapper';
import { toFunnelEvent } from '../wire/funnel-events.mapper';

// What one event tells the projections: a step of a lead's journey, a deal's snapshot, or both.
export interface ProjectionFacts {
  journey?: FunnelEvent;
  deal?: DealSnapshot;
}

export const projectedEventTypes: EventType[] = [
  'lead.captured',
  'lead.qualified',
  'lead.disqualified',
  'deal.opened',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
];

// The one way events reach the projections, live from the broker and when rebuilding from the event log.
export class Projector {
  constructor(
    private readonly journeys: LeadJourneyRepository,
    private readonly deals: DealViewRepository,
  ) {}

  // Throws UnprocessableEventError for an event no retry can fix, before anything is written.
  factsOf(event: ReceivedEvent<EventType>): ProjectionFacts {
    return { journey: toFunnelEvent(event), deal: toDealSnapshot(event) };
  }

  // A deal's snapshot also goes to its lead's journey, in the same write as the event's step of it: the lead's
  // figures count its deal's value.
  async apply({ journey, deal }: ProjectionFacts): Promise<void> {
    const leadId = journey?.leadId || deal?.leadId;
    await Promise.all([
      leadId && this.journeys.record(leadId, journey, deal?.leadId === leadId ? deal : undefined),
      deal && this.deals.apply(deal),
    ]);
  }

  async clear(): Promise<void> {
    await Promise.all([this.journeys.removeAll(), this.deals.removeAll()]);
  }
}
