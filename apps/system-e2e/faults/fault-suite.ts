// The fault suite: a steady stream of leads over two copies of every service while, one at a time, one copy of each
// service is SIGKILLed and restarted, the MongoDB server is SIGKILLed and restarted and RabbitMQ is restarted. Then
// it checks that every lead that got a 2xx exists, has one decision, one deal when qualified (none otherwise), is
// counted once by reporting, that no dead letter is left and every copy is ready; prints the figures and exits
// non-zero when a check fails.
//
// It starts a RabbitMQ node and a mongo-java-server of its own on free ports (never the shared ones) and removes
// them at the end, also on failure or Ctrl-C. Run from the repository root: `npm run test:faults`.
// Knobs: FAULTS_RATE (leads/s, default 10), FAULTS_PAUSE_MS between faults (5000), FAULTS_OUTAGE_MS that MongoDB and
// RabbitMQ stay down (5000), FAULTS_PROMPT_MS the longest acceptable intake answer while MongoDB is down (3000),
// FAULTS_LOG_LEVEL of the services (warn), FAULTS_KEEP=1 keeps the temporary folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BrokerProbe, freePort, sleep } from '@crm/testing';
import { BacklogMonitor, describeQueues, readQueues } from './backlog-monitor';
import { account, waitUntilSettled, type Figures } from './final-accounting';
import { runFaultPlan, type FaultRecord } from './fault-plan';
import { LeadStream } from './lead-stream';
import { MongoServer } from './mongo-server';
import { RabbitNode } from './rabbitmq-node';
import { serviceNames, ServiceFleet } from './service-fleet';
import { SystemClients } from './system-clients';

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rate = knob('FAULTS_RATE', 10);
const pauseMs = knob('FAULTS_PAUSE_MS', 5000);
const outageMs = knob('FAULTS_OUTAGE_MS', 5000);
const promptMs = knob('FAULTS_PROMPT_MS', 3000);

function findRepositoryRoot(from: string): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'nx.json'))) return dir;
  throw new Error('run the fault suite from inside the repository');
}

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s`;
const log = (line: string) => console.log(`[faults ${elapsed()}] ${line}`);

// What the suite started, removed in reverse order however it ends.
const cleanups: (() => Promise<unknown>)[] = [];
let cleaningUp: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => console.error(`[faults] clean-up: ${(err as Error).message}`));
  })();
  return cleaningUp;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const root = findRepositoryRoot(__dirname);
  for (const name of serviceNames) {
    if (!existsSync(join(root, 'dist/apps', name, 'main.js')))
      throw new Error(`dist/apps/${name}/main.js is missing: build with \`npx nx run-many -t build --projects=${serviceNames.join(',')}\``);
  }
  const dir = mkdtempSync(join(tmpdir(), 'crm-faults-'));
  cleanups.push(async () => (process.env.FAULTS_KEEP === '1' ? log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })));

  log('starting a RabbitMQ node and a MongoDB server of its own');
  // Each one's clean-up is registered as soon as it runs, so a failure of the other still removes it.
  const [rabbit, mongo] = await Promise.all([
    (async () => {
      const node = await RabbitNode.start({
        dir: join(dir, 'rabbitmq'),
        nodeName: `crm-faults-${process.pid}@localhost`,
        amqpPort: await freePort(),
        distPort: await freePort(),
      });
      cleanups.push(() => node.kill());
      return node;
    })(),
    (async () => {
      const server = await MongoServer.start({ repositoryRoot: root, dir, port: await freePort() });
      cleanups.push(() => server.kill());
      return server;
    })(),
  ]);
  log(`RabbitMQ on ${rabbit.amqpUrl}, MongoDB on ${mongo.url}`);

  log('starting two copies of every service');
  const fleet = await ServiceFleet.start({ mongoUrl: mongo.url, amqpUrl: rabbit.amqpUrl, namespace: 'faults.', databasePrefix: 'faults' });
  cleanups.push(() => fleet.stop());
  const clients = new SystemClients(fleet);
  cleanups.push(async () => clients.close());

  const stream = new LeadStream(
    fleet.copies['lead-intake'].map((s) => s.httpUrl),
    `${startedAt.toString(36)}`,
  );
  log(`streaming ${rate} leads/s over both lead-intake copies`);
  const streamStartedAt = Date.now();
  stream.start(rate);
  const monitor = new BacklogMonitor(() => rabbit.amqpUrl, 'faults.', log);
  cleanups.push(() => monitor.stop());
  await sleep(pauseMs);
  const faultsStartedAt = Date.now();
  const faults = await runFaultPlan({ fleet, mongo, rabbit, stream, clients, startedAt, pauseMs, outageMs, promptMs }, log);
  const faultsMs = Date.now() - faultsStartedAt;
  await sleep(pauseMs);
  await stream.stop();
  const streamMs = Date.now() - streamStartedAt;
  log(`stream stopped: ${stream.leads.length} leads sent`);

  const probe = await BrokerProbe.connect(rabbit.amqpUrl, 'faults.');
  cleanups.push(() => probe.close());
  const unsettled = await waitUntilSettled(mongo.url, fleet, probe, 120_000);
  log(unsettled ?? 'settled: consumer queues empty, no outbox pending');
  // Settled means nothing is queued any more; give projections a few more seconds if the figures disagree.
  let figures = await account(stream.leads, mongo.url, fleet, clients, probe);
  for (let i = 0; i < 5 && figures.failures.length > 0; i++) {
    await sleep(2000);
    figures = await account(stream.leads, mongo.url, fleet, clients, probe);
  }
  await monitor.stop();
  if (unsettled) figures.failures.push(`${unsettled}; queues now: ${describeQueues(await readQueues(rabbit.amqpUrl, 'faults.'))}`);
  for (const fault of faults) figures.failures.push(...fault.failures.map((f) => `${fault.name}: ${f}`));
  if (stream.replays.mismatched.length > 0)
    figures.failures.push(`${stream.replays.mismatched.length} Idempotency-Key replay(s) differ, e.g. ${stream.replays.mismatched[0]}`);

  print(figures, faults, stream, monitor, { faultsMs, streamMs });
  const errors = fleet.errorLogs();
  if (errors.length > 0) console.log(`\nErrors the services logged (first ${errors.length}):\n${errors.join('\n')}`);
  if (figures.failures.length > 0) console.log(`\n${fleet.tailLogs()}`);
  return figures.failures.length > 0 ? 1 : 0;
}

