import { PreconditionFailedError, ValidationError } from '@crm/errors';
import type { Deal, StageVisit } from './deal';
import type { Money } from './money';
import { findStage, type PipelineDefinition } from './pipeline';

const maxNoteLength = 2000;

function requireOpen(deal: Deal): void {
  if (deal.status !== 'open') {
    throw new PreconditionFailedError('DEAL_CLOSED', `deal ${deal.id} is ${deal.status}; only an open deal can change`);
  }
}

function closeCurrentVisit(history: StageVisit[], now: Date, closedAs: StageVisit['closedAs'] = null): StageVisit[] {
  return history.map((visit) => (visit.exitedAt === null ? { ...visit, exitedAt: now, closedAs } : visit));
}

// Moves an open deal to another stage of its pipeline, forwards or backwards.
export function moveStage(deal: Deal, pipeline: PipelineDefinition, stageId: string, now: Date, actor: string): Deal {
  requireOpen(deal);
  if (!findStage(pipeline, stageId)) {
    throw new ValidationError('STAGE_NOT_IN_PIPELINE', [
      { field: 'stage', rule: 'pipeline-stage', message: `"${stageId}" is not a stage of pipeline ${deal.pipelineId}` },
    ]);
  }
  if (stageId === deal.stage) {
    throw new PreconditionFailedError('DEAL_ALREADY_IN_STAGE', `deal ${deal.id} is already in stage ${stageId}`);
  }
  return {
    ...deal,
    stage: stageId,
    stageHistory: [
      ...closeCurrentVisit(deal.stageHistory, now),
      { stage: stageId, enteredAt: now, exitedAt: null, closedAs: null, enteredBy: actor },
    ],
    idleSince: now,
    version: deal.version + 1,
  };
}

export function winDeal(deal: Deal, finalValue: Money | undefined, now: Date, actor: string): Deal {
  requireOpen(deal);
  return {
    ...deal,
    status: 'won',
    value: finalValue ?? deal.value,
    valueNeedsEstimate: finalValue ? false : deal.valueNeedsEstimate,
    closedAt: now,
    closedBy: actor,
    stageHistory: closeCurrentVisit(deal.stageHistory, now, 'won'),
    version: deal.version + 1,
  };
}

// Loses an open deal for one of the configured reasons, with optional free text.
export function loseDeal(deal: Deal, reason: string, note: string, allowedReasons: string[], now: Date, actor: string): Deal {
  requireOpen(deal);
  const normalised = reason.trim().toLowerCase();
  if (!allowedReasons.includes(normalised)) {
    throw new ValidationError('LOST_REASON_INVALID', [
      { field: 'reason', rule: 'lost-reason', message: `must be one of ${allowedReasons.join(', ')}` },
    ]);
  }
  if (note.length > maxNoteLength) {
    throw new ValidationError('LOST_REASON_INVALID', [
      { field: 'note', rule: 'length', message: `must have at most ${maxNoteLength} characters` },
    ]);
  }
  return {
    ...deal,
    status: 'lost',
    lostReason: normalised,
    // An erased lead's deal takes no new words about its person.
    lostNote: deal.erasedAt ? '' : note.trim(),
    closedAt: now,
    closedBy: actor,
    stageHistory: closeCurrentVisit(deal.stageHistory, now, 'lost'),
    version: deal.version + 1,
  };
}

// Brings a won or lost deal back to open in the stage it closed in (the pipeline's first stage if that stage was
// removed since); the earlier visits and how they ended stay in the history.
export function reopenDeal(deal: Deal, pipeline: PipelineDefinition, now: Date, actor: string): Deal {
  if (deal.status === 'open')
    throw new PreconditionFailedError('DEAL_ALREADY_OPEN', `deal ${deal.id} is open; only a won or lost deal can be reopened`);
  const stage = findStage(pipeline, deal.stage) ? deal.stage : pipeline.stages[0].id;
  return {
    ...deal,
    status: 'open',
    stage,
    closedAt: null,
    closedBy: '',
    lostReason: '',
    lostNote: '',
    stageHistory: [...deal.stageHistory, { stage, enteredAt: now, exitedAt: null, closedAs: null, enteredBy: actor }],
    idleSince: now,
    version: deal.version + 1,
  };
}

// Win probability: that of the current stage while open, 100 when won, 0 when lost.
export function probabilityOf(deal: Deal, pipeline: PipelineDefinition): number {
  if (deal.status === 'won') return 100;
  if (deal.status === 'lost') return 0;
  return findStage(pipeline, deal.stage)?.probability ?? 0;
}
