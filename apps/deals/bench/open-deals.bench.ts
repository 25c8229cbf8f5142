// How fast one deals process opens deals from a backlog of lead.qualified messages.
//   MONGO_URL=mongodb://127.0.0.1:27017 AMQP_URL=amqp://guest:guest@127.0.0.1:5672 \
//     node tools/build/run-ts.mjs apps/deals/bench/open-deals.bench.ts [messages=2000] [owners=3]
// Publishes the backlog first (to the consumer's own queue, declared as the service declares it), then starts the
// service and times until every deal exists. Uses its own database and broker namespace and removes both after.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import mongoose from 'mongoose';
import { encodeEvent, Lead, LeadQualified } from '@crm/contracts';
import { loadConfig } from '@crm/config';
import { mongoUrlWithDatabase } from '@crm/testing';
import { declareConsumerQueue, deleteTopology, topologyNames } from '@crm/messaging';
import { dealsConfigSchema } from '../src/config';
import { leadQualifiedConsumer, startDeals } from '../src/deals-service';

const messages = Number(process.argv[2] ?? 2000);
const owners = Number(process.argv[3] ?? 3);
const mongoBase = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `bench_${Date.now().toString(36)}`;
const namespace = `${run}.`;
const mongoUrl = mongoUrlWithDatabase(mongoBase, `${run}_deals`);

function body(i: number): Buffer {
  const leadId = `${run}-lead-${i}`;
  return encodeEvent(
    'lead.qualified',
    LeadQualified.fromPartial({
      occurredAt: new Date(),
      leadId,
      lead: Lead.fromPartial({
        id: leadId,
        name: `Lead ${i}`,
        company: `Company ${i}`,
        interest: i % 2 ? 'CRM' : 'Consulting',
        source: { channel: 'web-form' },
      }),
      score: 80,
      decidedBy: 'system',
    }),
  );
}

async function main(): Promise<void> {
  const env = {
    MONGO_URL: mongoUrl,
    AMQP_URL: amqpUrl,
    AMQP_NAMESPACE: namespace,
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    DEAL_OWNERS: Array.from({ length: owners }, (_, i) => `owner${i + 1}`).join(','),
    DEAL_VALUE_BY_INTEREST: 'crm=1500000',
  };
  const config = loadConfig(dealsConfigSchema, env);
  const names = topologyNames(namespace);
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  await declareConsumerQueue(channel, names, {
    consumer: leadQualifiedConsumer,
    routingKeys: ['lead.qualified'],
    maxDeliveries: config.AMQP_MAX_DELIVERIES,
  });

  const publishStarted = Date.now();
  for (let i = 0; i < messages; i++) {
    const options = {
      persistent: true,
      messageId: randomUUID(),
      type: 'lead.qualified',
      contentType: 'application/protobuf',
      appId: 'bench',
    };
    if (!channel.publish(names.exchange, 'lead.qualified', body(i), options)) await new Promise((r) => channel.once('drain', r));
  }
  await channel.waitForConfirms();
  const publishMs = Date.now() - publishStarted;

  const db = await mongoose.createConnection(mongoUrl).asPromise();
  const started = Date.now();
  const service = await startDeals(config, { handleSignals: false });
  const readyMs = Date.now() - started;
  let firstAt = 0;
  for (;;) {
    const count = await db.collection('deals').countDocuments();
    if (count > 0 && firstAt === 0) firstAt = Date.now();
    if (count >= messages) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const doneAt = Date.now();
  const totalMs = doneAt - started;
  const drainMs = doneAt - (firstAt || started);

  console.log(
    `lead.qualified backlog: ${messages} messages (published in ${publishMs} ms), prefetch ${config.AMQP_PREFETCH}, ${owners} owners`,
  );
  console.log(`service start to consuming: ${readyMs} ms`);
  console.log(`all ${messages} deals exist ${totalMs} ms after start: ${((messages * 1000) / totalMs).toFixed(0)} deals/s overall`);
  console.log(`first to last deal: ${drainMs} ms: ${((messages * 1000) / Math.max(drainMs, 1)).toFixed(0)} deals/s steady`);

  await service.kit.stop();
  await deleteTopology(connection, names, [leadQualifiedConsumer]);
  await connection.close();
  await db.dropDatabase();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
