import type { Model } from 'mongoose';
import { newOutbox, withOutbox, withoutOutboxFields, type OutboxClaim, type OutgoingEvent, type WithoutOutbox } from '@crm/messaging';
import { ErasedError } from '@crm/errors';
import { bsonBytes, findLeanById, insertIfAbsent, insertPreparedIfAbsent, lostRace } from '@crm/persistence';
import { personalLeadFacts } from '../domain/qualification-erasure';
import { systemActor } from '../domain/qualification';
import type { LeadFacts } from '../domain/lead-facts';
import type { Qualification } from '../domain/qualification';
import type { QualificationDocument } from './qualification.model';

// Documents stored before the richer lead facts existed lack some of them.
function toFacts(lead: Partial<LeadFacts>, leadId: string): LeadFacts {
  return {
    leadId,
    name: lead.name ?? '',
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    company: lead.company ?? '',
    interest: lead.interest ?? '',
    message: lead.message ?? '',
    jobTitle: lead.jobTitle ?? '',
    tags: [...(lead.tags ?? [])],
    priority: lead.priority ?? '',
    sourceChannel: lead.sourceChannel ?? '',
    consentGiven: lead.consentGiven ?? false,
    budget: lead.budget ? { currency: lead.budget.currency, amountMinor: lead.budget.amountMinor } : null,
    timelineDays: lead.timelineDays ?? 0,
    decisionRole: lead.decisionRole ?? '',
    touchpoints: lead.touchpoints ?? 0,
    updatedAt: lead.updatedAt ?? new Date(0),
  };
}

function toQualification({ _id, ...doc }: WithoutOutbox<QualificationDocument>): Qualification {
  return {
    leadId: _id,
    lead: toFacts(doc.lead, _id),
    // Missing from documents stored before snapshots were kept.
    snapshot: doc.snapshot ? bsonBytes(doc.snapshot) : new Uint8Array(),
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

function toDocumentState(qualification: Qualification) {
  return { ...qualification, snapshot: Buffer.from(qualification.snapshot) };
}

// A lead's first qualification as its first write stores it, with its events under the relay's claim (see
// insertPrepared).
export function firstQualificationDocument(
  qualification: Qualification,
  events: OutgoingEvent[],
  claim: OutboxClaim,
): Record<string, unknown> {
  const { leadId, ...state } = toDocumentState(qualification);
  return { _id: leadId, ...state, ...newOutbox(events, claim) };
}

export class QualificationRepository {
  constructor(private readonly qualifications: Model<QualificationDocument>) {}

  // Stores a lead's first qualification with its events, under the relay's claim; false when the lead was already
  // scored.
  async insertFirst(qualification: Qualification, events: OutgoingEvent[], claim: OutboxClaim): Promise<boolean> {
    return insertPreparedIfAbsent(this.qualifications, firstQualificationDocument(qualification, events, claim));
  }

  // Throws ErasedError for a lead whose person was erased.
  async findByLeadId(leadId: string): Promise<Qualification | null> {
    const doc = await findLeanById<WithoutOutbox<QualificationDocument>>(this.qualifications, leadId, withoutOutboxFields);
    if (doc?.erasedAt) throw new ErasedError('LEAD_ERASED', 'qualification of lead', leadId, doc.erasedAt);
    return doc ? toQualification(doc) : null;
  }

  // Empties what identifies the person, in one write guarded by the version (so a scoring racing it starts over
  // and finds the lead erased); a lead never scored gets a marker document. A person's written reason goes too,
  // the rules' own explanation stays. Returns when the lead was erased, the first erasure's time if it had been.
  async erase(leadId: string, at: Date): Promise<Date | typeof lostRace> {
    const doc = await this.qualifications
      .findById(leadId, 'erasedAt version decidedBy')
      .lean<Pick<QualificationDocument, 'erasedAt' | 'version' | 'decidedBy'>>();
    if (doc?.erasedAt) return doc.erasedAt;
    if (!doc) return (await insertIfAbsent(this.qualifications, { _id: leadId, erasedAt: at, version: 1 })) ? at : lostRace;
    const emptied = Object.fromEntries(personalLeadFacts.map((field) => [`lead.${field}`, '']));
    const result = await this.qualifications.collection.updateOne(
      { _id: leadId as never, version: doc.version },
      {
        $set: { ...emptied, snapshot: Buffer.alloc(0), erasedAt: at, ...(doc.decidedBy !== systemActor && { reason: '' }) },
        $inc: { version: 1 },
      },
    );
    return result.matchedCount === 1 ? at : lostRace;
  }

  // Saves a change made on `expectedVersion`; false when someone changed the qualification meanwhile.
  async saveChange(qualification: Qualification, expectedVersion: number, events: OutgoingEvent[]): Promise<boolean> {
    const { leadId, ...state } = toDocumentState(qualification);
    // Through the driver: the state comes whole from the domain, typed, so mongoose's casting would only add cost.
    const result = await this.qualifications.collection.updateOne(
      { _id: leadId as never, version: expectedVersion },
      withOutbox<QualificationDocument>({ $set: state }, events),
    );
    return result.matchedCount === 1;
  }
}
