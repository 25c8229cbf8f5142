// How many scorings per second one qualification process sustains: pure scoring in memory, and end to end from a
// backlog of lead.captured on the real broker to stored decisions with their events published.
//
//   MONGO_URL=mongodb://127.0.0.1:27017 AMQP_URL=amqp://guest:guest@127.0.0.1:5672 \
//     node tools/build/run-ts.mjs apps/qualification/bench/scoring.bench.ts [backlog=3000]
//
// Run from the repository root. It uses a database and a broker namespace of its own and removes both afterwards.
import mongoose from 'mongoose';
import { loadConfig } from '@crm/config';
import { encodeEvent, Lead, LeadPriority } from '@crm/contracts';
import { BrokerProbe, mongoUrlWithDatabase, uniqueId, waitFor } from '@crm/testing';
import { qualificationConfigSchema } from '../src/config';
import { defaultRuleSet } from '../src/domain/rule-set';
import { scoreLead } from '../src/domain/scoring';
import { leadSnapshotFrom } from '../src/messaging/lead-snapshot.mapper';
import { leadEventsConsumer, startQualification } from '../src/qualification-service';

const backlog = Number(process.argv[2] ?? 3000);
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

// A mix of qualifying, nurturing and disqualified leads, as intake would send them.
function lead(i: number): Lead {
  const now = new Date();
  const kinds = [
    {
      email: `ana${i}@acme-industries.io`,
      company: 'Acme',
      phone: '+34600000000',
      interest: 'CRM',
      priority: LeadPriority.LEAD_PRIORITY_HIGH,
    },
    {
      email: `luis${i}@gmail.com`,
      company: 'Luis SL',
      phone: '600000000',
      interest: 'Invoicing',
      priority: LeadPriority.LEAD_PRIORITY_MEDIUM,
    },
    { email: `x${i}@mailinator.com` },
  ];
  return Lead.fromPartial({
    id: `bench-${i}`,
    name: `Lead ${i}`,
    source: { channel: 'web-form' },
    tags: ['bench'],
    createdAt: now,
    updatedAt: now,
    ...kinds[i % kinds.length],
  });
}

function pureScoring(): void {
  const facts = Array.from({ length: 10_000 }, (_, i) => leadSnapshotFrom(lead(i), new Date()).facts);
  const now = new Date();
  let scorings = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < 2000) {
    for (const f of facts) scoreLead(f, defaultRuleSet, now);
    scorings += facts.length;
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  console.log(
    `pure scoring (default rule set, ${defaultRuleSet.rules.length} rules): ${Math.round((scorings / elapsedMs) * 1000).toLocaleString('en')} scorings/s`,
  );
}

async function endToEnd(): Promise<void> {
  const namespace = `${uniqueId('bench-')}.`;
  const database = uniqueId('qualification_bench_');
  const env = {
    MONGO_URL: mongoUrlWithDatabase(mongoUrl, database),
    AMQP_URL: amqpUrl,
    AMQP_NAMESPACE: namespace,
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const start = () => startQualification(loadConfig(qualificationConfigSchema, env), { handleSignals: false });
  const probe = await BrokerProbe.connect(amqpUrl, namespace);
  const db = await mongoose.createConnection(env.MONGO_URL).asPromise();
  try {
    // A first start declares the consumer's durable queue (once ready); with the service stopped, the backlog builds up in it.
    const first = await start();
    await waitFor('the service to be ready', async () => (await first.kit.readiness.report()).ready);
    await first.kit.stop();
    for (let from = 0; from < backlog; from += 250) {
      const batch = Array.from({ length: Math.min(250, backlog - from) }, (_, k) => lead(from + k));
      await Promise.all(
        batch.map((l) =>
          probe.publishEvent('lead.captured', uniqueId('msg-'), encodeEvent('lead.captured', { occurredAt: new Date(), lead: l })),
        ),
      );
    }
    const queue = probe.names.queue(leadEventsConsumer);
    await waitFor(`${backlog} messages in ${queue}`, async () => (await probe.queueDepth(queue)) >= backlog, { timeoutMs: 60_000 });

    const t0 = performance.now();
    const service = await start();
    const qualifications = db.collection('qualifications');
    const timeoutMs = 600_000;
    await waitFor('every lead scored', async () => (await qualifications.countDocuments()) >= backlog, { timeoutMs, intervalMs: 50 });
    const scoredMs = performance.now() - t0;
    await waitFor('every event published', async () => (await qualifications.countDocuments({ outboxPending: true })) === 0, {
      timeoutMs,
      intervalMs: 50,
    });
    const publishedMs = performance.now() - t0;
    await service.kit.stop();

    const rate = (ms: number) => Math.round((backlog / ms) * 1000).toLocaleString('en');
    console.log(
      `end to end, backlog of ${backlog} lead.captured (prefetch ${loadConfig(qualificationConfigSchema, env).AMQP_PREFETCH}), from start-up:`,
    );
    console.log(`  stored decisions: ${rate(scoredMs)} scorings/s (${Math.round(scoredMs)} ms)`);
    console.log(`  with lead.qualified / lead.disqualified published: ${rate(publishedMs)} scorings/s (${Math.round(publishedMs)} ms)`);
  } finally {
    await probe.deleteTopology([leadEventsConsumer]);
    await probe.close();
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  }
}

async function main(): Promise<void> {
  pureScoring();
  await endToEnd();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
