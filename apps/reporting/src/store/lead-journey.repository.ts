import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@crm/persistence';
import type { Funnel, FunnelQuery } from '../domain/funnel';
import { applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from '../domain/lead-journey';
import type { LeadJourneyDocument } from './lead-journey.model';

export class LeadJourneyRepository {
  constructor(private readonly journeys: Model<LeadJourneyDocument>) {}

  // Applies an event to its lead's journey: read, project, write if unchanged since read (retried on a race
  // with another copy of the service handling another event of the same lead).
  async apply(event: FunnelEvent): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.journeys.findById(event.leadId).lean();
      const current: LeadJourney = doc ? { ...emptyJourney(event.leadId), ...withoutMeta(doc) } : emptyJourney(event.leadId);
      const next = applyFunnelEvent(current, event);
      if (!next) return;
      const { leadId, ...state } = next;
      if (!doc) {
        try {
          await this.journeys.create({ _id: leadId, ...state, version: 1 });
          return;
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          continue;
        }
      }
      const result = await this.journeys.updateOne({ _id: leadId, version: doc.version }, { $set: { ...state, version: doc.version + 1 } });
      if (result.matchedCount === 1) return;
    }
    throw new Error(`lead journey ${event.leadId} kept changing concurrently`);
  }

  async funnel(query: FunnelQuery): Promise<Funnel> {
    const scope: Record<string, unknown> = {};
    if (query.source) scope.source = query.source;
    if (query.from || query.to) {
      scope.capturedAt = { $ne: null, ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    }
    const count = (condition: Record<string, unknown>) => this.journeys.countDocuments({ ...scope, ...condition });
    const [leadsCaptured, leadsQualified, leadsDisqualified, dealsOpened, dealsWon, dealsLost] = await Promise.all([
      count(query.from || query.to ? {} : { capturedAt: { $ne: null } }),
      count({ decision: 'qualified' }),
      count({ decision: 'disqualified' }),
      count({ dealOpenedAt: { $ne: null } }),
      count({ outcome: 'won' }),
      count({ outcome: 'lost' }),
    ]);
    return { leadsCaptured, leadsQualified, leadsDisqualified, dealsOpened, dealsWon, dealsLost };
  }
}

function withoutMeta({ _id, version: _version, ...state }: LeadJourneyDocument): Omit<LeadJourney, 'leadId'> {
  return state;
}
