// The system as users run it: the four built services as separate processes on the given MongoDB and RabbitMQ,
// against a floor (the same I/O with no logic) measured with the same clients in the same run, so every figure
// is also a ratio. Per store phase (empty; pre-filled with --seed leads written straight into the stores):
// closed loop (C clients: accepted/s, completed/s), open loop at fixed rates (p50/p99 from POST to deal.opened and
// to counted by reporting), CPU ms per lead per process, and each report's latency uncached. Prints a table and,
// last, one JSON line. A script, not a test: it asserts nothing and stops by itself.
//
//   npm run bench [-- --quick] [-- --clients 32 --duration 20 --rates 50,100,200 --seed 100000 --drain 120]
//   (= build the four services, then tools/infra/with-infra.sh node tools/build/run-ts.mjs tools/bench/system.bench.ts)
// The same flags as BENCH_CLIENTS, BENCH_DURATION, BENCH_RATES, BENCH_SEED, BENCH_DRAIN, BENCH_QUICK=1.
// Uses databases and a broker namespace of its own (unique per run), dropped and deleted at the end.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { decodeEvent } from '@crm/contracts';
import { mongoUrlWithDatabase } from '../../libs/testing/src/test-infra';
import { benchOptions, type BenchOptions } from './bench-options';
import { killAllBenchProcesses } from './bench-process';
import { postedLead } from './bench-leads';
import { runId } from './bench-naming';
import { CompletionTracker, type CountedProbe } from './completion-tracker';
import { listenerPid } from './cpu-sampler';
import { FloorProcesses } from './floor-processes';
import { floorRoles, runFloorRole } from './floor-role';
import { measureReports } from './report-latency';
import { phaseTable, targetChecks, targetsTable, type PhaseFigures } from './report-printer';
import { runScenario, scenarioLabel, type Scenario, type ScenarioFigures, type Subject } from './scenario-runner';
import { seedFloor, seedSystem, type SeedResult } from './store-seeder';
import { benchIntakeKey, systemDatabases, SystemProcesses } from './system-processes';

const log = (line: string) => process.stderr.write(`${line}\n`);

// run-ts bundles this file under dist/tools; the repository root holds nx.json.
function repositoryRoot(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'nx.json'))) return dir;
  throw new Error('repository root not found');
}

const byIdProbe =
  (connection: Connection, collection: string, done: (doc: Record<string, unknown>) => boolean): CountedProbe =>
  async (ids) => {
    // By _id only: mongo-java-server scans for any further condition, so the rest is checked here.
    const docs = await connection
      .collection(collection)
      .find({ _id: { $in: ids as never[] } })
      .toArray();
    return docs.filter(done).map((d) => String(d._id));
  };

