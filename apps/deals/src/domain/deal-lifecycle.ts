import { PreconditionFailedError, ValidationError } from '@crm/errors';
import type { Deal, StageVisit } from './deal';
import type { Money } from './money';
import { findStage, type Pipeline } from './pipeline';

function requireOpen(deal: Deal): void {
  if (deal.status !== 'open') {
    throw new PreconditionFailedError(`deal ${deal.id} is ${deal.status}; only an open deal can change`);
  }
}

function closeCurrentVisit(history: StageVisit[], now: Date): StageVisit[] {
  return history.map((visit) => (visit.exitedAt === null ? { ...visit, exitedAt: now } : visit));
}

// Moves an open deal to another stage of its pipeline, forwards or backwards.
export function moveStage(deal: Deal, pipeline: Pipeline, stageId: string, now: Date): Deal {
  requireOpen(deal);
  if (!findStage(pipeline, stageId)) {
    throw new ValidationError([
      { field: 'stage', rule: 'pipeline-stage', message: `"${stageId}" is not a stage of pipeline ${pipeline.id}` },
    ]);
  }
  if (stageId === deal.stage) {
    throw new PreconditionFailedError(`deal ${deal.id} is already in stage ${stageId}`);
  }
  return {
    ...deal,
    stage: stageId,
    stageHistory: [...closeCurrentVisit(deal.stageHistory, now), { stage: stageId, enteredAt: now, exitedAt: null }],
    version: deal.version + 1,
  };
}

export function winDeal(deal: Deal, finalValue: Money | undefined, now: Date): Deal {
  requireOpen(deal);
  return {
    ...deal,
    status: 'won',
    value: finalValue ?? deal.value,
    valueNeedsEstimate: finalValue ? false : deal.valueNeedsEstimate,
    closedAt: now,
    stageHistory: closeCurrentVisit(deal.stageHistory, now),
    version: deal.version + 1,
  };
}

export function loseDeal(deal: Deal, reason: string, now: Date): Deal {
  requireOpen(deal);
  if (reason.trim() === '') {
    throw new ValidationError([{ field: 'reason', rule: 'required', message: 'a lost deal needs a reason' }]);
  }
  return {
    ...deal,
    status: 'lost',
    lostReason: reason.trim(),
    closedAt: now,
    stageHistory: closeCurrentVisit(deal.stageHistory, now),
    version: deal.version + 1,
  };
}

// Win probability: that of the current stage while open, 100 when won, 0 when lost.
export function probabilityOf(deal: Deal, pipeline: Pipeline): number {
  if (deal.status === 'won') return 100;
  if (deal.status === 'lost') return 0;
  return findStage(pipeline, deal.stage)?.probability ?? 0;
}
