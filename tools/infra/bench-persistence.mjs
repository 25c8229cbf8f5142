// What persistence costs: the same writes, with the same concurrency, against mongo-java-server in memory (what
// the tests use) and with its H2 file committed before every reply (what npm start uses). Starts both servers
// itself on free ports (the data file in a temporary folder) and prints writes per second of each and the ratio.
// A script, not a test: the figure depends on the machine.
// Usage: node tools/infra/bench-persistence.mjs [writes=5000] [concurrency=32] [rounds=3]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';

const here = dirname(fileURLToPath(import.meta.url));
const writes = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 32);
const rounds = Number(process.argv[4] ?? 3);
const classpath = readFileSync(execFileSync('bash', [join(here, 'mongo-classpath.sh')], { encoding: 'utf8' }).trim(), 'utf8').trim();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const answers = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket.end() && true)).once('error', () => resolve(false));
  });

async function startServer(file) {
  const port = await freePort();
  const args = ['-Xmx2g', '-cp', classpath, join(here, 'mongo-server/MongoTestServer.java'), String(port), ...(file ? [file] : [])];
  const child = spawn('java', args, { stdio: 'ignore' });
  for (let i = 0; !(await answers(port)); i++) {
    if (i === 240 || child.exitCode !== null) throw new Error(`mongo-java-server did not start on ${port}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve).kill('SIGTERM')));
  return { port, stop };
}

// A lead-sized document with a unique key, then an update of it (the outbox's publish-and-remove), as intake does.
async function run(port) {
  const client = await new mongoose.mongo.MongoClient(`mongodb://127.0.0.1:${port}`, { maxPoolSize: concurrency }).connect();
  const leads = client.db('bench').collection('leads');
  await leads.createIndex({ email: 1 }, { unique: true });
  const lead = (i) => ({
    _id: `lead-${i}`,
    email: `person-${i}@example.com`,
    name: `Person ${i}`,
    company: 'Acme Industries',
    tags: ['web-form', 'crm'],
    outbox: [{ id: `event-${i}`, type: 'lead.captured', body: 'x'.repeat(300) }],
  });
  const timed = async (operation) => {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < writes; i = next++) await operation(i);
      }),
    );
    return writes / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const inserts = await timed((i) => leads.insertOne(lead(i)));
  const updates = await timed((i) => leads.updateOne({ _id: `lead-${i}` }, { $set: { outbox: [] } }));
  await client.close();
  return { inserts, updates };
}

const dropBench = async (port) => {
  const client = await mongoose.mongo.MongoClient.connect(`mongodb://127.0.0.1:${port}`);
  await client.db('bench').dropDatabase();
  await client.close();
};

// Both servers run side by side and the rounds alternate, keeping each store's best round: the machine is shared,
// and a burst of someone else's work should not be counted against one store only.
const folder = mkdtempSync(join(tmpdir(), 'crm-bench-persistence-'));
const file = join(folder, 'bench.mv.db');
const servers = [];
try {
  const stores = [
    { name: 'in memory', server: await startServer() },
    { name: 'durable (H2 file)', server: await startServer(file) },
  ];
  servers.push(...stores.map((store) => store.server));
  for (const { server } of stores) await run(server.port).then(() => dropBench(server.port)); // warm-up (JIT)
  const best = stores.map(() => ({ inserts: 0, updates: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, { server }] of stores.entries()) {
      const result = await run(server.port);
      await dropBench(server.port);
      best[i] = { inserts: Math.max(best[i].inserts, result.inserts), updates: Math.max(best[i].updates, result.updates) };
    }
  }
  for (const [i, { name }] of stores.entries()) {
    console.log(
      `${name.padEnd(18)} inserts ${best[i].inserts.toFixed(0).padStart(6)}/s   updates ${best[i].updates.toFixed(0).padStart(6)}/s`,
    );
  }
  const [memory, durable] = best;
  console.log(
    `durable / in memory: inserts ${(durable.inserts / memory.inserts).toFixed(2)}, updates ${(durable.updates / memory.updates).toFixed(2)}` +
      ` (best of ${rounds} rounds of ${writes} writes, ${concurrency} at a time; data file ${(statSync(file).size / 1e6).toFixed(0)} MB)`,
  );
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(folder, { recursive: true, force: true });
}
