import type { ReportTiming } from './report-latency';
import { scenarioLabel, type ScenarioFigures } from './scenario-runner';
import type { SeedResult } from './store-seeder';

export interface PhaseFigures {
  phase: 'empty' | 'seeded';
  seededLeads: number;
  seeding?: SeedResult;
  system: ScenarioFigures[];
  floor: ScenarioFigures[];
  reports: ReportTiming[];
}

// Which floor process does the I/O of which service, for the CPU ratios.
export const floorCounterpart: Record<string, string> = {
  'lead-intake': 'floor-intake',
  qualification: 'hop-qualify',
  deals: 'hop-deal',
  reporting: 'hop-count',
  rabbitmq: 'rabbitmq',
  mongodb: 'mongodb',
  generator: 'generator',
};

const show = (n: number) => (n === Infinity ? 'timeout' : Number.isNaN(n) ? 'n/a' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ratio = (system: number, floor: number) =>
  Number.isFinite(system) && Number.isFinite(floor) && floor !== 0 ? (system / floor).toFixed(2) : 'n/a';

function row(label: string, system: number, floor: number): string {
  return `  ${label.padEnd(40)} ${show(system).padStart(9)} ${show(floor).padStart(9)} ${ratio(system, floor).padStart(7)}`;
}

export function phaseTable(p: PhaseFigures): string {
  const lines = [
    `\n== ${p.phase} stores (${p.seededLeads} leads seeded${p.seeding ? `, in ${p.seeding.seconds.toFixed(1)} s: ${((p.seeding.seconds * 10_000) / Math.max(1, p.seeding.leads)).toFixed(1)} s per 10k leads, ${p.seeding.documents} documents` : ''})`,
  ];
  lines.push(`  ${'figure'.padEnd(40)} ${'system'.padStart(9)} ${'floor'.padStart(9)} ${'ratio'.padStart(7)}`);
  p.system.forEach((s, i) => {
    const f = p.floor[i];
    const label = scenarioLabel(s.scenario);
    if (s.scenario.kind === 'closed') {
      lines.push(row(`${label} accepted/s`, s.acceptedPerSec, f.acceptedPerSec));
      lines.push(row(`${label} completed/s (within the load)`, s.completedPerSec, f.completedPerSec));
      lines.push(row(`${label} drain after load, s`, s.drainSeconds, f.drainSeconds));
    } else {
      lines.push(row(`${label} accepted/s`, s.acceptedPerSec, f.acceptedPerSec));
    }
    lines.push(row(`${label} POST->deal.opened p50 ms`, s.openedP50Ms, f.openedP50Ms));
    lines.push(row(`${label} POST->deal.opened p99 ms`, s.openedP99Ms, f.openedP99Ms));
    lines.push(row(`${label} POST->counted p50 ms`, s.countedP50Ms, f.countedP50Ms));
    lines.push(row(`${label} POST->counted p99 ms`, s.countedP99Ms, f.countedP99Ms));
    for (const [process, ms] of Object.entries(s.cpuMsPerLead))
      lines.push(row(`${label} CPU ms/lead ${process}`, ms, f.cpuMsPerLead[floorCounterpart[process]]));
    const notes = [
      s.missing && `system: ${s.missing} never counted`,
      f.missing && `floor: ${f.missing} never counted`,
      s.skipped && `system: ${s.skipped} not sent`,
    ]
      .filter(Boolean)
      .join('; ');
    // Answers other than 2xx: an HTTP status, or the error of a request that got no answer.
    const bad = (x: ScenarioFigures) => Object.entries(x.statuses).filter(([code]) => !code.startsWith('2'));
    const errors = [...bad(s).map(([c, n]) => `system ${c} x${n}`), ...bad(f).map(([c, n]) => `floor ${c} x${n}`)].join('; ');
    if (notes || errors) lines.push(`  (${[notes, errors].filter(Boolean).join('; ')})`);
  });
  lines.push(`  reports over the whole store, uncached (median / worst of the timed calls, ms):`);
  const byReport = new Map<string, string[]>();
  for (const t of p.reports)
    byReport.set(t.report, [...(byReport.get(t.report) ?? []), `${t.transport} ${show(t.medianMs)} / ${show(t.maxMs)}`]);
  for (const [report, cells] of byReport) lines.push(`    ${report.padEnd(14)} ${cells.join('   ')}`);
  return lines.join('\n');
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

// The team's targets, checked against this run's figures (informational: the benchmark asserts nothing).
export function targetChecks(phases: PhaseFigures[]): TargetCheck[] {
  const empty = phases.find((p) => p.phase === 'empty');
  const seeded = phases.find((p) => p.phase === 'seeded');
  const closed = (p?: PhaseFigures) => p?.system.find((s) => s.scenario.kind === 'closed');
  const at100 = empty?.system.find((s) => s.scenario.kind === 'open' && s.scenario.rate === 100);
  const checks: TargetCheck[] = [];
  const completed = closed(empty)?.completedPerSec ?? NaN;
  checks.push({
    target: '>= 150 leads/s completed sustained (empty, closed loop)',
    measured: `${show(completed)}/s`,
    met: Number.isFinite(completed) ? completed >= 150 : null,
  });
  checks.push({
    target: 'POST->deal.opened p99 <= 500 ms at 100 leads/s (empty)',
    measured: at100 ? `${show(at100.openedP99Ms)} ms` : 'not run',
    met: at100 ? at100.openedP99Ms <= 500 : null,
  });
  const seededCompleted = closed(seeded)?.completedPerSec ?? NaN;
  checks.push({
    target: `throughput with ${seeded?.seededLeads ?? 0} leads stored >= 90% of empty`,
    measured: seeded ? `${show(seededCompleted)}/s = ${((100 * seededCompleted) / completed).toFixed(0)}%` : 'not run',
    met: seeded ? seededCompleted >= 0.9 * completed : null,
  });
  for (const p of phases) {
    const worst = p.reports.reduce((w, t) => (t.medianMs > w.medianMs ? t : w), p.reports[0]);
    checks.push({
      target: `every report <= 100 ms uncached (${p.phase}, median)`,
      measured: worst ? `slowest ${worst.report} over ${worst.transport}: ${show(worst.medianMs)} ms` : 'not run',
      met: worst ? p.reports.every((t) => t.medianMs <= 100) : null,
    });
  }
  return checks;
}

export function targetsTable(checks: TargetCheck[]): string {
  return ['\n== targets', ...checks.map((c) => `  [${c.met === null ? ' -- ' : c.met ? 'MET ' : 'MISS'}] ${c.target}: ${c.measured}`)].join(
    '\n',
  );
}
