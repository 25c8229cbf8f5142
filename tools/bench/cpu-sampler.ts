import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// CPU time of processes from /proc/<pid>/stat (utime + stime, in clock ticks), so each scenario can be charged
// in CPU milliseconds per lead. Linux only; a process that cannot be read counts as unknown (NaN).
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

// The pid listening on a loopback TCP port (the broker, the MongoDB server), found with `ss`; undefined when the
// server is elsewhere or `ss` is missing.
export function listenerPid(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return undefined;
    const port = parsed.port || (parsed.protocol.startsWith('amqp') ? '5672' : '27017');
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export type CpuSnapshot = Record<string, number>;

export function sampleCpu(pids: Record<string, number | undefined>): CpuSnapshot {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
}

// CPU ms per lead of each process between two snapshots.
export function cpuPerLead(before: CpuSnapshot, after: CpuSnapshot, leads: number): Record<string, number> {
  return Object.fromEntries(Object.keys(before).map((name) => [name, leads > 0 ? (after[name] - before[name]) / leads : NaN]));
}