async function runPhase(options: BenchOptions, phase: 'empty' | 'seeded', run: string, root: string): Promise<PhaseFigures> {
  const prefix = `${run}_${phase}`;
  const seededLeads = phase === 'seeded' ? options.seed : 0;
  const databases = systemDatabases(prefix);
  const floorDatabase = `${prefix}_floor`;
  let seeding: SeedResult | undefined;
  if (seededLeads > 0) {
    log(`[${phase}] seeding ${seededLeads} leads into the four services' databases`);
    seeding = await seedSystem(options.mongoUrl, databases, seededLeads, prefix, log);
    log(`[${phase}] seeding the floor's collections`);
    const floorSeeding = await seedFloor(options.mongoUrl, floorDatabase, seededLeads);
    log(`[${phase}] floor seeded in ${floorSeeding.seconds.toFixed(1)} s`);
  }
  log(`[${phase}] starting the four services and the floor`);
  const system = await SystemProcesses.start(root, options.mongoUrl, options.amqpUrl, `${prefix}.`, databases);
  const floor = await FloorProcesses.start(process.argv[1], options.mongoUrl, options.amqpUrl, `${prefix}.floor.`, floorDatabase).catch(
    async (err) => {
      await system.stop();
      throw err;
    },
  );
  const reportingDb = await mongoose.createConnection(mongoUrlWithDatabase(options.mongoUrl, databases.reporting)).asPromise();
  const floorDb = await mongoose.createConnection(mongoUrlWithDatabase(options.mongoUrl, floorDatabase)).asPromise();
  const shared = { rabbitmq: listenerPid(options.amqpUrl), mongodb: listenerPid(options.mongoUrl), generator: process.pid };
  const systemTracker = await CompletionTracker.start(
    options.amqpUrl,
    system.namespace,
    (content) => decodeEvent('deal.opened', content).deal?.leadId ?? '',
    byIdProbe(reportingDb, 'lead_journeys', (d) => typeof d.dealId === 'string' && d.dealId !== ''),
  );
  const floorTracker = await CompletionTracker.start(
    options.amqpUrl,
    floor.namespace,
    (content) => (JSON.parse(content.toString('utf8')) as { leadId: string }).leadId,
    byIdProbe(floorDb, 'counted', () => true),
  );
  let index = 0;
  const subject = (url: string, tracker: CompletionTracker, pids: Record<string, number | undefined>, tag: string): Subject => ({
    target: { url, apiKey: benchIntakeKey, body: (i) => postedLead(tag, i), onAccepted: (id) => tracker.accepted(id) },
    tracker,
    pids: { ...pids, ...shared },
  });
  const systemSubject = subject(system.intakeUrl, systemTracker, system.pids(), `${prefix}-s`);
  const floorSubject = subject(
    floor.intakeUrl,
    floorTracker,
    Object.fromEntries(floorRoles.map((r) => [r, floor.byRole(r).pid])),
    `${prefix}-f`,
  );
  const figures: PhaseFigures = { phase, seededLeads, seeding, system: [], floor: [], reports: [] };
  try {
    // Warm-up (figures discarded): connections, JIT, first writes into each collection.
    for (const s of [floorSubject, systemSubject]) {
      await runScenario(s, { kind: 'closed', clients: 4 }, options.quick ? 1000 : 3000, options.drainSeconds * 1000, index);
      index += 100_000;
    }
    const scenarios: Scenario[] = [
      { kind: 'closed', clients: options.clients },
      ...options.rates.map((rate) => ({ kind: 'open' as const, rate })),
    ];
    for (const scenario of scenarios) {
      // Floor, then system, each scenario: neighbours' load on the shared machine drifts less between the two.
      for (const [name, s, into] of [
        ['floor', floorSubject, figures.floor],
        ['system', systemSubject, figures.system],
      ] as const) {
        log(`[${phase}] ${name}: ${scenarioLabel(scenario)} for ${options.durationSeconds} s`);
        const result: ScenarioFigures = await runScenario(s, scenario, options.durationSeconds * 1000, options.drainSeconds * 1000, index);
        index += 1_000_000;
        log(
          `[${phase}] ${name}: accepted ${result.acceptedPerSec}/s, completed ${result.completedPerSec}/s, opened p50/p99 ${result.openedP50Ms}/${result.openedP99Ms} ms, ` +
            `counted p50/p99 ${result.countedP50Ms}/${result.countedP99Ms} ms, drain ${result.drainSeconds} s${result.missing ? `, ${result.missing} never counted` : ''}`,
        );
        into.push(result);
      }
    }
    log(`[${phase}] timing the reports`);
    figures.reports = await measureReports(`127.0.0.1:${system.grpcPorts.reporting}`, system.reportingHttpUrl, options.reportRuns);
  } finally {
    await Promise.all([systemTracker.stop(), floorTracker.stop()]);
    await Promise.all([reportingDb.close(), floorDb.close()]);
    log(`[${phase}] stopping and removing the run's databases and queues`);
    await Promise.allSettled([system.stop(), floor.stop()]);
  }
  return figures;
}

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2), process.env);
  const root = repositoryRoot();
  for (const name of ['lead-intake', 'qualification', 'deals', 'reporting']) {
    if (!existsSync(join(root, 'dist/apps', name, 'main.js')))
      throw new Error(`dist/apps/${name}/main.js is missing: build the services first (npm run bench does)`);
  }
  const run = runId();
  log(
    `system benchmark ${run}: ${options.clients} clients, ${options.durationSeconds} s per scenario, open loop at ${options.rates.join(', ')} leads/s, seed ${options.seed}`,
  );
  const phases: PhaseFigures[] = [];
  for (const phase of options.seed > 0 ? (['empty', 'seeded'] as const) : (['empty'] as const))
    phases.push(await runPhase(options, phase, run, root));
  const checks = targetChecks(phases);
  console.log(
    `system benchmark ${run} (${options.quick ? 'quick' : 'full'}): four service processes vs. the floor (same I/O, no logic); ratio = system / floor`,
  );
  for (const p of phases) console.log(phaseTable(p));
  console.log(targetsTable(checks));
  // One line for machines; Infinity (a lead never counted) and NaN (unknown) read as null.
  const { mongoUrl: _m, amqpUrl: _a, ...knobs } = options;
  console.log(JSON.stringify({ bench: 'system', run, options: knobs, phases, targets: checks }));
}

const roleAt = process.argv.indexOf('--floor-role');
const entry = roleAt >= 0 ? runFloorRole(process.argv[roleAt + 1]) : main();
if (roleAt < 0) {
  process.on('SIGINT', () => {
    killAllBenchProcesses();
    process.exit(130);
  });
  process.on('exit', killAllBenchProcesses);
}
entry.catch((err) => {
  console.error(err);
  killAllBenchProcesses();
  process.exit(1);
});
