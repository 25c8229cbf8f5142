// The durable store npm start uses: every write mongo-java-server acknowledged is read back after its process is
// killed with SIGKILL (no shutdown hook runs) and started again on the same H2 file. The test starts its own
// server through the same launcher and Maven classpath as tools/infra/infra-up.sh, on a free port, with a
// temporary file, so it never touches the shared servers.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { freePort, waitFor } from '@crm/testing';

const repoRoot = join(__dirname, '../../..');
const launcher = join(repoRoot, 'tools/infra/mongo-server/MongoTestServer.java');

// Each start compiles the launcher; on a loaded 2-core machine that alone can take tens of seconds.
jest.setTimeout(180_000);

// mongo-classpath.sh resolves the classpath with Maven when infra-up.sh has not already, and prints its file.
const readClasspath = () =>
  readFileSync(execFileSync('bash', [join(repoRoot, 'tools/infra/mongo-classpath.sh')], { encoding: 'utf8' }).trim(), 'utf8').trim();

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function startServer(classpath: string, port: number, file: string): Promise<ChildProcess> {
  const child = spawn('java', ['-cp', classpath, launcher, String(port), file], { stdio: 'ignore' });
  await waitFor(`mongo-java-server on ${port}`, () => answers(port), { timeoutMs: 80_000, intervalMs: 200 });
  return child;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the durable store (mongo-java-server on an H2 file)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'crm-durable-store-'));
  const file = join(folder, 'store.mv.db');
  let port: number;
  let classpath: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    classpath = readClasspath();
  });

  afterAll(async () => {
    if (server) await killHard(server);
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads back every acknowledged write after SIGKILL and a restart on the same file', async () => {
    server = await startServer(classpath, port, file);
    const writer = await mongoose.createConnection(`mongodb://127.0.0.1:${port}/crm_durable_test`).asPromise();
    const leads = writer.db!.collection<{ _id: string; email: string; status: string }>('leads');
    await leads.createIndex({ email: 1 }, { unique: true });
    // Concurrent writers, as the services are; then one last write, acknowledged just before the kill.
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => leads.insertOne({ _id: `lead-${i}`, email: `p${i}@example.com`, status: 'NEW' })),
    );
    await Promise.all(Array.from({ length: 100 }, (_, i) => leads.updateOne({ _id: `lead-${i}` }, { $set: { status: 'QUALIFIED' } })));
    await leads.deleteOne({ _id: 'lead-299' });
    await leads.insertOne({ _id: 'last', email: 'last@example.com', status: 'NEW' });

    await killHard(server);
    await writer.close(true).catch(() => undefined);
    server = await startServer(classpath, port, file);

    const reader = await mongoose.createConnection(`mongodb://127.0.0.1:${port}/crm_durable_test`).asPromise();
    try {
      const stored = reader.db!.collection<{ _id: string; email: string; status: string }>('leads');
      expect(await stored.findOne({ _id: 'last' })).toEqual({ _id: 'last', email: 'last@example.com', status: 'NEW' });
      expect(await stored.countDocuments()).toBe(300);
      expect(await stored.countDocuments({ status: 'QUALIFIED' })).toBe(100);
      expect(await stored.findOne({ _id: 'lead-299' })).toBeNull();
      // The unique index came back with the data.
      await expect(stored.insertOne({ _id: 'copy', email: 'p5@example.com', status: 'NEW' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await reader.close();
    }
  });

  // Two copies of a service starting at once both create their collections: mongo-java-server serializes an insert's
  // creation of a collection but not the create command, and on an H2 file the loser of that race failed
  // ("Document with key ... already existed in system.namespaces"), on about one new collection in eight here.
  it('creates a new collection once when several connections create it and write to it at the same moment', async () => {
    if (server) await killHard(server);
    server = await startServer(classpath, port, join(folder, 'racing.mv.db'));
    const connections = await Promise.all([1, 2, 3, 4].map(() => mongoose.createConnection(`mongodb://127.0.0.1:${port}`).asPromise()));
    try {
      for (let round = 0; round < 40; round++) {
        const outcomes = await Promise.allSettled(
          connections.flatMap((connection, i) => {
            const db = connection.useDb(`crm_race_${round}`).db!;
            return [db.createCollection('things'), db.collection<{ _id: string }>('things').insertOne({ _id: `copy-${i}` })];
          }),
        );
        // Only "already exists", from a create that came second.
        const refusals = outcomes
          .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
          .map((o) => (o.reason as { code?: number }).code);
        expect(refusals.filter((code) => code !== 48)).toEqual([]);
        expect(await connections[0].useDb(`crm_race_${round}`).db!.collection('things').countDocuments()).toBe(4);
      }
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
  });

  // The fixture is a file the launcher wrote before it laid maps out in its own types (H2's generic layout, Java
  // serialization): three leads and a unique index on email, in database crm-upgrade.
  it('reads a file written in the earlier layout, rewrites it once, and keeps it across a further restart', async () => {
    if (server) await killHard(server);
    const upgraded = join(folder, 'upgraded.mv.db');
    copyFileSync(join(__dirname, 'fixtures/generic-layout-store.mv.db'), upgraded);
    const expected = [0, 1, 2].map((i) => ({
      _id: `lead-${i}`,
      email: `person-${i}@example.com`,
      capturedAt: new Date(Date.UTC(2026, 10, 1, i)),
      score: i * 10,
      tags: ['web-form'],
    }));
    for (const restart of [false, true]) {
      server = await startServer(classpath, port, upgraded);
      const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${port}/crm-upgrade`).asPromise();
      try {
        const leads = connection.db!.collection<{ _id: string; email: string }>('leads');
        expect(await leads.find().sort({ _id: 1 }).toArray()).toEqual([
          ...expected,
          ...(restart ? [{ _id: 'lead-3', email: 'person-3@example.com' }] : []),
        ]);
        expect(await leads.findOne({ email: 'person-1@example.com' })).toMatchObject({ _id: 'lead-1' });
        await expect(leads.insertOne({ _id: 'copy', email: 'person-2@example.com' })).rejects.toMatchObject({ code: 11000 });
        if (!restart) await leads.insertOne({ _id: 'lead-3', email: 'person-3@example.com' });
      } finally {
        await connection.close();
      }
      await killHard(server);
    }
  });
});
