import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { LeadDisqualified } from '@crm/contracts';
import { createLogger } from '@crm/logging';
import { BrokerProbe, mongoUrlWithDatabase, sleep, testInfra, testNamespace, uniqueId, waitFor } from '@crm/testing';
import {
  AmqpConnection,
  createEvent,
  EventPublisher,
  newOutbox,
  OutboxRelay,
  outboxSchemaFields,
  topologyNames,
  withOutbox,
  type OutboxFields,
} from '../src';

const logger = createLogger('outbox-test', 'silent');
const infra = testInfra();

interface Thing extends OutboxFields {
  _id: string;
  state: string;
}

function leadDisqualified(leadId: string) {
  return createEvent(
    'lead.disqualified',
    LeadDisqualified.fromPartial({ occurredAt: new Date(), leadId, reason: 'test', decidedBy: 'system', sourceChannel: 'web-form' }),
  );
}

describe('OutboxRelay against real MongoDB and RabbitMQ', () => {
  const namespace = testNamespace();
  const names = topologyNames(namespace);
  let mongo: Connection;
  let things: Model<Thing>;
  let connection: AmqpConnection;
  let publisher: EventPublisher;
  let probe: BrokerProbe;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(mongoUrlWithDatabase(infra.mongoUrl, uniqueId('outbox_'))).asPromise();
    things = mongo.model<Thing>('Thing', new Schema<Thing>({ _id: String, state: String, ...outboxSchemaFields }));
    connection = new AmqpConnection({ url: infra.amqpUrl, appId: 'outbox-test', logger });
    await connection.start();
    await connection.waitUntilConnected();
    publisher = new EventPublisher(connection, names);
    await publisher.start();
    probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    await probe.tap();
  });

  afterAll(async () => {
    await probe.deleteTopology([]);
    await probe.close();
    await publisher.stop();
    await connection.close();
    await mongo.dropDatabase();
    await mongo.close();
  });

  const published = (leadId: string) => probe.events('lead.disqualified').filter((e) => e.leadId === leadId);

  it('publishes the events written with a document, in order, then empties its outbox', async () => {
    const id = uniqueId();
    const first = leadDisqualified(`${id}-a`);
    await things.create({ _id: id, state: 'created', ...newOutbox([first]) });
    const second = leadDisqualified(`${id}-b`);
    await things.updateOne({ _id: id }, withOutbox<Thing>({ $set: { state: 'changed' } }, [second]));

    const relay = new OutboxRelay({ source: things, publisher, logger });
    expect(await relay.relayOnce()).toBe(2);

    await waitFor('both events', () => published(`${id}-a`).length === 1 && published(`${id}-b`).length === 1);
    const ids = probe.messages('lead.disqualified').map((m) => m.properties.messageId);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const doc = await things.findById(id).lean();
    expect(doc).toMatchObject({ state: 'changed', outbox: [], outboxPending: false, outboxClaimToken: null });
  });

  it('keeps the events while the broker cannot be reached, and publishes them once it can', async () => {
    const id = uniqueId();
    await things.create({ _id: id, state: 'created', ...newOutbox([leadDisqualified(id)]) });

    const unreachable = new AmqpConnection({ url: 'amqp://guest:guest@127.0.0.1:1', appId: 'outbox-test', logger });
    await unreachable.start();
    const downPublisher = new EventPublisher(unreachable, names);
    await downPublisher.start();
    const downRelay = new OutboxRelay({ source: things, publisher: downPublisher, logger });
    await expect(downRelay.relayOnce()).rejects.toThrow('not connected');
    await unreachable.close();

    const stored = await things.findById(id).lean();
    expect(stored?.outbox).toHaveLength(1);
    expect(stored).toMatchObject({ outboxPending: true, outboxClaimToken: null });

    await new OutboxRelay({ source: things, publisher, logger }).relayOnce();
    await waitFor('the event after recovery', () => published(id).length === 1);
    expect((await things.findById(id).lean())?.outbox).toHaveLength(0);
  });

  it('shares the work between two relays without publishing an event twice', async () => {
    const prefix = uniqueId('many-');
    await things.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        _id: `${prefix}-${i}`,
        state: 'created',
        ...newOutbox([leadDisqualified(`${prefix}-${i}`)]),
      })),
    );
    const relays = [1, 2].map(() => new OutboxRelay({ source: things, publisher, logger, batchSize: 7 }));
    relays.forEach((r) => r.start());
    await waitFor('all 60 events', () => probe.events('lead.disqualified').filter((e) => e.leadId.startsWith(prefix)).length >= 60);
    await Promise.all(relays.map((r) => r.stop()));
    const leadIds = probe
      .events('lead.disqualified')
      .map((e) => e.leadId)
      .filter((l) => l.startsWith(prefix));
    expect(new Set(leadIds).size).toBe(60);
    expect(leadIds).toHaveLength(60);
    expect(await things.countDocuments({ _id: { $regex: `^${prefix}` }, outboxPending: true })).toBe(0);
  });

  it('holds back only the document whose events cannot be published', async () => {
    const good = uniqueId('good-');
    const bad = uniqueId('bad-');
    await things.create({ _id: good, state: 'created', ...newOutbox([leadDisqualified(good)]) });
    await things.create({ _id: bad, state: 'created', ...newOutbox([leadDisqualified(bad)]) });
    // The broker refusing one document's events, as a nack or a channel error would.
    const refusing = {
      publish: (events: Parameters<EventPublisher['publish']>[0]) =>
        events.some((e) => e.body.includes(Buffer.from(bad))) ? Promise.reject(new Error('refused')) : publisher.publish(events),
    };
    await expect(new OutboxRelay({ source: things, publisher: refusing, logger }).relayOnce()).rejects.toThrow('refused');
    await waitFor('the good event', () => published(good).length === 1);
    expect((await things.findById(good).lean())?.outbox).toHaveLength(0);
    expect(await things.findById(bad).lean()).toMatchObject({ outboxPending: true, outboxClaimToken: null });
    expect(published(bad)).toHaveLength(0);
  });

  it('publishes events a writer adds while the document is being relayed, on the next pass', async () => {
    const id = uniqueId();
    const first = leadDisqualified(`${id}-a`);
    const second = leadDisqualified(`${id}-b`);
    await things.create({ _id: id, state: 'created', ...newOutbox([first]) });
    // A writer lands its event between the relay's claim and its removal of what went out.
    const racing = {
      publish: async (events: Parameters<EventPublisher['publish']>[0]) => {
        if (events.some((e) => e.id === first.id))
          await things.updateOne({ _id: id }, withOutbox<Thing>({ $set: { state: 'changed' } }, [second]));
        await publisher.publish(events);
      },
    };
    const relay = new OutboxRelay({ source: things, publisher: racing, logger, sweepIntervalMs: 60_000 });
    relay.start();
    try {
      relay.notify(id);
      await waitFor('both events', () => published(`${id}-a`).length === 1 && published(`${id}-b`).length === 1, { timeoutMs: 5000 });
      await waitFor('the outbox to be empty', async () => (await things.findById(id).lean())?.outboxPending === false);
      expect((await things.findById(id).lean())?.outbox).toHaveLength(0);
    } finally {
      await relay.stop();
    }
  });

  it('publishes at once when notified after a write', async () => {
    const relay = new OutboxRelay({ source: things, publisher, logger, sweepIntervalMs: 60_000 });
    relay.start();
    try {
      await waitFor('the first idle pass', async () => (await things.countDocuments({ outboxPending: true })) === 0);
      const id = uniqueId();
      await things.create({ _id: id, state: 'created', ...newOutbox([leadDisqualified(id)]) });
      relay.notify(id);
      await waitFor('the notified event', () => published(id).length === 1, { timeoutMs: 3000 });
    } finally {
      await relay.stop();
    }
  });

  // A relay on a connection of its own whose commands are recorded, with a sweep a minute apart; `swept` once its
  // first sweep answered.
  async function watchedRelay() {
    const watched = await mongoose
      .createConnection(mongoUrlWithDatabase(infra.mongoUrl, mongo.name), { monitorCommands: true })
      .asPromise();
    const commands: string[] = [];
    watched.getClient().on('commandStarted', (event) => commands.push(event.commandName));
    let swept = false;
    watched.getClient().on('commandSucceeded', (event) => (swept ||= event.commandName === 'find'));
    const relay = new OutboxRelay({ source: watched.model<Thing>('Thing', things.schema), publisher, logger, sweepIntervalMs: 60_000 });
    relay.start();
    return { watched, commands, relay, swept: () => swept };
  }

  it('relays a batch of documents with a few commands for the whole batch, not a few per document', async () => {
    const { watched, commands, relay, swept } = await watchedRelay();
    try {
      // The first pass sweeps, finds nothing of this test's and sleeps: the next sweep is a minute away.
      await waitFor('the first sweep', swept);
      await waitFor('what earlier tests left to be relayed', async () => (await things.countDocuments({ outboxPending: true })) === 0);
      const ids = Array.from({ length: 40 }, () => uniqueId());
      await things.insertMany(ids.map((id) => ({ _id: id, state: 'created', ...newOutbox([leadDisqualified(id)]) })));
      commands.length = 0;
      ids.forEach((id) => relay.notify(id));
      await waitFor('every event', () => ids.every((id) => published(id).length === 1), { timeoutMs: 5000 });
      await waitFor('every outbox empty', async () => (await things.countDocuments({ _id: { $in: ids }, outboxPending: false })) === 40);

      // Read the claims, claim, read what was won, empty: four commands for forty documents.
      expect(commands.filter((name) => name === 'find' || name === 'update')).toHaveLength(4);
    } finally {
      await relay.stop();
      await watched.close();
    }
  });

  it('publishes what was written under its claim from memory, and empties the outbox in one write with no read', async () => {
    const { watched, commands, relay, swept } = await watchedRelay();
    try {
      await waitFor('the first sweep', swept);
      const ids = Array.from({ length: 20 }, () => uniqueId());
      const written = ids.map((id) => ({ id, claim: relay.claimForWrite(), events: [leadDisqualified(id)] }));
      await things.insertMany(written.map(({ id, claim, events }) => ({ _id: id, state: 'created', ...newOutbox(events, claim) })));
      commands.length = 0;
      written.forEach(({ id, claim, events }) => relay.publishWritten(id, claim, events));
      await waitFor('every event', () => ids.every((id) => published(id).length === 1), { timeoutMs: 5000 });
      await waitFor('every outbox empty', async () => (await things.countDocuments({ _id: { $in: ids }, outboxPending: false })) === 20);
      expect(commands.filter((name) => name === 'find' || name === 'update')).toEqual(['update']);
      expect(
        await things
          .find({ _id: { $in: ids } }, { outbox: 1, outboxClaimToken: 1, outboxClaimedUntil: 1 })
          .sort({ _id: 1 })
          .lean(),
      ).toEqual(
        [...ids].sort().map((id) => expect.objectContaining({ _id: id, outbox: [], outboxClaimToken: null, outboxClaimedUntil: null })),
      );
    } finally {
      await relay.stop();
      await watched.close();
    }
  });

  it('leaves a document written under a claim to other relays until the claim runs out', async () => {
    const id = uniqueId();
    // As a writer that died before publishing leaves it: claimed, with the claim running out in 1.5 s.
    const claim = { token: uniqueId('token-'), until: new Date(Date.now() + 1500) };
    await things.create({ _id: id, state: 'created', ...newOutbox([leadDisqualified(id)], claim) });
    const other = new OutboxRelay({ source: things, publisher, logger, sweepIntervalMs: 100 });
    other.start();
    try {
      await sleep(800);
      expect(published(id)).toHaveLength(0);
      await waitFor('the event once the claim ran out', () => published(id).length === 1, { timeoutMs: 5000 });
    } finally {
      await other.stop();
    }
  });

  it('removes only what it published from memory when another write added events under the claim meanwhile', async () => {
    const id = uniqueId();
    const relay = new OutboxRelay({ source: things, publisher, logger, sweepIntervalMs: 60_000 });
    const claim = relay.claimForWrite();
    const first = leadDisqualified(`${id}-a`);
    await things.create({ _id: id, state: 'created', ...newOutbox([first], claim) });
    const second = leadDisqualified(`${id}-b`);
    await things.updateOne({ _id: id }, withOutbox<Thing>({ $set: { state: 'changed' } }, [second]));
    relay.start();
    try {
      relay.publishWritten(id, claim, [first]);
      relay.notify(id);
      await waitFor('both events', () => published(`${id}-a`).length >= 1 && published(`${id}-b`).length === 1, { timeoutMs: 5000 });
      await waitFor('the outbox empty', async () => (await things.findById(id).lean())?.outbox.length === 0);
      expect(await things.findById(id).lean()).toMatchObject({ state: 'changed', outboxPending: false, outboxClaimToken: null });
    } finally {
      await relay.stop();
    }
  });

  it('publishes from memory once what went out when the broker refused another document of the same batch', async () => {
    const [good, bad] = [uniqueId('good-'), uniqueId('bad-')];
    const refusing = {
      publish: (events: Parameters<EventPublisher['publish']>[0]) =>
        events.some((e) => e.body.includes(Buffer.from(bad))) ? Promise.reject(new Error('refused')) : publisher.publish(events),
    };
    const relay = new OutboxRelay({ source: things, publisher: refusing, logger, sweepIntervalMs: 60_000 });
    const written = [good, bad].map((id) => ({ id, claim: relay.claimForWrite(), events: [leadDisqualified(id)] }));
    await things.insertMany(written.map(({ id, claim, events }) => ({ _id: id, state: 'created', ...newOutbox(events, claim) })));
    relay.start();
    try {
      written.forEach(({ id, claim, events }) => relay.publishWritten(id, claim, events));
      await waitFor('the good event', () => published(good).length === 1);
      // The refused document keeps failing, so the relay goes on making passes (0.5 s, then 1 s apart).
      await sleep(2000);
      expect(published(good)).toHaveLength(1);
      expect((await things.findById(good).lean())?.outbox).toHaveLength(0);
      expect(published(bad)).toHaveLength(0);
    } finally {
      await relay.stop();
    }
  });

  it('gives back the claim of what it could not publish, so the events go out later', async () => {
    const id = uniqueId();
    const unreachable = new AmqpConnection({ url: 'amqp://guest:guest@127.0.0.1:1', appId: 'outbox-test', logger });
    await unreachable.start();
    const downPublisher = new EventPublisher(unreachable, names);
    await downPublisher.start();
    const down = new OutboxRelay({ source: things, publisher: downPublisher, logger, sweepIntervalMs: 60_000 });
    const claim = down.claimForWrite();
    const events = [leadDisqualified(id)];
    await things.create({ _id: id, state: 'created', ...newOutbox(events, claim) });
    down.start();
    try {
      down.publishWritten(id, claim, events);
      await waitFor('the claim given back', async () => (await things.findById(id).lean())?.outboxClaimedUntil === null);
    } finally {
      await down.stop();
      await unreachable.close();
    }
    expect(await things.findById(id).lean()).toMatchObject({ outboxPending: true, outboxClaimToken: null });
    await new OutboxRelay({ source: things, publisher, logger }).relayOnce();
    await waitFor('the event', () => published(id).length === 1);
  });

  it('sweeps less often as a sweep takes longer, so its scan stays a fixed share of the time', async () => {
    // A share so small that any sweep at all puts the next one far off: after the first, a document nobody named
    // waits. With the default share, the same sweep comes back within its interval and finds it.
    const found = uniqueId();
    await things.create({ _id: found, state: 'created', ...newOutbox([leadDisqualified(found)]) });
    const rare = new OutboxRelay({ source: things, publisher, logger, sweepIntervalMs: 10, sweepShare: 1e-9 });
    rare.start();
    const missed = uniqueId();
    try {
      await waitFor('the first sweep to find the document written before it', () => published(found).length === 1);
      await things.create({ _id: missed, state: 'created', ...newOutbox([leadDisqualified(missed)]) });
      await sleep(500);
      expect(published(missed)).toHaveLength(0);
    } finally {
      await rare.stop();
    }
    const usual = new OutboxRelay({ source: things, publisher, logger, sweepIntervalMs: 10 });
    usual.start();
    try {
      await waitFor('the document nobody named', () => published(missed).length === 1, { timeoutMs: 5000 });
    } finally {
      await usual.stop();
    }
  });
});
