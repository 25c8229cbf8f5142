import mongoose, { type Connection } from 'mongoose';
import { RateLimitedError } from '@crm/errors';
import { dropTestDatabase, mongoUrlWithDatabase, sleep, testInfra, uniqueId } from '@crm/testing';
import { RequestLimits, type Limit } from '../src/application/request-limits';
import { rateCounterModel } from '../src/store/rate-counter.model';
import { RateCounterRepository } from '../src/store/rate-counter.repository';

// Two copies' RequestLimits on one real database: what one admits, the other counts.
describe('RequestLimits shared through MongoDB', () => {
  const database = uniqueId('limits_');
  let connection: Connection;
  const copies: RequestLimits[] = [];
  // An hour's window, so the few seconds of the test do not slide it.
  const exact: Limit = { name: 'address', points: 10, windowSeconds: 3600 };
  const batched: Limit = { name: 'key', points: 50, windowSeconds: 3600, batchMs: 50 };

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, database)).asPromise();
    const repository = new RateCounterRepository(rateCounterModel(connection));
    copies.push(new RequestLimits(repository), new RequestLimits(repository));
  });

  afterAll(async () => {
    await Promise.all(copies.map((copy) => copy.writePending()));
    await connection?.close();
    await dropTestDatabase(database);
  });

  const outcome = (promise: Promise<void>) =>
    promise.then(
      () => 'admitted',
      (err: unknown) => {
        if (err instanceof RateLimitedError) return 'limited';
        throw err;
      },
    );

  it('holds an exact limit across copies, however the requests interleave', async () => {
    const check = { limit: exact, key: 'one-sender', subject: 'this client address' };
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => outcome(copies[i % 2].admit([check]))));
    expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(10);
  });

  it('holds a batched ceiling exactly in one copy, also while its writes are on their way', async () => {
    // Writes that take 20 ms, one due every millisecond: each request finds one on its way.
    class SlowCounters extends RateCounterRepository {
      override async increment(id: string, expiresAt: Date, by?: number): Promise<number> {
        await sleep(20);
        return super.increment(id, expiresAt, by);
      }
    }
    const limits = new RequestLimits(new SlowCounters(rateCounterModel(connection)));
    const check = { limit: { name: 'eager', points: 20, windowSeconds: 3600, batchMs: 1 }, key: 'one-copy-key', subject: 'this API key' };
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++) {
      outcomes.push(await outcome(limits.admit([check])));
      await sleep(5);
    }
    await limits.writePending();
    expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(20);
  });

  it('holds a batched ceiling across copies within what they admit between two writes', async () => {
    const check = { limit: batched, key: 'campaign-key', subject: 'this API key' };
    const outcomes: string[] = [];
    // Bursts alternating copies; after each, both write what they admitted (as their timers do every batchMs), so
    // each learns the other's count no later than one burst behind.
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 10; i++) outcomes.push(await outcome(copies[(round + i) % 2].admit([check])));
      for (const copy of copies) await copy.writePending();
    }
    const admitted = outcomes.filter((o) => o === 'admitted').length;
    expect(admitted).toBeGreaterThanOrEqual(50);
    // At most one round's worth (10) beyond the ceiling: what the copies admitted since their last write.
    expect(admitted).toBeLessThanOrEqual(60);
    await Promise.all(copies.map((copy) => copy.writePending()));
    const stored = await connection
      .collection('rate_counters')
      .find({ _id: { $regex: '^key\\|campaign-key\\|' } as never })
      .toArray();
    expect(stored.map((doc) => (doc as unknown as { count: number }).count)).toEqual([admitted]);
  });
});
