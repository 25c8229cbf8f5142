import { randomUUID } from 'node:crypto';
import { ErasedError, InvariantViolationError } from '@crm/errors';
import type { OutboxRelay } from '@crm/messaging';
import { lostRace, retryOnConflict } from '@crm/persistence';
import type { ValuePolicy } from '../domain/deal-value';
import type { Money } from '../domain/money';
import { completeFromLead, openDeal, roundRobinOwner, type Assignment, type QualifiedLead } from '../domain/open-deal';
import { choosePipeline, type Pipeline } from '../domain/pipeline';
import type { DealRepository } from '../store/deal.repository';
import type { PipelineRepository } from '../store/pipeline.repository';
import { dealOpened } from '../wire/deal-events.builder';
import type { DealErasure } from './deal-erasure';
import { pipelineOf, requirePipeline, type Clock, type DealView } from './deal-view';

// Asks the owner of qualification decisions whether a lead is qualified; throws a domain error when it is not
// (FAILED_PRECONDITION) or cannot be asked (UNAVAILABLE).
export interface QualificationCheck {
  requireQualified(leadId: string): Promise<void>;
}

export interface ManualOpening {
  leadId: string;
  pipelineId?: string;
  title?: string;
  value?: Money;
  owner?: string;
  actor: string;
}

// Opens the one deal of a lead, automatically on lead.qualified or by a person. The unique index on the deal's
// lead id makes every path, redelivery and copy of the service converge on one deal.
export class DealOpening {
  constructor(
    private readonly deps: {
      deals: DealRepository;
      pipelines: PipelineRepository;
      relay: OutboxRelay;
      qualification: QualificationCheck;
      erasure: DealErasure;
      valuePolicy: ValuePolicy;
      owners: string[];
      now: Clock;
    },
  ) {}

  // Undefined for a lead whose person was erased: a late lead.qualified opens nothing and fills in nothing, and
  // erases a deal an opening left unerased (it crashed between its insert and its own check).
  async openForQualifiedLead(lead: QualifiedLead): Promise<(DealView & { created: boolean }) | undefined> {
    if (await this.deps.erasure.eraseIfErased(lead.leadId)) return undefined;
    // A lead has one deal (unique by lead), so opening one that exists fails and reads it instead (see open): with
    // no owners to take turns, that is one read less per lead; with owners, a repeated decision must not take a turn.
    const existing = this.deps.owners.length > 0 ? await this.existing(lead.leadId) : undefined;
    if (existing) return this.completed(existing, lead);
    const pipeline = choosePipeline(await this.deps.pipelines.list(), lead);
    if (!pipeline) throw new InvariantViolationError('DEFAULT_PIPELINE_MISSING', 'no default pipeline: it is seeded at start-up');
    const view = await this.open(lead, pipeline, await this.roundRobin(), 'system', {});
    return view.created ? view : this.completed(view, lead);
  }

  // A deal opened by hand knew only the lead's id: the lead's snapshot fills in its blank title and source, in one
  // versioned write (tried again on fresh state when the deal changed meanwhile).
  private completed(view: DealView & { created: boolean }, lead: QualifiedLead): Promise<DealView & { created: boolean }> {
    let current = view.deal;
    return retryOnConflict(`deal ${current.id}`, async () => {
      const completed = completeFromLead(current, lead);
      if (!completed) return { ...view, deal: current };
      if (await this.deps.deals.saveChange(completed, current.version, [])) return { ...view, deal: completed };
      const fresh = await this.deps.deals.findById(current.id);
      if (!fresh) throw new InvariantViolationError('DEAL_VANISHED', `deal ${current.id} cannot be read back`);
      current = fresh;
      return lostRace;
    });
  }

  // The existing deal when the lead has one (qualification is not asked again), else a new one once
  // qualification confirms the lead is qualified.
  async openByHand(request: ManualOpening): Promise<DealView & { created: boolean }> {
    // An erased lead's deal is made sure erased (an opening may have crashed before doing it); none is opened.
    const erasedAt = await this.deps.erasure.eraseIfErased(request.leadId);
    const existing = await this.existing(request.leadId);
    if (existing) return existing;
    if (erasedAt) throw new ErasedError('LEAD_ERASED', 'lead', request.leadId, erasedAt);
    const pipeline = request.pipelineId ? await requirePipeline(this.deps.pipelines, request.pipelineId) : undefined;
    await this.deps.qualification.requireQualified(request.leadId);
    const lead: QualifiedLead = { leadId: request.leadId, name: '', company: '', interest: '', sourceChannel: '' };
    const chosen = pipeline ?? choosePipeline(await this.deps.pipelines.list(), lead);
    if (!chosen) throw new InvariantViolationError('DEFAULT_PIPELINE_MISSING', 'no default pipeline: it is seeded at start-up');
    const actor = request.actor.trim() || 'unknown';
    const assignment = request.owner?.trim() ? { owner: request.owner.trim(), reason: `chosen by ${actor}` } : await this.roundRobin();
    return this.open(lead, chosen, assignment, actor, { title: request.title, value: request.value });
  }

  private async open(
    lead: QualifiedLead,
    pipeline: Pipeline,
    assignment: Assignment,
    openedBy: string,
    overrides: { title?: string; value?: Money },
  ): Promise<DealView & { created: boolean }> {
    const deal = openDeal(
      randomUUID(),
      lead,
      { pipelineId: pipeline.id, pipeline, assignment, openedBy, ...overrides },
      this.deps.valuePolicy,
      this.deps.now(),
    );
    const events = [dealOpened(deal, pipeline)];
    const claim = this.deps.relay.claimForWrite();
    if (await this.deps.deals.insertOpened(deal, events, claim)) {
      this.deps.relay.publishWritten(deal.id, claim, events);
      // The lead may have been erased since the check before opening: then its new deal is erased at once.
      await this.deps.erasure.eraseIfErased(lead.leadId);
      return { deal, pipeline, created: true };
    }
    // Another delivery or copy opened it in between.
    const winner = await this.existing(lead.leadId);
    if (!winner) throw new InvariantViolationError('DEAL_VANISHED', `lead ${lead.leadId} has a deal that cannot be read back`);
    return winner;
  }

  private async existing(leadId: string): Promise<(DealView & { created: boolean }) | undefined> {
    const deal = await this.deps.deals.findByLeadId(leadId);
    return deal ? { deal, pipeline: await pipelineOf(this.deps.pipelines, deal), created: false } : undefined;
  }

  // Skips the shared counter when nobody is configured: one write less per deal.
  private async roundRobin(): Promise<Assignment> {
    const { owners } = this.deps;
    return roundRobinOwner(owners, owners.length === 0 ? 0 : await this.deps.deals.nextOwnerSequence());
  }
}
