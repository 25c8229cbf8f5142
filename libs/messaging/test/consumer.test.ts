import type { ChannelModel } from 'amqplib';
import mongoose, { type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { encodeEvent, Lead, LeadPriority, LeadStatus, type LeadCaptured } from '@crm/contracts';
import { createLogger } from '@crm/logging';
import { BrokerProbe, mongoUrlWithDatabase, sleep, testInfra, testNamespace, uniqueId, waitFor } from '@crm/testing';
import {
  AmqpConnection,
  createEvent,
  EventConsumer,
  EventPublisher,
  Inbox,
  listDeadLetters,
  MessagingMetrics,
  replayDeadLetters,
  topologyNames,
  type EventHandlers,
  type ReceivedEvent,
} from '../src';

const logger = createLogger('messaging-test', 'silent');
const infra = testInfra();

function leadCaptured(id: string): LeadCaptured {
  const now = new Date();
  return {
    occurredAt: now,
    lead: Lead.fromPartial({
      id,
      status: LeadStatus.LEAD_STATUS_NEW,
      name: 'Ana',
      email: 'ana@acme.io',
      company: 'Acme',
      interest: 'crm',
      priority: LeadPriority.LEAD_PRIORITY_HIGH,
      source: { channel: 'web-form' },
      createdAt: now,
      updatedAt: now,
    }),
  };
}

describe('EventPublisher and EventConsumer on a real RabbitMQ', () => {
  const namespace = testNamespace();
  const names = topologyNames(namespace);
  const consumers: string[] = [];
  let connection: AmqpConnection;
  let publisher: EventPublisher;
  let probe: BrokerProbe;
  let mongo: Connection;
  const running: EventConsumer[] = [];

  beforeAll(async () => {
    connection = new AmqpConnection({ url: infra.amqpUrl, appId: 'messaging-test', logger });
    await connection.start();
    await connection.waitUntilConnected();
    publisher = new EventPublisher(connection, names);
    await publisher.start();
    probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    await probe.tap();
    mongo = await mongoose.createConnection(mongoUrlWithDatabase(infra.mongoUrl, uniqueId('messaging_'))).asPromise();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop(2000)));
  });

  afterAll(async () => {
    await probe.deleteTopology(consumers);
    await probe.close();
    await publisher.stop();
    await connection.close();
    await mongo.dropDatabase();
    await mongo.close();
  });

  async function startConsumer(
    handlers: EventHandlers,
    options: { maxDeliveries?: number; inbox?: Inbox; metrics?: MessagingMetrics; deduplication?: 'claim' | 'record' } = {},
  ) {
    const consumer = uniqueId('consumer-');
    consumers.push(consumer);
    const eventConsumer = new EventConsumer(connection, {
      consumer,
      handlers,
      names,
      logger,
      prefetch: 10,
      retry: { maxDeliveries: options.maxDeliveries ?? 3, baseDelayMs: 20, maxDelayMs: 50 },
      inbox: options.inbox,
      metrics: options.metrics,
      deduplication: options.deduplication,
    });
    await eventConsumer.start();
    running.push(eventConsumer);
    return { consumer, eventConsumer };
  }

  it('publishes persistent protobuf messages with the contract properties, confirmed by the broker', async () => {
    const event = createEvent('lead.captured', leadCaptured('lead-1'));
    await publisher.publish([event]);
    const [message] = await waitFor('the tapped message', () => {
      const found = probe.messages('lead.captured').filter((m) => m.properties.messageId === event.id);
      return found.length ? found : undefined;
    });
    expect(message.properties).toMatchObject({
      messageId: event.id,
      type: 'lead.captured',
      appId: 'messaging-test',
      contentType: 'application/protobuf',
      deliveryMode: 2,
      timestamp: Math.floor(event.occurredAt.getTime() / 1000),
    });
    expect(probe.events('lead.captured').some((e) => e.lead?.id === 'lead-1')).toBe(true);
  });

  it('delivers an event to its handler and acks it', async () => {
    const seen: ReceivedEvent<'lead.captured'>[] = [];
    const { consumer, eventConsumer } = await startConsumer({ 'lead.captured': async (e) => void seen.push(e) });
    const event = createEvent('lead.captured', leadCaptured('lead-2'));
    await publisher.publish([event]);
    await waitFor('the handler to run', () => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: event.id, type: 'lead.captured', producer: 'messaging-test', deliveryCount: 0 });
    expect(seen[0].payload.lead?.id).toBe('lead-2');
    expect(seen[0].occurredAt).toEqual(event.occurredAt);
    // Stopping closes the channel, which would put an unacknowledged message back in the queue.
    await eventConsumer.stop(2000);
    expect(await probe.queueDepth(names.queue(consumer))).toBe(0);
  });

  it('retries a failing message a bounded number of times, then dead-letters it without blocking the queue', async () => {
    let attempts = 0;
    const handled: string[] = [];
    const { consumer } = await startConsumer(
      {
        'lead.captured': async (e) => {
          if (e.payload.lead?.id === 'poison') {
            attempts++;
            throw new Error('boom');
          }
          handled.push(e.payload.lead!.id);
        },
      },
      { maxDeliveries: 3 },
    );
    await publisher.publish([createEvent('lead.captured', leadCaptured('poison')), createEvent('lead.captured', leadCaptured('fine'))]);
    await waitFor('the good message', () => handled.includes('fine'));
    const dead = await waitFor('the dead letter', async () => {
      const letters = await probe.deadLetters(consumer);
      return letters.length === 1 ? letters : undefined;
    });
    expect(attempts).toBe(3);
    expect(dead[0].properties.type).toBe('lead.captured');
    // The consumer itself rejects on the last allowed delivery; the queue's delivery limit is the backstop for crashes.
    expect(dead[0].properties.headers?.['x-first-death-reason']).toBe('rejected');
    expect(await probe.queueDepth(names.queue(consumer))).toBe(0);
  });

  it('replays dead letters to the consumer once the cause is fixed, and lists them beforehand', async () => {
    let healthy = false;
    const handled: string[] = [];
    const { consumer } = await startConsumer(
      {
        'lead.captured': async (e) => {
          if (!healthy) throw new Error('downstream broken');
          handled.push(e.payload.lead!.id);
        },
      },
      { maxDeliveries: 2 },
    );
    const event = createEvent('lead.captured', leadCaptured('replayed'));
    await publisher.publish([event]);
    await waitFor('the dead letter', async () => (await probe.deadLetters(consumer)).length === 1);

    const channel = await (connection as unknown as { current: ChannelModel }).current.createConfirmChannel();
    try {
      const listed = await listDeadLetters(channel, names, consumer, 10);
      expect(listed).toEqual([expect.objectContaining({ messageId: event.id, type: 'lead.captured', reason: 'rejected' })]);
      healthy = true;
      const replayed = await replayDeadLetters(channel, names, consumer, 10);
      expect(replayed.map((l) => l.messageId)).toEqual([event.id]);
    } finally {
      await channel.close();
    }
    await waitFor('the replayed message to be handled', () => handled.includes('replayed'));
    expect(await probe.deadLetters(consumer)).toHaveLength(0);
  });

  it('dead-letters an undecodable message at once, without calling the handler', async () => {
    let calls = 0;
    const { consumer } = await startConsumer({ 'lead.captured': async () => void calls++ });
    await probe.publishRaw('lead.captured', Buffer.from([0xff, 0xff, 0xff, 0xff]), {
      messageId: uniqueId(),
      type: 'lead.captured',
      contentType: 'application/protobuf',
    });
    const dead = await waitFor('the dead letter', async () => {
      const letters = await probe.deadLetters(consumer);
      return letters.length === 1 ? letters : undefined;
    });
    expect(dead[0].properties.headers?.['x-first-death-reason']).toBe('rejected');
    expect(calls).toBe(0);
  });

  it('runs a handler once per messageId, however often the message arrives', async () => {
    let calls = 0;
    await startConsumer({ 'lead.captured': async () => void calls++ }, { inbox: Inbox.on(mongo) });
    const body = encodeEvent('lead.captured', leadCaptured('dup'));
    const id = uniqueId('msg-');
    for (let i = 0; i < 5; i++) await probe.publishEvent('lead.captured', id, body);
    await probe.publishEvent('lead.captured', uniqueId('msg-'), body);
    await waitFor('both distinct messages', () => calls === 2);
    await sleep(300);
    expect(calls).toBe(2);
  });

  it('only records a message as handled, with no claim, for handlers that are safe to run again', async () => {
    const seen: string[] = [];
    const { consumer } = await startConsumer(
      { 'lead.captured': async (event) => void seen.push(event.id) },
      { inbox: Inbox.on(mongo), deduplication: 'record' },
    );
    const body = encodeEvent('lead.captured', leadCaptured('recorded'));
    const id = uniqueId('msg-');
    await probe.publishEvent('lead.captured', id, body);
    await waitFor('the message to be handled', () => seen.length === 1);
    const inbox = mongo.collection('inbox');
    await waitFor('its record', async () => (await inbox.findOne({ _id: `${consumer}/${id}` as never })) !== null);
    expect(await inbox.findOne({ _id: `${consumer}/${id}` as never })).toEqual({
      _id: `${consumer}/${id}`,
      state: 'done',
      at: expect.any(Date),
    });

    // A copy is handled again (the handler is safe to run again) and leaves the one record as it was.
    await probe.publishEvent('lead.captured', id, body);
    await waitFor('the copy to be handled', () => seen.length === 2);
    expect(seen).toEqual([id, id]);
    expect(await inbox.countDocuments({ _id: `${consumer}/${id}` as never })).toBe(1);
  });

  it('runs a message whose handler failed again on its retry, then never again', async () => {
    let calls = 0;
    const metrics = new MessagingMetrics(new Registry());
    await startConsumer(
      {
        'lead.captured': async () => {
          calls++;
          if (calls === 1) throw new Error('first try fails');
        },
      },
      { inbox: Inbox.on(mongo), metrics },
    );
    const outcomes = async () => Object.fromEntries((await metrics.consumed.get()).values.map((v) => [v.labels.outcome, v.value]));
    const id = uniqueId('msg-');
    const body = encodeEvent('lead.captured', leadCaptured('retried'));
    await probe.publishEvent('lead.captured', id, body);
    await waitFor('the retry to succeed', () => calls === 2);
    await probe.publishEvent('lead.captured', id, body);
    await waitFor('the copy to be settled as a duplicate', async () => (await outcomes()).duplicate === 1);
    expect(calls).toBe(2);
    expect(await outcomes()).toEqual({ retried: 1, handled: 1, duplicate: 1 });
  });

  it('gives back a copy waiting for another delivery of its message when stopping', async () => {
    let calls = 0;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const { consumer, eventConsumer } = await startConsumer(
      {
        'lead.captured': async () => {
          calls++;
          await released;
        },
      },
      { inbox: Inbox.on(mongo, { pollMs: 10 }) },
    );
    const id = uniqueId('msg-');
    const body = encodeEvent('lead.captured', leadCaptured('waiting'));
    await probe.publishEvent('lead.captured', id, body);
    await probe.publishEvent('lead.captured', id, body);
    await waitFor(
      'one copy in its handler, the other in hand',
      async () => calls === 1 && (await probe.queueDepth(names.queue(consumer))) === 0,
    );
    const stopped = eventConsumer.stop(30_000);
    // The waiting copy goes back to the queue while the first is still being handled.
    await waitFor('the waiting copy to be given back', async () => (await probe.queueDepth(names.queue(consumer))) === 1, {
      timeoutMs: 10_000,
    });
    release();
    await stopped;
    expect(calls).toBe(1);
    expect(await probe.queueDepth(names.queue(consumer))).toBe(1);
  });

  it('lets the messages in hand finish when stopping, and requeues nothing that was handled', async () => {
    const finished: string[] = [];
    const { consumer, eventConsumer } = await startConsumer({
      'lead.captured': async (e) => {
        await sleep(300);
        finished.push(e.payload.lead!.id);
      },
    });
    await publisher.publish([createEvent('lead.captured', leadCaptured('slow'))]);
    await waitFor('the message to be in hand', async () => (await probe.queueDepth(names.queue(consumer))) === 0);
    await sleep(50);
    await eventConsumer.stop(5000);
    expect(finished).toEqual(['slow']);
    expect(await probe.queueDepth(names.queue(consumer))).toBe(0);
  });

  it('subscribes again when the broker cancels it while the connection stays up', async () => {
    const seen: string[] = [];
    const { consumer, eventConsumer } = await startConsumer({ 'lead.captured': async (e) => void seen.push(e.payload.lead!.id) });
    // Deleting its queue makes the broker cancel the consumer; the connection itself is untouched.
    await probe.deleteQueue(names.queue(consumer));
    await waitFor('the consumer to notice', () => !eventConsumer.isReady());
    await waitFor('the consumer to subscribe again', () => eventConsumer.isReady(), { timeoutMs: 10_000 });
    await publisher.publish([createEvent('lead.captured', leadCaptured('after-cancel'))]);
    await waitFor('delivery after resubscribing', () => seen.includes('after-cancel'));
  });

  it('keeps a dead letter however often it is looked at', async () => {
    const { consumer } = await startConsumer({ 'lead.captured': async () => Promise.reject(new Error('broken')) }, { maxDeliveries: 1 });
    await publisher.publish([createEvent('lead.captured', leadCaptured('looked-at'))]);
    await waitFor('the dead letter', async () => (await probe.deadLetters(consumer)).length === 1);
    // Each look is a get and a requeue; RabbitMQ 4 would drop it after its default limit of 20 deliveries.
    for (let i = 0; i < 25; i++) expect(await probe.deadLetters(consumer)).toHaveLength(1);
  });

  it('rebuilds channels, topology and consumers after the connection drops', async () => {
    const seen: string[] = [];
    await startConsumer({ 'lead.captured': async (e) => void seen.push(e.payload.lead!.id) });
    // Cut the TCP connection under amqplib, as a broker restart or a network fault would.
    const socket = (connection as unknown as { current: { connection: { stream: { destroy(err: Error): void } } } }).current.connection
      .stream;
    socket.destroy(new Error('simulated network failure'));
    await waitFor('the disconnect', () => !connection.isConnected());
    await waitFor('the reconnect', () => connection.isConnected() && publisher.isReady(), { timeoutMs: 20_000 });
    await publisher.publish([createEvent('lead.captured', leadCaptured('after-reconnect'))]);
    await waitFor('delivery after reconnect', () => seen.includes('after-reconnect'), { timeoutMs: 20_000 });
  });
});

describe('an event no queue is bound for', () => {
  it('is kept in the unrouted queue instead of being dropped', async () => {
    const namespace = testNamespace();
    const names = topologyNames(namespace);
    const connection = new AmqpConnection({ url: infra.amqpUrl, appId: 'messaging-test', logger });
    await connection.start();
    await connection.waitUntilConnected();
    const publisher = new EventPublisher(connection, names);
    await publisher.start();
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    try {
      const event = createEvent('lead.captured', leadCaptured('nobody-listens'));
      await publisher.publish([event]);
      const kept = await waitFor('the unrouted event', async () => {
        const found = (await probe.peek(names.unroutedQueue)).filter((m) => m.properties.messageId === event.id);
        return found.length ? found : undefined;
      });
      expect(kept[0].properties.type).toBe('lead.captured');
    } finally {
      await probe.deleteTopology([]);
      await probe.close();
      await publisher.stop();
      await connection.close();
    }
  });
});
