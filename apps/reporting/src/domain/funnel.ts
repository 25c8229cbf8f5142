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

// The funnel of the journeys given (already limited to the query's cohort). A journey whose capture has not been
// seen yet counts in the later steps but not as captured.
export function funnelOf(journeys: LeadJourney[]): Funnel {
  const count = (test: (j: LeadJourney) => boolean) => journeys.reduce((n, j) => (test(j) ? n + 1 : n), 0);
  const leadsCaptured = count((j) => j.capturedAt !== null);
  const leadsQualified = count((j) => j.decision === 'qualified');
  const dealsOpened = count((j) => j.dealOpenedAt !== null);
  const dealsWon = count((j) => j.outcome === 'won');
  const dealsLost = count((j) => j.outcome === 'lost');
  return {
    leadsCaptured,
    leadsQualified,
    leadsDisqualified: count((j) => j.decision === 'disqualified'),
    dealsOpened,
    dealsWon,
    dealsLost,
    qualificationRate: ratio(leadsQualified, leadsCaptured),
    leadToDealRate: ratio(dealsOpened, leadsCaptured),
    winRate: ratio(dealsWon, dealsWon + dealsLost),
  };
}

// Leads captured per UTC day and source, oldest day first, then by source.
export function capturedPerDay(journeys: LeadJourney[]): DailyCaptures[] {
  const counts = new Map<string, DailyCaptures>();
  for (const { capturedAt, source } of journeys) {
    if (!capturedAt) continue;
    const day = capturedAt.toISOString().slice(0, 10);
    const key = `${day}\u0000${source}`;
    const row = counts.get(key) ?? { day, source, leadsCaptured: 0 };
    row.leadsCaptured++;
    counts.set(key, row);
  }
  return [...counts.values()].sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source));
}
