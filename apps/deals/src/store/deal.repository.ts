import type { Model } from 'mongoose';
import { newOutbox, withOutbox, withoutOutbox, type OutgoingEvent, type WithoutOutbox } from '@crm/messaging';
import { afterCursor, decodeCursor, isDuplicateKeyError, pageSizeOf, toPage, type PageRequest } from '@crm/persistence';
import type { Deal, DealStatus } from '../domain/deal';
import type { counterModel, DealDocument } from './deal.model';

export interface DealFilter {
  leadId?: string;
  stage?: string;
  status?: DealStatus;
  pipelineId?: string;
}

type DealState = Omit<WithoutOutbox<DealDocument>, '_id'>;

function toDocumentFields(deal: Deal): DealState {
  const { id: _id, ...state } = deal;
  return state;
}

function toDeal(doc: DealState & { _id: string }): Deal {
  return {
    id: doc._id,
    leadId: doc.leadId,
    title: doc.title,
    value: { currency: doc.value.currency, amountMinor: BigInt(doc.value.amountMinor) },
    valueNeedsEstimate: doc.valueNeedsEstimate,
    pipelineId: doc.pipelineId,
    stage: doc.stage,
    status: doc.status,
    expectedCloseDate: doc.expectedCloseDate,
    owner: doc.owner,
    sourceChannel: doc.sourceChannel,
    stageHistory: doc.stageHistory.map((v) => ({ stage: v.stage, enteredAt: v.enteredAt, exitedAt: v.exitedAt ?? null })),
    openedAt: doc.openedAt,
    closedAt: doc.closedAt ?? null,
    lostReason: doc.lostReason,
    version: doc.version,
  };
}

export class DealRepository {
  constructor(
    private readonly deals: Model<DealDocument>,
    private readonly counters: ReturnType<typeof counterModel>,
  ) {}

  // Inserts the deal with its events in one write. Returns false when the lead already has a deal.
  async insertOpened(deal: Deal, events: OutgoingEvent[]): Promise<boolean> {
    try {
      await this.deals.create({ _id: deal.id, ...toDocumentFields(deal), ...newOutbox(events) });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async findById(id: string): Promise<Deal | null> {
    const doc = await this.deals.findById(id, withoutOutbox).lean();
    return doc ? toDeal(doc) : null;
  }

  async findByLeadId(leadId: string): Promise<Deal | null> {
    const doc = await this.deals.findOne({ leadId }, withoutOutbox).lean();
    return doc ? toDeal(doc) : null;
  }

  async list(filter: DealFilter, page: PageRequest): Promise<{ deals: Deal[]; nextPageToken: string }> {
    const pageSize = pageSizeOf(page.pageSize);
    const cursor = afterCursor('openedAt', decodeCursor(page.pageToken));
    const query: Record<string, unknown> = { ...cursor.filter };
    if (filter.leadId) query.leadId = filter.leadId;
    if (filter.stage) query.stage = filter.stage;
    if (filter.status) query.status = filter.status;
    if (filter.pipelineId) query.pipelineId = filter.pipelineId;
    const docs = await this.deals.find(query, withoutOutbox).sort(cursor.sort).limit(pageSize + 1).lean();
    const { items, nextPageToken } = toPage(docs.map(toDeal), pageSize, (d) => ({ at: d.openedAt, id: d.id }));
    return { deals: items, nextPageToken };
  }

  // Writes the changed deal and its events only if nobody changed it since `expectedVersion` (optimistic locking).
  async saveChange(deal: Deal, expectedVersion: number, events: OutgoingEvent[]): Promise<boolean> {
    const { leadId: _leadId, ...changed } = toDocumentFields(deal);
    const result = await this.deals.updateOne({ _id: deal.id, version: expectedVersion }, withOutbox<DealDocument>({ $set: changed }, events));
    return result.matchedCount === 1;
  }

  // A sequence shared by every copy of the service (one atomic increment), for round-robin owner assignment.
  async nextOwnerSequence(): Promise<number> {
    const counter = await this.counters.findOneAndUpdate({ _id: 'deal-owner' }, { $inc: { value: 1 } }, { upsert: true, new: true }).lean();
    return (counter?.value ?? 1) - 1;
  }
}
