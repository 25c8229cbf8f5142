import type { Model } from 'mongoose';
import { newOutbox, withOutbox, withoutOutbox, type OutgoingEvent, type WithoutOutbox } from '@crm/messaging';
import { isDuplicateKeyError } from '@crm/persistence';
import type { Qualification } from '../domain/qualification';
import type { QualificationDocument } from './qualification.model';

function toQualification({ _id, ...doc }: WithoutOutbox<QualificationDocument>): Qualification {
  return {
    leadId: _id,
    lead: { ...doc.lead, tags: [...doc.lead.tags] },
    decision: doc.decision,
    score: doc.score,
    reason: doc.reason,
    decidedBy: doc.decidedBy,
    decidedAt: doc.decidedAt,
    contributions: doc.contributions.map((c) => ({ ruleId: c.ruleId, description: c.description, points: c.points })),
    ruleSetVersion: doc.ruleSetVersion,
    history: doc.history.map((s) => ({
      score: s.score,
      decision: s.decision,
      contributions: s.contributions.map((c) => ({ ruleId: c.ruleId, description: c.description, points: c.points })),
      ruleSetVersion: s.ruleSetVersion,
      scoredAt: s.scoredAt,
    })),
    version: doc.version,
  };
}

export class QualificationRepository {
  constructor(private readonly qualifications: Model<QualificationDocument>) {}

  // Stores a lead's first qualification with its events; false when the lead was already scored.
  async insertFirst(qualification: Qualification, events: OutgoingEvent[]): Promise<boolean> {
    const { leadId, ...state } = qualification;
    try {
      await this.qualifications.create({ _id: leadId, ...state, ...newOutbox(events) });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async findByLeadId(leadId: string): Promise<Qualification | null> {
    const doc = await this.qualifications.findById(leadId, withoutOutbox).lean<WithoutOutbox<QualificationDocument>>();
    return doc ? toQualification(doc) : null;
  }

  // Saves a change made on `expectedVersion`; false when someone changed the qualification meanwhile.
  async saveChange(qualification: Qualification, expectedVersion: number, events: OutgoingEvent[]): Promise<boolean> {
    const { leadId, ...state } = qualification;
    const result = await this.qualifications.updateOne(
      { _id: leadId, version: expectedVersion },
      withOutbox<QualificationDocument>({ $set: state }, events),
    );
    return result.matchedCount === 1;
  }
}
