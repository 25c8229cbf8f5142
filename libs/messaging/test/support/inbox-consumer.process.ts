// A consumer in a process of its own, for the inbox tests: it consumes lead.captured with inbox de-duplication and
// records every run of its handler in MongoDB, so a test can count runs across processes. It prints one JSON line
// whenever its settled-delivery counts change, and a line "ready" once subscribed.
// With CRASH_ON_LEAD set, it kills itself inside the handler for that lead: after the claim, before completion.
import mongoose from 'mongoose';
import { Registry } from 'prom-client';
import { createLogger } from '@crm/logging';
import { AmqpConnection, EventConsumer, Inbox, MessagingMetrics, topologyNames } from '../../src';

const { MONGO_URL, AMQP_URL, AMQP_NAMESPACE, CONSUMER, LEASE_MS, HANDLER_MS, CRASH_ON_LEAD } = process.env;

async function main(): Promise<void> {
  const logger = createLogger('inbox-consumer', 'warn');
  const mongo = await mongoose.createConnection(MONGO_URL!).asPromise();
  const runs = mongo.collection('handler_runs');
  const registry = new Registry();
  const metrics = new MessagingMetrics(registry);
  const connection = new AmqpConnection({ url: AMQP_URL!, appId: 'inbox-consumer', logger });
  await connection.start();
  await connection.waitUntilConnected();
  const consumer = new EventConsumer(connection, {
    consumer: CONSUMER!,
    names: topologyNames(AMQP_NAMESPACE),
    logger,
    prefetch: 20,
    retry: { maxDeliveries: 5, baseDelayMs: 20, maxDelayMs: 50 },
    inbox: Inbox.on(mongo, { leaseMs: Number(LEASE_MS ?? 30_000), pollMs: 20 }),
    metrics,
    handlers: {
      'lead.captured': async (event) => {
        await runs.insertOne({ messageId: event.id, pid: process.pid, at: new Date() });
        if (event.payload.lead?.id === CRASH_ON_LEAD) process.kill(process.pid, 'SIGKILL');
        // Long enough for the other deliveries of the same id to arrive while this one is in hand.
        await new Promise((resolve) => setTimeout(resolve, Number(HANDLER_MS ?? 50)));
      },
    },
  });
  await consumer.start();
  console.log('ready');

  let last = '';
  setInterval(() => {
    void metrics.consumed.get().then(({ values }) => {
      const line = JSON.stringify(Object.fromEntries(values.map((v) => [v.labels.outcome, v.value])));
      if (line !== last) console.log((last = line));
    });
  }, 50);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
