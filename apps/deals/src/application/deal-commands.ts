import { ConcurrencyConflictError, InvariantViolationError, NotFoundError, ValidationError } from '@crm/errors';
import type { OutboxRelay, OutgoingEvent } from '@crm/messaging';
import type { PageRequest } from '@crm/persistence';
import type { Deal } from '../domain/deal';
import { requireVersion, type ExpectedVersion } from '../domain/expected-version';
import { loseDeal, moveStage, reopenDeal, winDeal } from '../domain/deal-lifecycle';
import type { Money } from '../domain/money';
import type { Pipeline } from '../domain/pipeline';
import type { DealFilter, DealRepository } from '../store/deal.repository';
import type { PipelineRepository } from '../store/pipeline.repository';
import { dealClosed, dealStageChanged } from '../wire/deal-events.builder';
import { pipelineOf, type Clock, type DealView } from './deal-view';

export type DealListFilter = Omit<DealFilter, 'stale'> & { stale?: boolean };

// The changes people make to a deal: load, apply the domain rule, save with optimistic locking and the event.
export class DealCommands {
  constructor(
    private readonly deals: DealRepository,
    private readonly pipelines: PipelineRepository,
    private readonly relay: OutboxRelay,
    private readonly options: { lostReasons: string[]; now: Clock },
  ) {}

  async get(id: string): Promise<DealView> {
    const deal = await this.load(id);
    return { deal, pipeline: await pipelineOf(this.pipelines, deal) };
  }

  async list(filter: DealListFilter, page: PageRequest): Promise<{ views: DealView[]; nextPageToken: string }> {
    const all = await this.pipelines.list();
    const { stale, ...rest } = filter;
    const staleFilter = stale === undefined ? undefined : { stale, pipelines: all, now: this.options.now() };
    const { deals, nextPageToken } = await this.deals.list({ ...rest, stale: staleFilter }, page);
    const byId = new Map(all.map((p) => [p.id, p]));
    const views = deals.map((deal) => {
      const pipeline = byId.get(deal.pipelineId);
      if (!pipeline)
        throw new InvariantViolationError('DEAL_PIPELINE_MISSING', `deal ${deal.id} refers to unknown pipeline ${deal.pipelineId}`);
      return { deal, pipeline };
    });
    return { views, nextPageToken };
  }

  // `actor` is who makes the change, as recorded on the deal.
  moveStage(id: string, stage: string, expected: ExpectedVersion, actor: string): Promise<DealView> {
    return this.change(id, expected, (deal, pipeline, now) => {
      const moved = moveStage(deal, pipeline, stage, now, actor);
      return { deal: moved, events: [dealStageChanged(deal, moved, pipeline, now)] };
    });
  }

  win(id: string, finalValue: Money | undefined, expected: ExpectedVersion, actor: string): Promise<DealView> {
    return this.change(id, expected, (deal, pipeline, now) => {
      const won = winDeal(deal, finalValue, now, actor);
      return { deal: won, events: [dealClosed(won, pipeline, now)] };
    });
  }

  lose(id: string, reason: string, note: string, expected: ExpectedVersion, actor: string): Promise<DealView> {
    return this.change(id, expected, (deal, pipeline, now) => {
      const lost = loseDeal(deal, reason, note, this.options.lostReasons, now, actor);
      return { deal: lost, events: [dealClosed(lost, pipeline, now)] };
    });
  }

  // Reopening is told to the outside as a stage change with `reopened` set: the event types are a fixed contract.
  reopen(id: string, expected: ExpectedVersion, actor: string): Promise<DealView> {
    return this.change(id, expected, (deal, pipeline, now) => {
      const reopened = reopenDeal(deal, pipeline, now, actor);
      return { deal: reopened, events: [dealStageChanged(deal, reopened, pipeline, now)] };
    });
  }

  private async load(id: string): Promise<Deal> {
    if (id.trim() === '') throw new ValidationError('REQUEST_INVALID', [{ field: 'id', rule: 'required', message: 'is required' }]);
    const deal = await this.deals.findById(id);
    if (!deal) throw new NotFoundError('DEAL_NOT_FOUND', 'deal', id);
    return deal;
  }

  private async change(
    id: string,
    expected: ExpectedVersion,
    apply: (deal: Deal, pipeline: Pipeline, now: Date) => { deal: Deal; events: OutgoingEvent[] },
  ): Promise<DealView> {
    const current = await this.load(id);
    requireVersion(`deal ${id}`, current.version, expected);
    const pipeline = await pipelineOf(this.pipelines, current);
    const { deal, events } = apply(current, pipeline, this.options.now());
    if (!(await this.deals.saveChange(deal, current.version, events))) {
      throw new ConcurrencyConflictError('CONCURRENT_UPDATE', `deal ${id} was changed concurrently; reload and retry`);
    }
    this.relay.notify(deal.id);
    return { deal, pipeline };
  }
}
