import type { Express } from 'express';
import mongoose from 'mongoose';
import { freePort, mongoUrlWithDatabase, TcpProxy, testInfra, waitFor } from '@crm/testing';
import { bootKit, cleanUp, type TestKit } from './support';

// While the database is down, a request that needs it gets a 503 to retry (never a 2xx, never a 500), and the
// service answers normally again once the database is back.
describe('ServiceKit while its MongoDB cannot be reached', () => {
  let proxy: TcpProxy;
  let booted: TestKit;
  let httpPort: number;
  const url = (path: string) => `http://127.0.0.1:${httpPort}${path}`;

  const routes = (kit: TestKit['kit']) => (app: Express) => {
    app.post('/things', async (_req, res) => {
      await kit.mongo.collection('things').insertOne({ at: new Date() });
      res.status(201).json({ stored: true });
    });
  };

  beforeAll(async () => {
    const server = new URL(testInfra().mongoUrl);
    proxy = new TcpProxy(await freePort(), { host: server.hostname, port: Number(server.port || 27017) });
    await proxy.open();
    const database = `outage_${Date.now().toString(36)}`;
    booted = await bootKit({ MONGO_URL: mongoUrlWithDatabase(`mongodb://127.0.0.1:${proxy.port}`, database) });
    booted.database = database;
    httpPort = (await booted.kit.serve({ grpc: [], routes: routes(booted.kit) })).httpPort;
    await waitFor('the kit to be ready', async () => (await booted.kit.readiness.report()).ready, { timeoutMs: 15_000 });
  });

  afterAll(async () => {
    await booted?.kit.stop();
    await proxy.open();
    if (booted) await cleanUp(booted);
    await proxy.cut();
  });

  it('answers 503 with Retry-After while the database is down, stores nothing, and recovers', async () => {
    expect((await fetch(url('/things'), { method: 'POST' })).status).toBe(201);
    await proxy.cut();

    for (let i = 0; i < 3; i++) {
      const response = await fetch(url('/things'), { method: 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 503, title: 'Service unavailable', reason: 'STORE_UNAVAILABLE' });
    }
    expect((await fetch(url('/readyz'))).status).toBe(503);

    await proxy.open();
    await waitFor('a write to land again', async () => (await fetch(url('/things'), { method: 'POST' })).status === 201, {
      timeoutMs: 30_000,
    });
    const direct = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, booted.database)).asPromise();
    try {
      // The first write and the one that landed after the outage; none of the refused ones.
      expect(await direct.collection('things').countDocuments()).toBe(2);
    } finally {
      await direct.close();
    }
  });
});
