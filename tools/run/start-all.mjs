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

// Development credentials so `npm start` accepts, reads and edits leads and answers gRPC at once: a "dev" gRPC
// caller with every scope, deals' own token for qualification, and lead-intake's for qualification and deals (a
// person's export). Set the variables (or their *_FILE forms) for anything else.
const devGrpcToken = 'dev-grpc-token';
const devDealsToken = 'dev-deals-to-qualification-token';
const devLeadIntakeToken = 'dev-lead-intake-token';
const unset = (name) => !process.env[name] && !process.env[`${name}_FILE`];
const env = {
  ...process.env,
  ...(unset('INTAKE_API_KEYS') ? { INTAKE_API_KEYS: 'web-form=dev-web-form-key' } : {}),
  ...(unset('LEADS_API_KEYS') ? { LEADS_API_KEYS: 'ops=dev-leads-key' } : {}),
  ...(unset('REPORTS_API_KEYS') ? { REPORTS_API_KEYS: 'sales=dev-reports-key' } : {}),
  ...(unset('GRPC_CLIENTS') ? { GRPC_CLIENTS: `dev=${devGrpcToken},deals=${devDealsToken},lead-intake=${devLeadIntakeToken}` } : {}),
  ...(process.env.GRPC_CLIENT_SCOPES ? {} : { GRPC_CLIENT_SCOPES: 'dev=read|write|admin,deals=read,lead-intake=read' }),
};
// The token each service presents to the ones it calls.
const envOf = {
  'lead-intake': {
    ...(unset('QUALIFICATION_GRPC_TOKEN') ? { QUALIFICATION_GRPC_TOKEN: devLeadIntakeToken } : {}),
    ...(unset('DEALS_GRPC_TOKEN') ? { DEALS_GRPC_TOKEN: devLeadIntakeToken } : {}),
  },
  deals: unset('QUALIFICATION_GRPC_TOKEN') ? { QUALIFICATION_GRPC_TOKEN: devDealsToken } : {},
};
if (unset('GRPC_CLIENTS')) {
  process.stdout.write(
    `Development gRPC credentials (caller "dev", every scope), e.g.:\n` +
      `  grpcurl -plaintext -H 'authorization: Bearer ${devGrpcToken}' -d '{"page_size":5}' 127.0.0.1:50051 crm.v1.LeadService/ListLeads\n`,
  );
}
if (unset('REPORTS_API_KEYS')) {
  process.stdout.write('Development reports key: dev-reports-key (sign in at http://localhost:3004/dashboard, or send it as X-Api-Key)\n');
}

const children = services.map(({ name, color }) => {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    env: { ...env, ...envOf[name] },
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
