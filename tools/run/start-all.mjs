// Runs the four built services as separate processes with readable, prefixed logs; Ctrl-C stops them all
// gracefully. Each service reads its configuration from the environment (loopback defaults).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { prettyFactory } from 'pino-pretty';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const services = [
  { name: 'lead-intake', color: 36 },
  { name: 'qualification', color: 35 },
  { name: 'deals', color: 32 },
  { name: 'reporting', color: 33 },
];
const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss.l' });

// Development defaults so `npm start` accepts, reads and edits leads at once; set INTAKE_API_KEYS and
// LEADS_API_KEYS for anything else.
const env = {
  ...process.env,
  INTAKE_API_KEYS: process.env.INTAKE_API_KEYS ?? 'web-form=dev-web-form-key',
  LEADS_API_KEYS: process.env.LEADS_API_KEYS ?? 'ops=dev-leads-key',
};

const children = services.map(({ name, color }) => {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(13)}\x1b[0m` : name.padEnd(13);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      let text = line;
      try {
        text = pretty(JSON.parse(line)).trimEnd();
      } catch {
        // not a JSON log line: print it as it is
      }
      process.stdout.write(`${prefix} ${text}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix} exited (${signal ?? code})\n`);
    if (!stopping) stopAll(1);
  });
  return child;
});

let stopping = false;
function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(exitCode));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
