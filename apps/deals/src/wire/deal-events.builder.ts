import { createEvent, type OutgoingEvent } from '@crm/messaging';
import type { Deal } from '../domain/deal';
import { probabilityOf } from '../domain/deal-lifecycle';
import type { Pipeline } from '../domain/pipeline';
import { toProtoDeal } from './deal.mapper';
import { toProtoPipeline } from './pipeline.mapper';

// The events a change of a deal causes; each carries the whole deal (value, currency, pipeline, stage and its
// probability, source, times), so reporting needs no call back.
export function dealOpened(deal: Deal, pipeline: Pipeline): OutgoingEvent {
  return createEvent(
    'deal.opened',
    { occurredAt: deal.openedAt, deal: toProtoDeal(deal, pipeline, deal.openedAt), pipeline: toProtoPipeline(pipeline) },
    deal.openedAt,
  );
}

// A move within the pipeline, or a reopening (from a closed deal back to open).
export function dealStageChanged(before: Deal, after: Deal, pipeline: Pipeline, now: Date): OutgoingEvent {
  return createEvent(
    'deal.stage_changed',
    {
      occurredAt: now,
      deal: toProtoDeal(after, pipeline, now),
      fromStage: before.stage,
      toStage: after.stage,
      reopened: before.status !== 'open',
      fromProbability: probabilityOf(before, pipeline),
      toProbability: probabilityOf(after, pipeline),
    },
    now,
  );
}

export function dealClosed(deal: Deal, pipeline: Pipeline, now: Date): OutgoingEvent {
  const payload = { occurredAt: now, deal: toProtoDeal(deal, pipeline, now) };
  return deal.status === 'won' ? createEvent('deal.won', payload, now) : createEvent('deal.lost', payload, now);
}
