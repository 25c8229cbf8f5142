import type { Model } from 'mongoose';
import { newOutbox, withOutbox, withoutOutbox, type OutgoingEvent, type WithoutOutbox } from '@crm/messaging';
import { afterCursor, decodeCursor, pageSizeOf, toPage, type PageRequest } from '@crm/persistence';
import type { Lead, LeadPriority, LeadStatus } from '../domain/lead';
import type { LeadDocument } from './lead.model';

export interface LeadFilter {
  source?: string;
  tag?: string;
  priority?: LeadPriority;
  status?: LeadStatus;
}

type LeadState = WithoutOutbox<LeadDocument>;

function toLead({ _id, ...doc }: LeadState): Lead {
  return {
    id: _id,
    status: doc.status,
    name: doc.name,
    email: doc.email,
    phone: doc.phone,
    company: doc.company,
    interest: doc.interest,
    message: doc.message,
    tags: [...doc.tags],
    priority: doc.priority,
    source: {
      channel: doc.source.channel,
      campaign: doc.source.campaign,
      medium: doc.source.medium,
      referrer: doc.source.referrer,
      landingPageUrl: doc.source.landingPageUrl,
    },
    dealId: doc.dealId,
    qualificationDecidedAt: doc.qualificationDecidedAt ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    version: doc.version,
  };
}

export class LeadRepository {
  constructor(private readonly leads: Model<LeadDocument>) {}

  // The lead and its lead.captured event, in one single-document write.
  async insert(lead: Lead, events: OutgoingEvent[]): Promise<void> {
    const { id, ...state } = lead;
    await this.leads.create({ _id: id, ...state, ...newOutbox(events) });
  }

  async findById(id: string): Promise<Lead | null> {
    const doc = await this.leads.findById(id, withoutOutbox).lean<LeadState>();
    return doc ? toLead(doc) : null;
  }

  async list(filter: LeadFilter, page: PageRequest): Promise<{ leads: Lead[]; nextPageToken: string }> {
    const pageSize = pageSizeOf(page.pageSize);
    const cursor = afterCursor('createdAt', decodeCursor(page.pageToken));
    const query: Record<string, unknown> = { ...cursor.filter };
    if (filter.source) query['source.channel'] = filter.source;
    if (filter.tag) query.tags = filter.tag;
    if (filter.priority) query.priority = filter.priority;
    if (filter.status) query.status = filter.status;
    const docs = await this.leads.find(query, withoutOutbox).sort(cursor.sort).limit(pageSize + 1).lean<LeadState[]>();
    const { items, nextPageToken } = toPage(docs.map(toLead), pageSize, (l) => ({ at: l.createdAt, id: l.id }));
    return { leads: items, nextPageToken };
  }

  // Read, decide, write only if unchanged since read (optimistic locking); retried on a concurrent change.
  // `decide` returns undefined when nothing is to change. Returns the lead as stored afterwards, or null if unknown.
  async update(id: string, decide: (lead: Lead) => { lead: Lead; events: OutgoingEvent[] } | undefined): Promise<Lead | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.findById(id);
      if (!current) return null;
      const change = decide(current);
      if (!change) return current;
      const { id: _id, ...state } = change.lead;
      const result = await this.leads.updateOne({ _id: id, version: current.version }, withOutbox<LeadDocument>({ $set: state }, change.events));
      if (result.matchedCount === 1) return change.lead;
    }
    throw new Error(`lead ${id} kept changing concurrently; giving up for now`);
  }
}
