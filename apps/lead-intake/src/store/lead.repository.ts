import { decisionRoleOf } from '../domain/decision-role';
import type { Model } from 'mongoose';
import {
  newOutbox,
  withOutbox,
  withoutOutbox,
  withoutOutboxFields,
  type OutboxClaim,
  type OutgoingEvent,
  type WithoutOutbox,
} from '@crm/messaging';
import {
  afterCursor,
  decodeCursor,
  findLeanById,
  insertPrepared,
  lostRace,
  pageSizeOf,
  retryOnConflict,
  toPage,
  type PageRequest,
} from '@crm/persistence';
import type { Lead } from '../domain/lead';
import type { LeadFilter } from '../domain/lead-filter';
import type { LeadDocument } from './lead.model';

type LeadState = WithoutOutbox<LeadDocument>;

// Enough rounds for twenty concurrent merges of one person to all land; the jittered pause spreads them out.
const maxUpdateAttempts = 40;

// A captured lead as its first write stores it, with its events under the relay's claim (see insertPrepared).
export function newLeadDocument(lead: Lead, events: OutgoingEvent[], claim: OutboxClaim): Record<string, unknown> {
  const { id, ...state } = lead;
  return { _id: id, ...state, ...newOutbox(events, claim) };
}

function toLead({ _id, ...doc }: LeadState): Lead {
  const hints = doc.hints ?? {};
  return {
    id: _id,
    status: doc.status,
    name: doc.name,
    email: doc.email,
    phone: doc.phone,
    company: doc.company,
    jobTitle: doc.jobTitle ?? '',
    interest: doc.interest,
    message: doc.message,
    tags: [...doc.tags],
    priority: doc.priority,
    source: {
      channel: doc.source.channel,
      campaign: doc.source.campaign ?? '',
      medium: doc.source.medium ?? '',
      referrer: doc.source.referrer ?? '',
      landingPageUrl: doc.source.landingPageUrl ?? '',
      utmSource: doc.source.utmSource ?? '',
      utmMedium: doc.source.utmMedium ?? '',
      utmCampaign: doc.source.utmCampaign ?? '',
      utmTerm: doc.source.utmTerm ?? '',
      utmContent: doc.source.utmContent ?? '',
    },
    consent: { given: doc.consent?.given ?? false, givenAt: doc.consent?.givenAt ?? null, text: doc.consent?.text ?? '' },
    hints: {
      budget: hints.budget ? { currency: hints.budget.currency, amountMinor: hints.budget.amountMinor } : null,
      timelineDays: hints.timelineDays ?? null,
      companySize: hints.companySize ?? '',
      decisionRole: decisionRoleOf(hints.decisionRole),
    },
    customAttributes: { ...(doc.customAttributes ?? {}) },
    dealId: doc.dealId,
    qualificationDecidedAt: doc.qualificationDecidedAt ?? null,
    statusHistory: (doc.statusHistory ?? []).map((s) => ({ status: s.status, changedAt: s.changedAt })),
    touchpoints: (doc.touchpoints ?? []).map((t) => ({
      channel: t.channel,
      at: t.at,
      message: t.message ?? '',
      interest: t.interest ?? '',
      campaign: t.campaign ?? '',
      requestKey: t.requestKey ?? '',
    })),
    identityKeys: [...(doc.identityKeys ?? [])],
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy ?? '',
    erasure: doc.erasure ? { at: doc.erasure.at, reason: doc.erasure.reason, by: doc.erasure.by } : null,
    version: doc.version,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Every value is a string, date or enum checked at the edge, and the text query is escaped: nothing a client
// sends becomes an operator.
// Erased leads are listed by no filter.
function toQuery(filter: LeadFilter): Record<string, unknown> {
  const query: Record<string, unknown> = { erasure: null };
  if (filter.source) query['source.channel'] = filter.source;
  if (filter.tags?.length) query.tags = filter.tagMatch === 'all' ? { $all: filter.tags } : { $in: filter.tags };
  if (filter.priority) query.priority = filter.priority;
  if (filter.status) query.status = filter.status;
  if (filter.createdFrom || filter.createdTo) {
    query.createdAt = { ...(filter.createdFrom && { $gte: filter.createdFrom }), ...(filter.createdTo && { $lt: filter.createdTo }) };
  }
  if (filter.query) {
    const pattern = { $regex: escapeRegex(filter.query), $options: 'i' };
    query.$or = [{ name: pattern }, { email: pattern }, { company: pattern }];
  }
  return query;
}

export class LeadRepository {
  constructor(private readonly leads: Model<LeadDocument>) {}

  // The lead and its lead.captured event, in one single-document write, under the relay's claim.
  async insert(lead: Lead, events: OutgoingEvent[], claim: OutboxClaim): Promise<void> {
    await insertPrepared(this.leads, newLeadDocument(lead, events, claim));
  }

  async findById(id: string): Promise<Lead | null> {
    const doc = await findLeanById<LeadState>(this.leads, id, withoutOutboxFields);
    return doc ? toLead(doc) : null;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.leads.exists({ _id: id })) !== null;
  }

  // Whether a lead is there to merge into: 'erased' once its person was erased.
  async presence(id: string): Promise<'live' | 'erased' | 'absent'> {
    const doc = await this.leads.findById(id, 'erasure').lean<Pick<LeadDocument, 'erasure'>>();
    if (!doc) return 'absent';
    return doc.erasure ? 'erased' : 'live';
  }

  async list(filter: LeadFilter, page: PageRequest): Promise<{ leads: Lead[]; nextPageToken: string }> {
    const pageSize = pageSizeOf(page.pageSize);
    const cursor = afterCursor('createdAt', decodeCursor(page.pageToken), filter.sort === '-createdAt' ? -1 : 1);
    const conditions = [toQuery(filter), cursor.filter].filter((c) => Object.keys(c).length > 0);
    const query = conditions.length > 1 ? { $and: conditions } : (conditions[0] ?? {});
    const docs = await this.leads
      .find(query, withoutOutbox)
      .sort(cursor.sort)
      .limit(pageSize + 1)
      .lean<LeadState[]>();
    const { items, nextPageToken } = toPage(docs.map(toLead), pageSize, (l) => ({ at: l.createdAt, id: l.id }));
    return { leads: items, nextPageToken };
  }

  // Up to `limit` ids, in order and after `afterId`, of leads in these statuses, not erased, with no touchpoint after
  // `cutoff`: a scan on mongo-java-server, run by the retention sweep only.
  async idleSince(cutoff: Date, statuses: readonly string[], afterId: string, limit: number): Promise<string[]> {
    const docs = await this.leads
      .find(
        {
          _id: { $gt: afterId },
          erasure: null,
          status: { $in: statuses },
          createdAt: { $lte: cutoff },
          'touchpoints.at': { $not: { $gt: cutoff } },
        },
        '_id',
      )
      .sort({ _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>();
    return docs.map((doc) => doc._id);
  }

  // Read, decide, write only if unchanged since read (optimistic locking); retried after a short random pause on
  // a concurrent change. `decide` returns undefined when nothing is to change. Returns the lead as stored
  // afterwards and whether this call changed it, or null if the lead is unknown.
  async update(
    id: string,
    decide: (lead: Lead) => { lead: Lead; events: OutgoingEvent[] } | undefined,
  ): Promise<{ lead: Lead; changed: boolean } | null> {
    return retryOnConflict(
      `lead ${id}`,
      async () => {
        const current = await this.findById(id);
        if (!current) return null;
        const change = decide(current);
        if (!change) return { lead: current, changed: false };
        const { id: _id, ...state } = change.lead;
        // Through the driver: the state comes whole from the domain, typed, so mongoose's casting would only add cost.
        const result = await this.leads.collection.updateOne(
          { _id: id as never, version: current.version },
          withOutbox<LeadDocument>({ $set: state }, change.events),
        );
        return result.matchedCount === 1 ? { lead: change.lead, changed: true } : lostRace;
      },
      maxUpdateAttempts,
    );
  }
}
