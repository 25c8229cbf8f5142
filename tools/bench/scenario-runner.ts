import type { CompletionTracker } from './completion-tracker';
import { cpuPerLead, sampleCpu } from './cpu-sampler';
import { percentile } from './latency-stats';
import { closedLoop, openLoop, type LoadResult, type LoadTarget } from './load-generator';

export type Scenario = { kind: 'closed'; clients: number } | { kind: 'open'; rate: number };

export interface ScenarioFigures {
  scenario: Scenario;
  accepted: number;
  acceptedPerSec: number;
  // Completed (counted) while the load ran, per second of load: the sustained rate.
  completedPerSec: number;
  // Seconds after the load stopped until the last accepted lead was counted (or the drain gave up).
  drainSeconds: number;
  // Accepted leads never counted within the drain time.
  missing: number;
  openedP50Ms: number;
  openedP99Ms: number;
  countedP50Ms: number;
  countedP99Ms: number;
  statuses: Record<string, number>;
  skipped: number;
  cpuMsPerLead: Record<string, number>;
}

export interface Subject {
  target: LoadTarget;
  tracker: CompletionTracker;
  pids: Record<string, number | undefined>;
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

// One scenario against one subject (the system or the floor): load for `durationMs`, then wait (bounded) for the
// accepted leads to complete, with CPU sampled before the load and after the drain.
export async function runScenario(
  subject: Subject,
  scenario: Scenario,
  durationMs: number,
  drainMs: number,
  firstIndex: number,
): Promise<ScenarioFigures> {
  const before = sampleCpu(subject.pids);
  const load: LoadResult =
    scenario.kind === 'closed'
      ? await closedLoop(subject.target, scenario.clients, durationMs, firstIndex)
      : await openLoop(subject.target, scenario.rate, durationMs, firstIndex);
  const ids = load.posted.map((p) => p.leadId);
  const missing = await subject.tracker.drain(ids, drainMs);
  const drainedAt = performance.now();
  const after = sampleCpu(subject.pids);
  const { opened, counted } = subject.tracker;
  const windowEnd = load.startedAt + durationMs;
  const completedInWindow = ids.filter((id) => (counted.get(id) ?? Infinity) <= windowEnd).length;
  const lastCounted = ids.reduce((last, id) => Math.max(last, counted.get(id) ?? 0), load.endedAt);
  const latencies = (times: Map<string, number>) =>
    load.posted.map((p) => (times.has(p.leadId) ? times.get(p.leadId)! - p.sentAt : Infinity));
  const openedMs = latencies(opened);
  const countedMs = latencies(counted);
  return {
    scenario,
    accepted: ids.length,
    acceptedPerSec: round((ids.length * 1000) / durationMs),
    completedPerSec: round((completedInWindow * 1000) / durationMs),
    drainSeconds: round(((missing > 0 ? drainedAt : lastCounted) - load.endedAt) / 1000),
    missing,
    openedP50Ms: round(percentile(openedMs, 50)),
    openedP99Ms: round(percentile(openedMs, 99)),
    countedP50Ms: round(percentile(countedMs, 50)),
    countedP99Ms: round(percentile(countedMs, 99)),
    statuses: load.statuses,
    skipped: load.skipped,
    cpuMsPerLead: Object.fromEntries(Object.entries(cpuPerLead(before, after, ids.length)).map(([k, v]) => [k, round(v, 2)])),
  };
}

export function scenarioLabel(s: Scenario): string {
  return s.kind === 'closed' ? `closed C=${s.clients}` : `open ${s.rate}/s`;
}
