import type { Channel } from 'amqplib';

// Names of the broker objects. A namespace prefix lets isolated systems (a test file, say) share one broker.
export interface TopologyNames {
  exchange: string;
  deadLetterExchange: string;
  // Where events go that no queue is bound for yet (say, a consumer deployed after its producer): kept, not lost.
  unroutedExchange: string;
  unroutedQueue: string;
  queue(consumer: string): string;
  deadLetterQueue(consumer: string): string;
}

export function topologyNames(namespace = ''): TopologyNames {
  return {
    exchange: `${namespace}crm.events`,
    deadLetterExchange: `${namespace}crm.events.dlx`,
    unroutedExchange: `${namespace}crm.events.unrouted`,
    unroutedQueue: `${namespace}crm.events.unrouted`,
    queue: (consumer) => `${namespace}${consumer}`,
    deadLetterQueue: (consumer) => `${namespace}${consumer}.dlq`,
  };
}

// Queues that keep messages for people to look at (dead letters, unrouted events). Looking means get + requeue,
// which counts as a delivery, and RabbitMQ 4 gives quorum queues a default delivery limit of 20 after which a
// message without a dead-letter target is dropped: set a limit no inspection will ever reach.
const keepingQueueArguments = { 'x-queue-type': 'quorum', 'x-delivery-limit': 1_000_000 };

// Every declarer of the events exchange must pass the same arguments, so all go through here.
export async function declareExchanges(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.assertExchange(names.unroutedExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.unroutedQueue, { durable: true, arguments: keepingQueueArguments });
  await channel.bindQueue(names.unroutedQueue, names.unroutedExchange, '');
  await channel.assertExchange(names.exchange, 'topic', { durable: true, alternateExchange: names.unroutedExchange });
  await channel.assertExchange(names.deadLetterExchange, 'direct', { durable: true });
}

export interface ConsumerQueueSpec {
  // Durable name of the consumer, e.g. "deals.lead-events"; the queue is named after it.
  consumer: string;
  routingKeys: string[];
  // Deliveries before the broker dead-letters a message (counts crashes of the consumer, too).
  maxDeliveries: number;
}

// One quorum queue per consumer, bound to its event types, dead-lettering (at least once) into its own .dlq queue
// after `maxDeliveries` deliveries or when the consumer rejects a message outright.
export async function declareConsumerQueue(channel: Channel, names: TopologyNames, spec: ConsumerQueueSpec): Promise<void> {
  const queue = names.queue(spec.consumer);
  const deadLetterQueue = names.deadLetterQueue(spec.consumer);
  await declareExchanges(channel, names);
  await channel.assertQueue(deadLetterQueue, { durable: true, arguments: keepingQueueArguments });
  await channel.bindQueue(deadLetterQueue, names.deadLetterExchange, queue);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      // The limit counts redeliveries: a limit of n allows n + 1 deliveries in all.
      'x-delivery-limit': Math.max(0, spec.maxDeliveries - 1),
      'x-dead-letter-exchange': names.deadLetterExchange,
      'x-dead-letter-routing-key': queue,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  });
  for (const key of spec.routingKeys) {
    await channel.bindQueue(queue, names.exchange, key);
  }
}

// Removes a namespace's exchanges and the given consumers' queues (test and benchmark clean-up). Each delete runs
// on a channel of its own, since a failing one closes the channel it ran on.
export async function deleteTopology(
  model: { createChannel(): Promise<Channel> },
  names: TopologyNames,
  consumers: string[],
): Promise<void> {
  const attempt = async (remove: (channel: Channel) => Promise<unknown>) => {
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    await remove(channel).catch(() => undefined);
    await channel.close().catch(() => undefined);
  };
  for (const consumer of consumers) {
    await attempt((c) => c.deleteQueue(names.queue(consumer)));
    await attempt((c) => c.deleteQueue(names.deadLetterQueue(consumer)));
  }
  await attempt((c) => c.deleteQueue(names.unroutedQueue));
  for (const exchange of [names.exchange, names.deadLetterExchange, names.unroutedExchange]) {
    await attempt((c) => c.deleteExchange(exchange));
  }
}
