import { createEvent, type OutgoingEvent } from '@crm/messaging';
import type { Deal } from '../domain/deal';
import type { Pipeline } from '../domain/pipeline';
import { toProtoDeal } from '../grpc/deal.mapper';

// The events a change of a deal causes; each carries the whole deal, so reporting needs no call back.
export function dealOpened(deal: Deal, pipeline: Pipeline): OutgoingEvent {
  return createEvent('deal.opened', { occurredAt: deal.openedAt, deal: toProtoDeal(deal, pipeline) }, deal.openedAt);
}

export function dealStageChanged(before: Deal, after: Deal, pipeline: Pipeline, now: Date): OutgoingEvent {
  return createEvent(
    'deal.stage_changed',
    { occurredAt: now, deal: toProtoDeal(after, pipeline), fromStage: before.stage, toStage: after.stage },
    now,
  );
}

export function dealClosed(deal: Deal, pipeline: Pipeline, now: Date): OutgoingEvent {
  const payload = { occurredAt: now, deal: toProtoDeal(deal, pipeline) };
  return deal.status === 'won' ? createEvent('deal.won', payload, now) : createEvent('deal.lost', payload, now);
}
