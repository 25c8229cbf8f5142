import mongoose, { type Connection } from 'mongoose';
import { freePort, mongoUrlWithDatabase, TcpProxy, testInfra, uniqueId } from '@crm/testing';
import { BatchedCollection, isDuplicateKeyError, isStoreUnavailableError, openMongo } from '../src';

const infra = testInfra();

interface Counter {
  _id: string;
  count: number;
}

// Commands the connection sent, by name (the driver reports each one it starts).
function commandsSeen(connection: Connection): Map<string, number> {
  const seen = new Map<string, number>();
  connection.getClient().on('commandStarted', (event) => seen.set(event.commandName, (seen.get(event.commandName) ?? 0) + 1));
  return seen;
}

describe('BatchedCollection against the MongoDB-compatible server', () => {
  const database = uniqueId('batched_');
  let connection: Connection;
  let seen: Map<string, number>;
  let counters: BatchedCollection<Counter>;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlWithDatabase(infra.mongoUrl, database), { monitorCommands: true }).asPromise();
    seen = commandsSeen(connection);
    counters = new BatchedCollection<Counter>(connection, 'counters');
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  beforeEach(() => seen.clear());

  it('sends the inserts of one turn as one command, and tells only the caller whose document was refused', async () => {
    await connection.collection('counters').insertOne({ _id: 'taken' as never, count: 0 });
    seen.clear();
    const outcomes = await Promise.allSettled(['a', 'b', 'taken', 'c'].map((id) => counters.insertOne({ _id: id, count: 1 })));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(isDuplicateKeyError((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect(seen.get('insert')).toBe(1);
    const stored = await connection.collection('counters').find({}).sort({ _id: 1 }).toArray();
    expect(stored).toEqual([
      { _id: 'a', count: 1 },
      { _id: 'b', count: 1 },
      { _id: 'c', count: 1 },
      { _id: 'taken', count: 0 },
    ]);
  });

  it('sends the updates of one turn as one command, each applied by its own filter', async () => {
    await connection.collection('counters').insertMany([
      { _id: 'u1' as never, count: 0 },
      { _id: 'u2' as never, count: 0 },
    ]);
    seen.clear();
    await Promise.all([
      counters.updateOne({ _id: 'u1' }, { $inc: { count: 1 } }),
      counters.updateOne({ _id: 'u2' }, { $inc: { count: 5 } }),
      counters.updateOne({ _id: 'u1' }, { $inc: { count: 10 } }),
      counters.updateOne({ _id: 'nobody' }, { $inc: { count: 1 } }),
    ]);

    expect(seen.get('update')).toBe(1);
    expect(
      await connection
        .collection('counters')
        .find({ _id: { $in: ['u1', 'u2', 'nobody'] as never[] } })
        .sort({ _id: 1 })
        .toArray(),
    ).toEqual([
      { _id: 'u1', count: 11 },
      { _id: 'u2', count: 5 },
    ]);
  });

  it('reads the ids asked for in one turn with one query, and gives each caller its document or null', async () => {
    await connection.collection('counters').insertMany([
      { _id: 'r1' as never, count: 1 },
      { _id: 'r2' as never, count: 2 },
    ]);
    seen.clear();
    const [first, again, second, missing] = await Promise.all(['r1', 'r1', 'r2', 'none'].map((id) => counters.findById(id)));

    expect(seen.get('find')).toBe(1);
    expect([first, again, second, missing]).toEqual([{ _id: 'r1', count: 1 }, { _id: 'r1', count: 1 }, { _id: 'r2', count: 2 }, null]);
  });

  it('writes no field that is undefined, as the driver and mongoose do not', async () => {
    const loose = new BatchedCollection<Counter & { note?: string }>(connection, 'counters');
    await loose.insertOne({ _id: 'loose', count: 1, note: undefined });
    await loose.updateOne({ _id: 'loose' }, { $set: { count: 2, note: undefined } });

    expect(await connection.collection('counters').findOne({ _id: 'loose' as never })).toEqual({ _id: 'loose', count: 2 });
  });

  it('splits a turn with more than maxBatch documents into several commands', async () => {
    const small = new BatchedCollection<Counter>(connection, 'counters', { maxBatch: 2 });
    await Promise.all(['s1', 's2', 's3', 's4', 's5'].map((id) => small.insertOne({ _id: id, count: 0 })));

    expect(seen.get('insert')).toBe(3);
    expect(await connection.collection('counters').countDocuments({ _id: { $in: ['s1', 's2', 's3', 's4', 's5'] as never[] } })).toBe(5);
  });

  it('fails every caller with an error that says the database cannot be reached while it cannot', async () => {
    const server = new URL(infra.mongoUrl);
    const proxy = new TcpProxy(await freePort(), { host: server.hostname, port: Number(server.port || 27017) });
    await proxy.open();
    const viaProxy = openMongo({
      url: mongoUrlWithDatabase(`mongodb://127.0.0.1:${proxy.port}`, database),
      defaultDatabase: database,
      serverSelectionTimeoutMs: 300,
    });
    try {
      await viaProxy.asPromise();
      const cut = new BatchedCollection<Counter>(viaProxy, 'counters');
      await proxy.cut();
      const outcomes = await Promise.allSettled([
        cut.insertOne({ _id: 'o1', count: 0 }),
        cut.updateOne({ _id: 'u1' }, { $set: { count: 0 } }),
      ]);

      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect(isStoreUnavailableError((outcome as PromiseRejectedResult).reason)).toBe(true);
      }
      expect(await connection.collection('counters').countDocuments({ _id: 'o1' as never })).toBe(0);
    } finally {
      await viaProxy.close();
      await proxy.cut();
    }
  });
});
