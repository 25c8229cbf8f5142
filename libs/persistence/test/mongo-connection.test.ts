import { freePort, mongoUrlWithDatabase, TcpProxy, testInfra, uniqueId, waitFor } from '@crm/testing';
import { isMongoConnected, openMongo } from '../src';

const infra = testInfra();

describe('openMongo against the MongoDB-compatible server', () => {
  it('connects once the server answers, when it could not be reached at first', async () => {
    const server = new URL(infra.mongoUrl);
    const proxy = new TcpProxy(await freePort(), { host: server.hostname, port: Number(server.port || 27017) });
    const database = uniqueId('late_');
    // Nothing listens on the proxy's port yet: the first connection fails (mongoose would never try again).
    const connection = openMongo({
      url: mongoUrlWithDatabase(`mongodb://127.0.0.1:${proxy.port}`, database),
      defaultDatabase: database,
      serverSelectionTimeoutMs: 200,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(isMongoConnected(connection)).toBe(false);

      await proxy.open();
      await waitFor('the connection to open', () => isMongoConnected(connection), { timeoutMs: 15_000 });
      await connection.collection('things').insertOne({ _id: 'one' as never });
      expect(await connection.collection('things').countDocuments()).toBe(1);
      await connection.dropDatabase();
    } finally {
      await connection.close();
      await proxy.cut();
    }
  });

  it('stops trying once closed', async () => {
    const port = await freePort();
    const connection = openMongo({ url: `mongodb://127.0.0.1:${port}/never`, defaultDatabase: 'never', serverSelectionTimeoutMs: 100 });
    await connection.close();
    const server = new URL(infra.mongoUrl);
    const proxy = new TcpProxy(port, { host: server.hostname, port: Number(server.port || 27017) });
    await proxy.open();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(isMongoConnected(connection)).toBe(false);
    } finally {
      await proxy.cut();
    }
  });
});
