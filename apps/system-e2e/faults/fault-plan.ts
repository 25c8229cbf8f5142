import { sleep, waitFor } from '@crm/testing';
import type { LeadStream, PostResult } from './lead-stream';
import type { MongoServer } from './mongo-server';
import type { RabbitNode } from './rabbitmq-node';
import type { ServiceFleet, ServiceName } from './service-fleet';
import type { SystemClients } from './system-clients';

export interface FaultRecord {
  name: string;
  // Milliseconds since the suite started.
  downAt: number;
  // The process or server is up again (a service ready, a server listening).
  backAt?: number;
  // Every copy is ready and a lead posted after the fault has its deal.
  recoveredAt?: number;
  notes: string[];
  failures: string[];
}

export interface FaultContext {
  fleet: ServiceFleet;
  mongo: MongoServer;
  rabbit: RabbitNode;
  stream: LeadStream;
  clients: SystemClients;
  startedAt: number;
  // Between the end of one fault and the start of the next.
  pauseMs: number;
  // How long MongoDB and RabbitMQ stay down.
  outageMs: number;
  // Longest acceptable answer of intake while MongoDB is down.
  promptMs: number;
}

const isSuccess = (status: PostResult['status']) => typeof status === 'number' && status >= 200 && status < 300;

// The faults, one at a time with a pause between: SIGKILL and restart one copy of each service (lead-intake while
// requests are in flight), restart the MongoDB server, restart RabbitMQ.
export async function runFaultPlan(context: FaultContext, log: (line: string) => void): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  const killings: [ServiceName, number][] = [
    ['lead-intake', 0],
    ['qualification', 1],
    ['deals', 0],
    ['reporting', 1],
  ];
  for (const [name, copy] of killings) {
    records.push(await killService(context, name, copy));
    log(describe(records.at(-1)!));
    await sleep(context.pauseMs);
  }
  records.push(await restartMongo(context));
  log(describe(records.at(-1)!));
  await sleep(context.pauseMs);
  records.push(await restartRabbit(context));
  log(describe(records.at(-1)!));
  return records;
}

function describe(record: FaultRecord): string {
  const s = (ms: number | undefined) => (ms === undefined ? 'never' : `${((ms - record.downAt) / 1000).toFixed(1)} s`);
  return `fault ${record.name}: back after ${s(record.backAt)}, recovered after ${s(record.recoveredAt)}${record.failures.length ? ` FAILED: ${record.failures.join('; ')}` : ''}`;
}

const now = (context: FaultContext) => Date.now() - context.startedAt;

async function killService(context: FaultContext, name: ServiceName, copy: number): Promise<FaultRecord> {
  if (name === 'lead-intake') {
    // Kill it in the middle of requests: wait until some are in flight.
    await waitFor('requests in flight', () => context.stream.inFlight > 0, { timeoutMs: 10_000, intervalMs: 1 }).catch(() => undefined);
  }
  const inFlight = context.stream.inFlight;
  const record: FaultRecord = { name: `SIGKILL ${name}#${copy}`, downAt: now(context), notes: [], failures: [] };
  if (name === 'lead-intake') record.notes.push(`${inFlight} request(s) in flight at the kill`);
  await context.fleet.kill(name, copy);
  return bringBack(context, record, () => context.fleet.restart(name, copy));
}

async function restartMongo(context: FaultContext): Promise<FaultRecord> {
  const record: FaultRecord = { name: 'restart MongoDB (SIGKILL)', downAt: now(context), notes: [], failures: [] };
  await context.mongo.kill();
  // While it is down, intake must answer at once with a 503, and never with a 2xx (it cannot store the lead).
  const probes = await probeIntakeDuring(context, context.outageMs);
  const slow = probes.filter((p) => p.result.latencyMs > context.promptMs || p.result.status === 'timeout');
  const accepted = probes.filter((p) => isSuccess(p.result.status));
  record.notes.push(
    `while down: ${probes.length} probe(s), answers ${summarise(probes.map((p) => p.result.status))}, slowest ${Math.max(0, ...probes.map((p) => p.result.latencyMs))} ms`,
  );
  if (slow.length > 0) record.failures.push(`${slow.length} probe(s) answered after more than ${context.promptMs} ms`);
  if (accepted.length > 0) record.failures.push(`${accepted.length} probe(s) got a 2xx while MongoDB was down`);
  // A refusal must say "retry shortly" (503): a 500 would tell the form's back end the lead itself is at fault.
  const otherRefusals = probes.filter((p) => !isSuccess(p.result.status) && p.result.status !== 503);
  if (otherRefusals.length > 0) record.failures.push(`${summarise(otherRefusals.map((p) => p.result.status))} instead of 503`);
  return bringBack(context, record, () => context.mongo.boot());
}

async function restartRabbit(context: FaultContext): Promise<FaultRecord> {
  const record: FaultRecord = { name: 'restart RabbitMQ (rabbitmqctl stop)', downAt: now(context), notes: [], failures: [] };
  await context.rabbit.stop();
  // Intake keeps accepting leads while the broker is away: each is stored with its event in the outbox.
  const probes = await probeIntakeDuring(context, context.outageMs);
  record.notes.push(`while down: ${probes.length} probe(s), answers ${summarise(probes.map((p) => p.result.status))}`);
  if (probes.some((p) => !isSuccess(p.result.status))) record.failures.push('intake refused a lead while only RabbitMQ was down');
  return bringBack(context, record, () => context.rabbit.boot());
}

// Starts what a fault took down and waits for the system to recover; a start that fails is the fault's failure.
async function bringBack(context: FaultContext, record: FaultRecord, start: () => Promise<unknown>): Promise<FaultRecord> {
  try {
    await start();
    record.backAt = now(context);
  } catch (err) {
    record.failures.push(`did not start again: ${(err as Error).message.split('\n')[0]}`);
    return record;
  }
  await awaitRecovery(context, record);
  return record;
}

// A probe lead every 500 ms, alternating between the intake copies, for `durationMs`; each probe runs on its own, so
// a slow answer does not hold the next one back. Resolves once every probe has its answer.
async function probeIntakeDuring(context: FaultContext, durationMs: number) {
  const until = Date.now() + durationMs;
  const probes: ReturnType<LeadStream['probe']>[] = [];
  for (let i = 0; Date.now() < until; i++) {
    probes.push(context.stream.probe(i % 2));
    await sleep(500);
  }
  return Promise.all(probes);
}

function summarise(statuses: PostResult['status'][]): string {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(String(status), (counts.get(String(status)) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status}x${n}`).join(' ') || 'none';
}

// Recovered: every copy ready, and a canary lead posted now flows to its deal.
async function awaitRecovery(context: FaultContext, record: FaultRecord): Promise<void> {
  try {
    let unready = '';
    await waitFor(
      `every copy to be ready`,
      async () => {
        const readiness = await context.fleet.readiness();
        unready = readiness
          .filter((r) => !r.ready)
          .map((r) => `${r.name}#${r.copy}`)
          .join(', ');
        return unready === '';
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    ).catch((err: Error) => {
      throw new Error(`${err.message} (not ready: ${unready})`);
    });
    const canary = await context.stream.send();
    if (!canary.acceptedId) throw new Error(`the canary lead was not accepted (last answer ${canary.lastStatus})`);
    const leadId = canary.acceptedId;
    await waitFor('the canary lead to get its deal', async () => (await context.clients.dealsOf(leadId)).length > 0, {
      timeoutMs: 90_000,
      intervalMs: 200,
    });
    record.recoveredAt = now(context);
  } catch (err) {
    record.failures.push(`did not recover: ${(err as Error).message}`);
  }
}
