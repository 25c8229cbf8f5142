import { captureDayOf } from './cohort-figures';
import { addTally, figureKey, type BucketFigures, type Figures } from './figures';
import type { LeadJourney } from './lead-journey';

// The durations of the leads of one UTC capture day and lead source ('' day: capture not seen yet). An exact median
// needs every duration, so each is kept as a count per distinct value; a day's leads are spread over a few shards
// (by lead id) so that no single document holds, and is rewritten with, every duration of a busy day.
export interface CycleBucket {
  day: string;
  source: string;
  shard: string;
}

export const cycleShards = 4;

export const cycleBucketId = ({ day, source, shard }: CycleBucket): string => JSON.stringify([day, source, shard]);

// FNV-1a: stable across processes and versions, which the shard of a stored duration must be.
function shardOf(leadId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < leadId.length; i++) hash = Math.imul(hash ^ leadId.charCodeAt(i), 0x01000193);
  return String((hash >>> 0) % cycleShards);
}

const elapsedMs = (start: Date | null | undefined, end: Date | null | undefined) =>
  start && end ? end.getTime() - start.getTime() : undefined;

// One lead's durations, a pure function of its journey (which holds its deal's dates and stage visits):
// - ["toQualified", ms]: capture to its latest decision, when that decision is "qualified";
// - ["toWon", dealSource, ms]: deal opened to won;
// - ["stay", dealSource, pipelineId, stage, ms]: a completed stay in a stage;
// - ["stageAt", dealSource, pipelineId, stage, position]: a stage reached at that position of the deal's history,
//   which orders the stages of the report.
export function cycleContribution(journey: LeadJourney): BucketFigures<CycleBucket> {
  const figures: Figures = new Map();
  const count = (...parts: Array<string | number>) => addTally(figures, figureKey(...parts), 1);
  const toQualified = journey.decision === 'qualified' ? elapsedMs(journey.capturedAt, journey.decisionAt) : undefined;
  if (toQualified !== undefined) count('toQualified', toQualified);
  const deal = journey.deal;
  if (deal) {
    const toWon = deal.status === 'won' ? elapsedMs(deal.openedAt, deal.closedAt) : undefined;
    if (toWon !== undefined) count('toWon', deal.source, toWon);
    // A journey stored before its deal carried its stage visits has none until the deal's next event.
    (deal.stageVisits ?? []).forEach((visit, position) => {
      count('stageAt', deal.source, deal.pipelineId, visit.stage, position);
      const stay = elapsedMs(visit.enteredAt, visit.exitedAt);
      if (stay !== undefined) count('stay', deal.source, deal.pipelineId, visit.stage, stay);
    });
  }
  return { bucket: { day: captureDayOf(journey.capturedAt), source: journey.source, shard: shardOf(journey.leadId) }, figures };
}
