import { cohortContribution, journeyCounts, type CohortBucket } from './cohort-figures';
import { figureKey, sumFigures, type BucketFigures, type Figures } from './figures';
import type { LeadJourney } from './lead-journey';

// How many leads reached each step of the funnel, and the rates between the steps (0 to 1).
export interface Funnel {
  leadsCaptured: number;
  leadsQualified: number;
  leadsDisqualified: number;
  dealsOpened: number;
  dealsWon: number;
  dealsLost: number;
  qualificationRate: number;
  leadToDealRate: number;
  winRate: number;
}

// Leads captured in [from, to), from one source when given.
export interface FunnelQuery {
  from?: Date;
  to?: Date;
  source?: string;
}

export interface DailyCaptures {
  day: string;
  source: string;
  leadsCaptured: number;
}

export const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

const tally = (figures: Figures, name: string) => figures.get(figureKey(name))?.count ?? 0;

// The funnel of summed cohort figures.
export function funnelFrom(figures: Figures): Funnel {
  const [leadsCaptured, leadsQualified, leadsDisqualified, dealsOpened, dealsWon, dealsLost] = [
    'leadsCaptured',
    'leadsQualified',
    'leadsDisqualified',
    'dealsOpened',
    'dealsWon',
    'dealsLost',
  ].map((name) => tally(figures, name));
  return {
    leadsCaptured,
    leadsQualified,
    leadsDisqualified,
    dealsOpened,
    dealsWon,
    dealsLost,
    qualificationRate: ratio(leadsQualified, leadsCaptured),
    leadToDealRate: ratio(dealsOpened, leadsCaptured),
    winRate: ratio(dealsWon, dealsWon + dealsLost),
  };
}

// The funnel of the journeys given (already limited to the query's cohort). A journey whose capture has not been
// seen yet counts in the later steps but not as captured.
export function funnelOf(journeys: LeadJourney[]): Funnel {
  return funnelFrom(sumFigures(journeys.map(journeyCounts)));
}

// Leads captured per UTC day and source, oldest day first, then by source.
export function capturedPerDayFrom(buckets: BucketFigures<CohortBucket>[]): DailyCaptures[] {
  const counts = new Map<string, DailyCaptures>();
  for (const { bucket, figures } of buckets) {
    const captured = tally(figures, 'leadsCaptured');
    if (bucket.day === '' || captured === 0) continue;
    // Named by the first ten characters of the date, as they always were (a year beyond four digits is cut).
    const day = bucket.day.slice(0, 10);
    const key = `${day}\u0000${bucket.source}`;
    const row = counts.get(key) ?? { day, source: bucket.source, leadsCaptured: 0 };
    row.leadsCaptured += captured;
    counts.set(key, row);
  }
  return [...counts.values()]
    .filter((row) => row.leadsCaptured > 0)
    .sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source));
}

export function capturedPerDay(journeys: LeadJourney[]): DailyCaptures[] {
  return capturedPerDayFrom(journeys.map(cohortContribution));
}