function print(
  figures: Figures,
  faults: FaultRecord[],
  stream: LeadStream,
  monitor: BacklogMonitor,
  times: { faultsMs: number; streamMs: number },
): void {
  const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(44)} ${value}`);
  const answers = new Map<string, number>();
  for (const a of stream.answers) answers.set(String(a.status), (answers.get(String(a.status)) ?? 0) + 1);
  console.log('\nFault suite figures');
  row('leads sent (stream, canaries and probes)', figures.sent);
  row('requests made (with retries and replays)', stream.answers.length);
  row('answers by status', [...answers].map(([s, n]) => `${s}: ${n}`).join(', '));
  row('leads accepted (got a 2xx, distinct ids)', figures.accepted);
  row('stream leads never accepted (gave up)', figures.gaveUp);
  row('accepted leads lost', figures.lost);
  row('leads stored by lead-intake', figures.stored);
  row('leads stored without a 2xx', figures.storedWithout2xx);
  row('qualification decisions', `${figures.decisions} (${figures.qualified} qualified; ${figures.rescored} scored more than once)`);
  row('deals', figures.deals);
  row('leads read as converted', figures.converted);
  row('leads counted by reporting (funnel)', figures.counted);
  row('Idempotency-Key replays checked', `${stream.replays.checked} (${stream.replays.mismatched.length} differ)`);
  row(
    'dead letters',
    Object.entries(figures.deadLetters)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', '),
  );
  row('unrouted events', figures.unrouted);
  row('deepest backlog seen per queue', [...monitor.deepest].map(([c, n]) => `${c}: ${n}`).join(', '));
  console.log('\nFaults (seconds since the suite started; durations from the fault)');
  console.log(`  ${'fault'.padEnd(38)} ${'at'.padStart(7)} ${'back'.padStart(7)} ${'recovered'.padStart(10)}  notes`);
  for (const f of faults) {
    const since = (ms: number | undefined) => (ms === undefined ? 'never' : `+${((ms - f.downAt) / 1000).toFixed(1)}`);
    console.log(
      `  ${f.name.padEnd(38)} ${(f.downAt / 1000).toFixed(1).padStart(7)} ${since(f.backAt).padStart(7)} ${since(f.recoveredAt).padStart(10)}  ${f.notes.join('; ')}`,
    );
  }
  console.log(
    `\n  faults took ${(times.faultsMs / 1000).toFixed(1)} s, the stream ran ${(times.streamMs / 1000).toFixed(1)} s, the suite ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
  if (figures.failures.length === 0) console.log('\nPASS: every check held');
  else console.log(`\nFAIL:\n${figures.failures.map((f) => `  - ${f}`).join('\n')}`);
}

void main()
  .catch((err) => {
    console.error(`[faults] ${(err as Error).stack ?? err}`);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
