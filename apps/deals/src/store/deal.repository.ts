import type { Model } from 'mongoose';
import { newOutbox, withOutbox, withoutOutbox, type OutboxClaim, type OutgoingEvent, type WithoutOutbox } from '@crm/messaging';
import { afterCursor, decodeCursor, insertPreparedIfAbsent, pageSizeOf, toPage, type PageRequest } from '@crm/persistence';
import { activityBudgetBytes, maxActivitiesPerDeal, type Activity } from '../domain/activity';
import type { Deal, DealStatus } from '../domain/deal';
import type { Pipeline } from '../domain/pipeline';
import { staleBefore } from '../domain/staleness';
import type { ActivityFields, counterModel, DealDocument } from './deal.model';

export interface DealFilter {
  leadId?: string;
  stage?: string;
  status?: DealStatus;
  pipelineId?: string;
  owner?: string;
  expectedCloseFrom?: string;
  expectedCloseTo?: string;
  stale?: { stale: boolean; pipelines: Pipeline[]; now: Date };
}

type DealState = Omit<WithoutOutbox<DealDocument>, '_id' | 'activities'>;
// Deals are read without their outbox and without their activities, which only ListActivities needs.
const dealProjection = `${withoutOutbox} -activities`;

function toDocumentFields(deal: Deal): DealState {
  const { id: _id, ...state } = deal;
  return state;
}

// A deal as its opening stores it, with its events under the relay's claim (see insertPrepared).
export function openedDealDocument(deal: Deal, events: OutgoingEvent[], claim: OutboxClaim): Record<string, unknown> {
  return { _id: deal.id, ...toDocumentFields(deal), activities: [], ...newOutbox(events, claim) };
}

function toDeal(doc: DealState & { _id: string }): Deal {
  const history = doc.stageHistory.map((v) => ({
    stage: v.stage,
    enteredAt: v.enteredAt,
    exitedAt: v.exitedAt ?? null,
    closedAs: v.closedAs ?? null,
    enteredBy: v.enteredBy ?? '',
  }));
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
    ownerReason: doc.ownerReason ?? '',
    sourceChannel: doc.sourceChannel,
    stageHistory: history,
    openedAt: doc.openedAt,
    openedBy: doc.openedBy ?? 'system',
    closedAt: doc.closedAt ?? null,
    closedBy: doc.closedBy ?? '',
    lostReason: doc.lostReason,
    lostNote: doc.lostNote ?? '',
    lastActivityAt: doc.lastActivityAt ?? null,
    idleSince: doc.idleSince ?? history.at(-1)?.enteredAt ?? doc.openedAt,
    activityCount: doc.activityCount ?? 0,
    activityBytes: doc.activityBytes ?? 0,
    erasedAt: doc.erasedAt ?? null,
    version: doc.version,
  };
}

function toActivity(doc: ActivityFields): Activity {
  return {
    id: doc._id,
    kind: doc.kind,
    subject: doc.subject,
    notes: doc.notes,
    occurredAt: doc.occurredAt,
    recordedAt: doc.recordedAt,
    actor: doc.actor,
    proposal: doc.proposal
      ? {
          price: { currency: doc.proposal.price.currency, amountMinor: BigInt(doc.proposal.price.amountMinor) },
          terms: doc.proposal.terms,
          validUntil: doc.proposal.validUntil,
        }
      : null,
  };
}

// Open deals that are stale now: for each stage that rots, idle since before its threshold. Computed from the
// pipelines at query time, so a changed rotting threshold applies at once to every deal.
function staleCondition(pipelines: Pipeline[], now: Date): Record<string, unknown> {
  const rotting = pipelines.flatMap((p) =>
    p.stages
      .filter((s) => s.rottingDays > 0)
      .map((s) => ({ pipelineId: p.id, stage: s.id, idleSince: { $lt: staleBefore(s.rottingDays, now) } })),
  );
  return rotting.length > 0 ? { status: 'open', $or: rotting } : { _id: { $in: [] } };
}

// The room check of appendActivity's conditional write, on a deal read by `_id`. An erased lead's deal takes no more
// text about its person.
function hasRoom(deal: Record<string, unknown>, size: number): boolean {
  const { activityCount: count, activityBytes: bytes } = deal;
  if (deal.erasedAt) return false;
  if (!(typeof count === 'number' && count < maxActivitiesPerDeal)) return false;
  // Deals stored before the budget have no activityBytes: they start counting from their next activity.
  return bytes === undefined || (typeof bytes === 'number' && bytes <= activityBudgetBytes - size);
}

export class DealRepository {
  constructor(
    private readonly deals: Model<DealDocument>,
    private readonly counters: ReturnType<typeof counterModel>,
  ) {}

  // Inserts the deal with its events in one write, under the relay's claim. Returns false when the lead already has
  // a deal.
  insertOpened(deal: Deal, events: OutgoingEvent[], claim: OutboxClaim): Promise<boolean> {
    return insertPreparedIfAbsent(this.deals, openedDealDocument(deal, events, claim));
  }

  async findById(id: string): Promise<Deal | null> {
    const doc = await this.deals.findById(id, dealProjection).lean();
    return doc ? toDeal(doc) : null;
  }

  async findByLeadId(leadId: string): Promise<Deal | null> {
    const doc = await this.deals.findOne({ leadId }, dealProjection).lean();
    return doc ? toDeal(doc) : null;
  }

