// How many events per second reporting's projections absorb from a backlog on the broker, how long each report
// takes to compute over the result, and how fast the projections rebuild from the event log.
//   MONGO_URL=mongodb://127.0.0.1:27017 AMQP_URL=amqp://guest:guest@127.0.0.1:5672 \
//     node tools/build/run-ts.mjs apps/reporting/bench/projection.bench.ts [leads=1000]
// Each lead brings 6 events (captured, qualified, deal opened, moved, moved again, won or lost). The backlog is
// published first (to the consumer's own queue, declared as the service declares it), then the service starts
// and is timed until it has settled every message. Uses its own database and broker namespace, removed after.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import mongoose from 'mongoose';
import { encodeEvent, type EventPayload } from '@crm/contracts';
import { loadConfig } from '@crm/config';
import { createLogger } from '@crm/logging';
import { declareConsumerQueue, deleteTopology, topologyNames } from '@crm/messaging';
import { mongoUrlWithDatabase } from '@crm/testing';
import { projectedEventTypes } from '../src/application/projector';
import { rebuildProjections } from '../src/application/rebuild-projections';
import { reportingConfigSchema } from '../src/config';
import { funnelConsumer, reportingStore, startReporting } from '../src/reporting-service';
import { DealStory } from '../test/support/deal-story';
import { funnelEvents as e, type ContractEvent } from '../test/support/funnel-events';

const leads = Number(process.argv[2] ?? 1000);
const mongoBase = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `bench_${Date.now().toString(36)}`;
const namespace = `${run}.`;
const mongoUrl = mongoUrlWithDatabase(mongoBase, `${run}_reporting`);
const sources = ['web-form', 'facebook', 'landing-page'];

function leadEvents(i: number): ContractEvent[] {
  const leadId = `${run}-lead-${i}`;
  const source = sources[i % sources.length];
  const t0 = Date.UTC(2026, 2, 2) + i * 60_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);
  const story = new DealStory(leadId, source, at(5), String(100_000 + (i % 97) * 1000))
    .move('contacted', at(30))
    .move('proposal_sent', at(90));
  if (i % 3 === 2) story.lose(at(200), 'price');
  else story.win(at(200));
  return [e.captured(leadId, source, at(0)), e.qualified(leadId, source, at(5)), ...story.events];
}

const encode = (event: ContractEvent) => encodeEvent(event.type as 'lead.captured', event.payload as EventPayload<'lead.captured'>);

async function timed<T>(what: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await what();
  return [result, Math.round(performance.now() - started)];
}

async function main(): Promise<void> {
  const env = { MONGO_URL: mongoUrl, AMQP_URL: amqpUrl, AMQP_NAMESPACE: namespace, HTTP_PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'warn' };
  const config = loadConfig(reportingConfigSchema, env);
  const names = topologyNames(namespace);
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  await declareConsumerQueue(channel, names, {
    consumer: funnelConsumer,
    routingKeys: projectedEventTypes,
    maxDeliveries: config.AMQP_MAX_DELIVERIES,
  });

  let messages = 0;
  const publishStarted = Date.now();
  for (let i = 0; i < leads; i++) {
    for (const event of leadEvents(i)) {
      const options = { persistent: true, messageId: randomUUID(), type: event.type, contentType: 'application/protobuf', appId: 'bench' };
      if (!channel.publish(names.exchange, event.type, encode(event), options)) await new Promise((r) => channel.once('drain', r));
      messages++;
    }
  }
  await channel.waitForConfirms();
  const publishMs = Date.now() - publishStarted;

  const started = Date.now();
  const service = await startReporting(config, { handleSignals: false });
  const settled = async () => {
    const { values } = await service.kit.metrics.consumed.get();
    return values.filter((v) => v.labels.consumer === funnelConsumer && v.labels.outcome !== 'retried').reduce((n, v) => n + v.value, 0);
  };
  while ((await settled()) < messages) await new Promise((r) => setTimeout(r, 100));
  const absorbMs = Date.now() - started;

  const db = await mongoose.createConnection(mongoUrl).asPromise();
  const { log, projector, reports } = reportingStore(db);
  // The same reports through the service's cache: what a dashboard tab polling within REPORT_CACHE_MS waits for.
  const cached = reportingStore(db, config.REPORT_CACHE_MS).reports;
  const queries: Array<[string, (r: typeof reports) => Promise<unknown>]> = [
    ['GetFunnel', (r) => r.funnel({})],
    ['GetPipeline', (r) => r.pipeline('sales')],
    ['GetSourcePerformance', (r) => r.sourcePerformance({})],
    ['GetCycleTimes', (r) => r.cycleTimes({})],
    ['GetLostReasons', (r) => r.lostReasons({})],
  ];
  const queryTimes: string[] = [];
  for (const [name, query] of queries) {
    await query(reports);
    const [, ms] = await timed(() => query(reports));
    await query(cached);
    const [, cachedMs] = await timed(() => query(cached));
    queryTimes.push(`${name} ${ms} ms (${cachedMs} ms cached)`);
  }
  await service.kit.stop();
  const [rebuilt, rebuildMs] = await timed(() => rebuildProjections(log, projector, createLogger('reporting-bench', 'warn')));

  console.log(`backlog: ${leads} leads, ${messages} events (published in ${publishMs} ms), prefetch ${config.AMQP_PREFETCH}`);
  console.log(
    `absorbed by the projections (event log + lead journey + deal view) in ${absorbMs} ms from start: ${Math.round((messages * 1000) / absorbMs)} events/s`,
  );
  console.log(`reports computed at query time over ${leads} journeys and ${leads} deals: ${queryTimes.join(', ')}`);
  console.log(
    `rebuild from the event log: ${rebuilt.events} events in ${rebuildMs} ms: ${Math.round((rebuilt.events * 1000) / rebuildMs)} events/s`,
  );

  await deleteTopology(connection, names, [funnelConsumer]);
  await connection.close();
  await db.dropDatabase();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
