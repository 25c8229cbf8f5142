// Intake throughput of ONE lead-intake process: leads accepted per second over loopback HTTP, at concurrency N,
// for new people (create path) and for repeat captures of a few people (merge path). Prints figures; asserts nothing.
//
// Run from the repository root, against a real MongoDB and RabbitMQ (it uses a database and a broker namespace of
// its own and removes them afterwards):
//   npx nx run lead-intake:build && MONGO_URL=mongodb://127.0.0.1:27017 AMQP_URL=amqp://guest:guest@127.0.0.1:5672 \
//     node tools/build/run-ts.mjs apps/lead-intake/bench/intake.bench.ts
// Knobs: BENCH_CONCURRENCY (default 32), BENCH_SECONDS per scenario (default 10).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import mongoose from 'mongoose';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const run = `bench_${Date.now()}`;
const database = `lead_intake_${run}`;
const namespace = `${run}.`;
const httpPort = 3901;
const key = 'bench-key-0001';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function scenario(label: string, body: (i: number) => unknown): Promise<void> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const response = await fetch(`http://127.0.0.1:${httpPort}/v1/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify(body(next++)),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const accepted = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `${label.padEnd(38)} ${(accepted / elapsed).toFixed(0).padStart(6)} leads/s accepted  ` +
      `(${accepted} of ${latencies.length} in ${elapsed.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `latency ms p50 ${pct(50)} p95 ${pct(95)} p99 ${pct(99)})`,
  );
}

async function main(): Promise<void> {
  // run-ts bundles this file into dist/tools; the built service is dist/apps/lead-intake/main.js.
  const service = spawn(process.execPath, [join(__dirname, '../apps/lead-intake/main.js')], {
    env: {
      ...process.env,
      MONGO_URL: withDatabase(mongoUrl, database),
      AMQP_URL: amqpUrl,
      AMQP_NAMESPACE: namespace,
      HTTP_PORT: String(httpPort),
      GRPC_PORT: '0',
      LOG_LEVEL: 'warn',
      INTAKE_API_KEYS: `bench=${key}`,
      INTAKE_RATE_LIMIT_POINTS: '100000000',
      INTAKE_RATE_LIMIT_PER_ADDRESS: '100000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (i > 150) throw new Error('lead-intake did not become ready');
      await sleep(200);
    }
    console.log(`lead-intake, one process; ${concurrency} concurrent clients over loopback HTTP; ${seconds} s per scenario`);
    await scenario('warm-up (discarded figures)', () => ({ email: `${randomUUID()}@warm.io` }));
    await scenario('new leads (create)', (i) => ({
      name: `Lead ${i}`,
      email: `${randomUUID()}@acme.io`,
      company: 'Acme',
      interest: 'CRM',
      tags: ['bench'],
      priority: 'high',
    }));
    await scenario('repeat captures of 50 people (merge)', (i) => ({
      email: `person-${i % 50}@acme.io`,
      message: `capture ${i}`,
      tags: [`t${i % 7}`],
    }));
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    const connection = await mongoose.createConnection(withDatabase(mongoUrl, database)).asPromise();
    await connection.dropDatabase();
    await connection.close();
    const broker = await amqp.connect(amqpUrl);
    const channel = await broker.createChannel();
    for (const queue of ['lead-intake.lead-status', 'lead-intake.lead-status.dlq', 'crm.events.unrouted'])
      await channel.deleteQueue(namespace + queue).catch(() => undefined);
    for (const exchange of ['crm.events', 'crm.events.dlx', 'crm.events.unrouted'])
      await channel.deleteExchange(namespace + exchange).catch(() => undefined);
    await broker.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
