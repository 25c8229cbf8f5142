import type { DealView } from './deal-view';
import { durationStats, type DurationStats } from './duration-stats';
import type { LeadJourney } from './lead-journey';

export interface StageDuration {
  pipelineId: string;
  stage: string;
  duration: DurationStats;
}

export interface CycleTimes {
  captureToQualification: DurationStats;
  dealOpenedToWon: DurationStats;
  timeInStage: StageDuration[];
}

const between = (start: Date | null, end: Date | null) => (start && end ? [end.getTime() - start.getTime()] : []);

// Times from capture to qualification (leads whose latest decision is "qualified"), from deal opened to won, and
// spent in each stage (completed stays only: a stay still going on has no length yet). Stages come in the order
// deals first reach them (by their earliest position in a deal's history), then by name.
export function cycleTimes(journeys: LeadJourney[], deals: DealView[]): CycleTimes {
  const stays = new Map<string, { pipelineId: string; stage: string; rank: number; durations: number[] }>();
  for (const deal of deals) {
    deal.stageVisits.forEach((visit, index) => {
      const key = `${deal.pipelineId}\u0000${visit.stage}`;
      const entry = stays.get(key) ?? { pipelineId: deal.pipelineId, stage: visit.stage, rank: index, durations: [] };
      entry.rank = Math.min(entry.rank, index);
      entry.durations.push(...between(visit.enteredAt, visit.exitedAt));
      stays.set(key, entry);
    });
  }
  return {
    captureToQualification: durationStats(
      journeys.filter((j) => j.decision === 'qualified').flatMap((j) => between(j.capturedAt, j.decisionAt)),
    ),
    dealOpenedToWon: durationStats(deals.filter((d) => d.status === 'won').flatMap((d) => between(d.openedAt, d.closedAt))),
    timeInStage: [...stays.values()]
      .filter((entry) => entry.durations.length > 0)
      .sort((a, b) => a.pipelineId.localeCompare(b.pipelineId) || a.rank - b.rank || a.stage.localeCompare(b.stage))
      .map(({ pipelineId, stage, durations }) => ({ pipelineId, stage, duration: durationStats(durations) })),
  };
}
