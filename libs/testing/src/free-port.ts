import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Ports for the services a test starts. A port the OS hands out for port 0 comes from the ephemeral range, which
// every outgoing connection also draws from: in the second or two before the service binds it, a connection of a
// parallel test (to the broker, or from one of many client addresses) may take it, and the service fails with
// EADDRINUSE. So ports are chosen below that range, checked free on every interface, and claimed with a file only
// one process can create, so two parallel test processes never pick the same one.
const claims = join(tmpdir(), 'crm-test-port-claims');
const staleClaimMs = 10 * 60_000;
// The shared test servers' own ports, and RabbitMQ's distribution port (AMQP port + 20000).
const reserved = new Set([15672, 25672, 27017, 27018]);

function ephemeralStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}
const lowest = 20_000;
const highest = ephemeralStart() - 1;

function claim(port: number): boolean {
  const file = join(claims, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(file, 'wx'));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A claim from an earlier run: take it over.
      if (Date.now() - statSync(file).mtimeMs < staleClaimMs) return false;
      unlinkSync(file);
    }
  }
  return false;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function freePort(): Promise<number> {
  // Without room below the ephemeral range, fall back to the OS's choice.
  if (highest - lowest < 1000) return osPort();
  mkdirSync(claims, { recursive: true });
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (reserved.has(port) || !claim(port)) continue;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${lowest} and ${highest}`);
}
