import { ConcurrencyConflictError, NotFoundError, ValidationError } from '@crm/errors';
import type { OutboxRelay } from '@crm/messaging';
import type { Deal } from '../domain/deal';
import { loseDeal, moveStage, winDeal } from '../domain/deal-lifecycle';
import type { Money } from '../domain/money';
import type { Pipeline } from '../domain/pipeline';
import type { DealRepository } from '../store/deal.repository';
import { dealClosed, dealStageChanged } from '../messaging/deal-events';

// The changes people make to a deal: load, apply the domain rule, save with optimistic locking and the event.
export class DealCommands {
  constructor(
    private readonly deals: DealRepository,
    private readonly pipelines: (id: string) => Pipeline | undefined,
    private readonly relay: OutboxRelay,
  ) {}

  async get(id: string): Promise<Deal> {
    if (id.trim() === '') throw new ValidationError([{ field: 'id', rule: 'required', message: 'is required' }]);
    const deal = await this.deals.findById(id);
    if (!deal) throw new NotFoundError('deal', id);
    return deal;
  }

  pipelineOf(deal: Deal): Pipeline {
    const pipeline = this.pipelines(deal.pipelineId);
    if (!pipeline) throw new Error(`deal ${deal.id} refers to unknown pipeline ${deal.pipelineId}`);
    return pipeline;
  }

  moveStage(id: string, stage: string, expectedVersion: number): Promise<Deal> {
    return this.change(id, expectedVersion, (deal, pipeline, now) => {
      const moved = moveStage(deal, pipeline, stage, now);
      return { deal: moved, events: [dealStageChanged(deal, moved, pipeline, now)] };
    });
  }

  win(id: string, finalValue: Money | undefined, expectedVersion: number): Promise<Deal> {
    return this.change(id, expectedVersion, (deal, pipeline, now) => {
      const won = winDeal(deal, finalValue, now);
      return { deal: won, events: [dealClosed(won, pipeline, now)] };
    });
  }

  lose(id: string, reason: string, expectedVersion: number): Promise<Deal> {
    return this.change(id, expectedVersion, (deal, pipeline, now) => {
      const lost = loseDeal(deal, reason, now);
      return { deal: lost, events: [dealClosed(lost, pipeline, now)] };
    });
  }

  private async change(
    id: string,
    expectedVersion: number,
    apply: (deal: Deal, pipeline: Pipeline, now: Date) => { deal: Deal; events: ReturnType<typeof dealClosed>[] },
  ): Promise<Deal> {
    const current = await this.get(id);
    if (expectedVersion !== 0 && current.version !== expectedVersion) {
      throw new ConcurrencyConflictError(`deal ${id} is at version ${current.version}, not ${expectedVersion}; reload and retry`);
    }
    const { deal, events } = apply(current, this.pipelineOf(current), new Date());
    if (!(await this.deals.saveChange(deal, current.version, events))) {
      throw new ConcurrencyConflictError(`deal ${id} was changed concurrently; reload and retry`);
    }
    this.relay.notify();
    return deal;
  }
}
