import type { CycleBucket } from './cycle-figures';
import type { DealView } from './deal-view';
import { durationStats, durationStatsOf, type DurationCounts, type DurationStats } from './duration-stats';
import { keyParts, type BucketFigures } from './figures';
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

// A stage's stays, and the earliest position at which any deal reached it.
interface Stays<D> {
  pipelineId: string;
  stage: string;
  rank: number;
  durations: D;
}

const between = (start: Date | null, end: Date | null) => (start && end ? [end.getTime() - start.getTime()] : []);

// Stages come in the order deals first reach them (by their earliest position in a deal's history), then by name;
// a stage with no completed stay is left out (a stay still going on has no length yet).
function timeInStage<D>(stays: Iterable<Stays<D>>, stats: (durations: D) => DurationStats): StageDuration[] {
  return [...stays]
    .map((entry) => ({ ...entry, duration: stats(entry.durations) }))
    .filter((entry) => entry.duration.count > 0)
    .sort((a, b) => a.pipelineId.localeCompare(b.pipelineId) || a.rank - b.rank || a.stage.localeCompare(b.stage))
    .map(({ pipelineId, stage, duration }) => ({ pipelineId, stage, duration }));
}

// Times from capture to qualification (leads whose latest decision is "qualified"), from deal opened to won, and
// spent in each stage, computed from the journeys and deal views themselves.
export function cycleTimes(journeys: LeadJourney[], deals: DealView[]): CycleTimes {
  const stays = new Map<string, Stays<number[]>>();
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
    timeInStage: timeInStage(stays.values(), durationStats),
  };
}

// Which of a cohort's durations a report takes: those of leads of `source` (every lead without one); of deals of
// `source` and, in a range, of leads of that source too (as the cohort's deals were chosen when read whole).
export interface CycleScope {
  source?: string;
  ranged: boolean;
}

// The same report from the durations kept per bucket (see cycleContribution).
export function cycleTimesFrom(buckets: BucketFigures<CycleBucket>[], { source, ranged }: CycleScope): CycleTimes {
  const toQualified: DurationCounts = new Map();
  const toWon: DurationCounts = new Map();
  const stays = new Map<string, Stays<DurationCounts>>();
  const add = (counts: DurationCounts, ms: string, times: number) => counts.set(Number(ms), (counts.get(Number(ms)) ?? 0) + times);
  for (const { bucket, figures } of buckets) {
    const leadsOfSource = !source || bucket.source === source;
    for (const [key, { count }] of figures) {
      const [name, ...parts] = keyParts(key);
      if (name === 'toQualified') {
        if (leadsOfSource) add(toQualified, parts[0], count);
        continue;
      }
      const [dealSource, ...rest] = parts;
      if (source && (dealSource !== source || (ranged && !leadsOfSource))) continue;
      if (name === 'toWon') {
        add(toWon, rest[0], count);
        continue;
      }
      const [pipelineId, stage, value] = rest;
      const id = JSON.stringify([pipelineId, stage]);
      const entry = stays.get(id) ?? { pipelineId, stage, rank: Infinity, durations: new Map<number, number>() };
      if (name === 'stageAt') entry.rank = Math.min(entry.rank, Number(value));
      else add(entry.durations, value, count);
      stays.set(id, entry);
    }
  }
  return {
    captureToQualification: durationStatsOf(toQualified),
    dealOpenedToWon: durationStatsOf(toWon),
    timeInStage: timeInStage(stays.values(), durationStatsOf),
  };
}
