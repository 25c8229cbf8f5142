import type { Model } from 'mongoose';
import type { FunnelQuery } from '../domain/funnel';
import { applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from '../domain/lead-journey';
import type { LeadJourneyDocument } from './lead-journey.model';
import { VersionedDocuments } from './versioned-documents';

export class LeadJourneyRepository {
  private readonly documents: VersionedDocuments<LeadJourney>;

  constructor(journeys: Model<LeadJourneyDocument>) {
    this.documents = new VersionedDocuments<LeadJourney>(journeys, 'leadId', emptyJourney);
  }

  apply(event: FunnelEvent): Promise<void> {
    return this.documents.apply(event.leadId, (current) => applyFunnelEvent(current, event));
  }

  // The journeys of the leads captured in [from, to) (every journey when neither bound is set), from one source.
  inScope(query: FunnelQuery): Promise<LeadJourney[]> {
    const scope: Record<string, unknown> = {};
    if (query.source) scope.source = query.source;
    if (query.from || query.to) {
      scope.capturedAt = { $ne: null, ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    }
    return this.documents.find(scope);
  }

  removeAll(): Promise<void> {
    return this.documents.removeAll();
  }
}