  async list(filter: DealFilter, page: PageRequest): Promise<{ deals: Deal[]; nextPageToken: string }> {
    const pageSize = pageSizeOf(page.pageSize);
    const cursor = afterCursor('openedAt', decodeCursor(page.pageToken));
    const conditions: Record<string, unknown>[] = [cursor.filter];
    const query: Record<string, unknown> = {};
    if (filter.leadId) query.leadId = filter.leadId;
    if (filter.stage) query.stage = filter.stage;
    if (filter.status) query.status = filter.status;
    if (filter.pipelineId) query.pipelineId = filter.pipelineId;
    if (filter.owner) query.owner = filter.owner;
    if (filter.expectedCloseFrom || filter.expectedCloseTo) {
      query.expectedCloseDate = {
        ...(filter.expectedCloseFrom ? { $gte: filter.expectedCloseFrom } : {}),
        ...(filter.expectedCloseTo ? { $lte: filter.expectedCloseTo } : {}),
      };
    }
    conditions.push(query);
    if (filter.stale) {
      const stale = staleCondition(filter.stale.pipelines, filter.stale.now);
      conditions.push(filter.stale.stale ? stale : { $nor: [stale] });
    }
    const docs = await this.deals
      .find({ $and: conditions }, dealProjection)
      .sort(cursor.sort)
      .limit(pageSize + 1)
      .lean();
    const { items, nextPageToken } = toPage(docs.map(toDeal), pageSize, (d) => ({ at: d.openedAt, id: d.id }));
    return { deals: items, nextPageToken };
  }

  // Writes the changed deal and its events only if nobody changed it since `expectedVersion` (optimistic locking).
  async saveChange(deal: Deal, expectedVersion: number, events: OutgoingEvent[]): Promise<boolean> {
    const { leadId: _leadId, lastActivityAt: _at, activityCount: _count, activityBytes: _bytes, ...changed } = toDocumentFields(deal);
    // Through the driver: the state comes whole from the domain, typed, so mongoose's casting would only add cost.
    const result = await this.deals.collection.updateOne(
      { _id: deal.id as never, version: expectedVersion },
      withOutbox<DealDocument>({ $set: changed }, events),
    );
    return result.matchedCount === 1;
  }

  // Appends an activity of `size` bytes and moves the deal's activity times in one atomic write, within the
  // deal's activity count and byte budget. Commutes with other changes, so it needs no expected version; it bumps
  // the version all the same, since the deal changed. Returns the deal after the write, or null when the deal is
  // missing, has no room or belongs to an erased lead.
  async appendActivity(dealId: string, activity: Activity, size: number): Promise<Deal | null> {
    const { id: _id, ...fields } = activity;
    const update = {
      $push: { activities: { _id, ...fields } },
      $max: { lastActivityAt: activity.occurredAt, idleSince: activity.occurredAt },
      $inc: { activityCount: 1, activityBytes: size, version: 1 },
    };
    // First the budget is checked on the deal as read by `_id`, and the write lands on the version read: both
    // filters have an index on either store (mongo-java-server scans for the budget's conditions beside `_id`).
    const current = await this.deals.collection.findOne(
      { _id: dealId as never },
      { projection: { activityCount: 1, activityBytes: 1, erasedAt: 1, version: 1 } },
    );
    if (!current || !hasRoom(current, size)) return null;
    const landed = await this.deals
      .findOneAndUpdate({ _id: dealId, version: current.version as number }, update, { new: true, projection: dealProjection })
      .lean();
    if (landed) return toDeal(landed);
    // The deal changed meanwhile (concurrent activities): the single write that checks the budget itself.
    const doc = await this.deals
      .findOneAndUpdate(
        {
          _id: dealId,
          erasedAt: null,
          activityCount: { $lt: maxActivitiesPerDeal },
          // Deals stored before the budget have no activityBytes: they start counting from their next activity.
          $or: [{ activityBytes: { $lte: activityBudgetBytes - size } }, { activityBytes: { $exists: false } }],
        },
        update,
        { new: true, projection: dealProjection },
      )
      .lean();
    return doc ? toDeal(doc) : null;
  }

  // The lead's deal with its activities, as an erasure rewrites them.
  async findWithActivities(leadId: string): Promise<{ deal: Deal; activities: Activity[] } | null> {
    const doc = await this.deals.findOne({ leadId }, withoutOutbox).lean();
    return doc ? { deal: toDeal(doc), activities: (doc.activities ?? []).map(toActivity) } : null;
  }

  // Writes an erased deal and its rewritten activities only if nobody changed it since `expectedVersion`; an
  // activity added meanwhile bumps the version too, so none escapes the erasure.
  async saveErased(deal: Deal, activities: Activity[], expectedVersion: number): Promise<boolean> {
    // Through mongoose, which casts the proposals' bigint prices as appendActivity stored them.
    const result = await this.deals.updateOne(
      { _id: deal.id, version: expectedVersion },
      {
        $set: {
          title: deal.title,
          lostNote: deal.lostNote,
          erasedAt: deal.erasedAt,
          version: deal.version,
          activities: activities.map(({ id, ...fields }) => ({ _id: id, ...fields })),
        },
      },
    );
    return result.matchedCount === 1;
  }

  async activitiesOf(dealId: string): Promise<Activity[] | null> {
    const doc = await this.deals.findById(dealId, { activities: 1 }).lean();
    if (!doc) return null;
    return (doc.activities ?? [])
      .map(toActivity)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime());
  }

  // Open deals left in these stages of a pipeline: a pipeline change must not orphan them.
  countOpenInStages(pipelineId: string, stages: string[]): Promise<number> {
    return this.deals.countDocuments({ pipelineId, status: 'open', stage: { $in: stages } });
  }

  // A sequence shared by every copy of the service (one atomic increment), for round-robin owner assignment.
  async nextOwnerSequence(): Promise<number> {
    const counter = await this.counters.findOneAndUpdate({ _id: 'deal-owner' }, { $inc: { value: 1 } }, { upsert: true, new: true }).lean();
    return (counter?.value ?? 1) - 1;
  }
}
