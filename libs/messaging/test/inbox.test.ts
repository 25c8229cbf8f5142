import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mongoose, { type Connection } from 'mongoose';
import { encodeEvent, Lead, type LeadCaptured } from '@crm/contracts';
import { BrokerProbe, mongoUrlWithDatabase, testInfra, testNamespace, uniqueId, waitFor } from '@crm/testing';

const infra = testInfra();
const repositoryRoot = join(__dirname, '../../..');

function leadCaptured(id: string): Buffer {
  const event: LeadCaptured = { occurredAt: new Date(), lead: Lead.fromPartial({ id, name: 'Ana', email: 'ana@acme.io' }) };
  return encodeEvent('lead.captured', event);
}

// One consumer process (test/support/inbox-consumer.process.ts) and what it reports on stdout.
class ConsumerProcess {
  counts: Record<string, number> = {};
  private readonly exit: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ? null : code)));
  }

  static async start(env: Record<string, string>): Promise<ConsumerProcess> {
    const child = spawn(process.execPath, ['tools/build/run-ts.mjs', 'libs/messaging/test/support/inbox-consumer.process.ts'], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = new ConsumerProcess(child);
    let ready = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') ready = true;
      else if (line.startsWith('{')) started.counts = JSON.parse(line) as Record<string, number>;
    });
    await Promise.race([
      waitFor('the consumer process to subscribe', () => ready, { timeoutMs: 30_000 }),
      started.exit.then((code) => Promise.reject(new Error(`consumer process exited (${code}) while starting`))),
    ]);
    return started;
  }

  settled(): number {
    return Object.values(this.counts).reduce((sum, n) => sum + n, 0);
  }

  get exited(): Promise<number | null> {
    return this.exit;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exit;
  }
}

describe('inbox de-duplication across consumer processes', () => {
  const namespace = testNamespace();
  const processes: ConsumerProcess[] = [];
  const consumers: string[] = [];
  let database: string;
  let mongo: Connection;
  let probe: BrokerProbe;

  beforeAll(async () => {
    database = uniqueId('inbox_');
    mongo = await mongoose.createConnection(mongoUrlWithDatabase(infra.mongoUrl, database)).asPromise();
    probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
  });

  afterAll(async () => {
    await probe.deleteTopology(consumers);
    await probe.close();
    await mongo.dropDatabase();
    await mongo.close();
  });

  function consumerEnv(consumer: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, database),
      AMQP_URL: infra.amqpUrl,
      AMQP_NAMESPACE: namespace,
      CONSUMER: consumer,
      ...extra,
    };
  }

  async function runsByMessage(): Promise<Map<string, number>> {
    const runs = await mongo.collection('handler_runs').find({}).toArray();
    const counts = new Map<string, number>();
    for (const run of runs) counts.set(run.messageId as string, (counts.get(run.messageId as string) ?? 0) + 1);
    return counts;
  }

  it('runs the handler once per messageId when many copies of it reach two processes at once', async () => {
    const consumer = uniqueId('inbox-');
    consumers.push(consumer);
    // One after the other: each bundles the fixture to the same file before running it.
    processes.push(await ConsumerProcess.start(consumerEnv(consumer)));
    processes.push(await ConsumerProcess.start(consumerEnv(consumer)));

    const messageIds = Array.from({ length: 20 }, () => uniqueId('msg-'));
    const copies = 8;
    // The copies of each id back to back: the broker deals them out to both processes in turn, and they are in hand
    // at the same time.
    for (const id of messageIds) {
      for (let copy = 0; copy < copies; copy++) await probe.publishEvent('lead.captured', id, leadCaptured(id));
    }
    const total = messageIds.length * copies;
    await waitFor('every delivery to be settled', () => processes[0].settled() + processes[1].settled() === total, { timeoutMs: 60_000 });

    const runs = await runsByMessage();
    expect([...runs.keys()].sort()).toEqual([...messageIds].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // Both processes took deliveries, and the copies they did not run were settled as duplicates.
    expect(processes.every((p) => p.settled() > 0)).toBe(true);
    const duplicates = processes.reduce((sum, p) => sum + (p.counts['duplicate'] ?? 0), 0);
    expect(duplicates).toBe(total - messageIds.length);
  });

  it('lets another process take over the claim of one that died between claim and completion', async () => {
    const consumer = uniqueId('inbox-');
    consumers.push(consumer);
    const id = uniqueId('crash-');
    const leaseMs = '1500';
    const crashing = await ConsumerProcess.start(consumerEnv(consumer, { LEASE_MS: leaseMs, CRASH_ON_LEAD: id }));
    processes.push(crashing);
    await probe.publishEvent('lead.captured', id, leadCaptured(id));
    expect(await crashing.exited).toBeNull();
    // The claim of the dead process is still there: no completion was recorded.
    expect(await mongo.collection('inbox').findOne({ _id: `${consumer}/${id}` as never })).toMatchObject({ state: 'claimed' });

    const survivor = await ConsumerProcess.start(consumerEnv(consumer, { LEASE_MS: leaseMs }));
    processes.push(survivor);
    await waitFor('the redelivered message to be handled', () => survivor.counts['handled'] === 1, { timeoutMs: 30_000 });
    expect(await mongo.collection('inbox').findOne({ _id: `${consumer}/${id}` as never })).toMatchObject({ state: 'done' });

    // One run cut short by the crash, one that completed: at most one more run than without the crash.
    expect((await runsByMessage()).get(id)).toBe(2);
    await probe.publishEvent('lead.captured', id, leadCaptured(id));
    await waitFor('the late copy to be settled', () => survivor.counts['duplicate'] === 1);
    expect((await runsByMessage()).get(id)).toBe(2);
  });
});
