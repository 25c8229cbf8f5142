import mongoose, { type Connection } from 'mongoose';
import { encodeEvent, Lead, type LeadCaptured } from '@crm/contracts';
import { createLogger } from '@crm/logging';
import { openMongo } from '@crm/persistence';
import { BrokerProbe, freePort, mongoUrlWithDatabase, sleep, TcpProxy, testInfra, testNamespace, uniqueId, waitFor } from '@crm/testing';
import { AmqpConnection, EventConsumer, Inbox, topologyNames, type ReceivedEvent } from '../src';

const logger = createLogger('store-outage-test', 'silent');
const infra = testInfra();

function leadCaptured(id: string): Buffer {
  const event: LeadCaptured = { occurredAt: new Date(), lead: Lead.fromPartial({ id, name: 'Ana', email: 'ana@acme.io' }) };
  return encodeEvent('lead.captured', event);
}

// A database outage is nobody's fault: the consumer holds the message until the database answers again, instead of
// spending its deliveries and dead-lettering it.
describe('EventConsumer while its database cannot be reached', () => {
  const namespace = testNamespace();
  const names = topologyNames(namespace);
  const consumer = uniqueId('outage-');
  const database = uniqueId('outage_');
  let proxy: TcpProxy;
  let viaProxy: Connection;
  let direct: Connection;
  let connection: AmqpConnection;
  let probe: BrokerProbe;
  let eventConsumer: EventConsumer;

  beforeAll(async () => {
    const server = new URL(infra.mongoUrl);
    proxy = new TcpProxy(await freePort(), { host: server.hostname, port: Number(server.port || 27017) });
    await proxy.open();
    viaProxy = openMongo({
      url: mongoUrlWithDatabase(`mongodb://127.0.0.1:${proxy.port}`, database),
      defaultDatabase: database,
      serverSelectionTimeoutMs: 300,
    });
    await viaProxy.asPromise();
    direct = await mongoose.createConnection(mongoUrlWithDatabase(infra.mongoUrl, database)).asPromise();
    connection = new AmqpConnection({ url: infra.amqpUrl, appId: 'store-outage-test', logger });
    await connection.start();
    await connection.waitUntilConnected();
    probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
  });

  afterAll(async () => {
    await eventConsumer?.stop(2000);
    await probe.deleteTopology([consumer]);
    await probe.close();
    await connection.close();
    await viaProxy.close();
    await proxy.cut();
    await direct.dropDatabase();
    await direct.close();
  });

  it('keeps the message in hand through the outage and handles it once the database is back', async () => {
    const handled: ReceivedEvent[] = [];
    const runs = viaProxy.collection('runs');
    eventConsumer = new EventConsumer(connection, {
      consumer,
      names,
      logger,
      prefetch: 5,
      // Two deliveries with 20 ms between them: without holding, the outage would dead-letter it within a blink.
      retry: { maxDeliveries: 2, baseDelayMs: 20, maxDelayMs: 20 },
      inbox: Inbox.on(viaProxy),
      handlers: {
        'lead.captured': async (event) => {
          await runs.insertOne({ messageId: event.id });
          handled.push(event);
        },
      },
    });
    await eventConsumer.start();

    await proxy.cut();
    const id = uniqueId('msg-');
    await probe.publishEvent('lead.captured', id, leadCaptured(id));
    await waitFor('the message to be in hand', async () => (await probe.queueDepth(names.queue(consumer))) === 0);
    // Long enough for many retries of the database (and for two deliveries to have been spent, were they spent).
    await sleep(1500);
    expect(handled).toHaveLength(0);
    expect(await probe.deadLetters(consumer)).toHaveLength(0);

    await proxy.open();
    await waitFor('the message to be handled', () => handled.length === 1, { timeoutMs: 15_000 });
    expect(handled[0]).toMatchObject({ id, deliveryCount: 0 });
    expect(await direct.collection('runs').countDocuments({ messageId: id })).toBe(1);
    expect(await direct.collection('inbox').findOne({ _id: `${consumer}/${id}` as never })).toMatchObject({ state: 'done' });
    expect(await probe.deadLetters(consumer)).toHaveLength(0);
  });
});
