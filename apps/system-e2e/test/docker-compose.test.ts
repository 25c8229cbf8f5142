// docker-compose.yml and the service Dockerfiles can't be built or run without a Docker engine, so this checks the
// wiring they describe: each service on its own MongoDB, on the broker, on its ports, healthy and started in order.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';
import { parse } from 'yaml';

const composePath = join(__dirname, '../../../docker-compose.yml');
const repoRoot = dirname(composePath);

const services = [
  { name: 'lead-intake', httpPort: 3001, grpcPort: 50051, database: 'crm_lead_intake' },
  { name: 'qualification', httpPort: 3002, grpcPort: 50052, database: 'crm_qualification' },
  { name: 'deals', httpPort: 3003, grpcPort: 50053, database: 'crm_deals' },
  { name: 'reporting', httpPort: 3004, grpcPort: 50054, database: 'crm_reporting' },
];

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string | number> | string[] };
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  volumes?: (string | { source?: string; target?: string })[];
}

// The file uses `<<` merge keys, which YAML 1.2 leaves off unless asked.
const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as { services?: Record<string, ComposeService> };

function service(name: string): ComposeService {
  const found = compose.services?.[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

// The variables of .env.example, as an operator's .env would give them.
function dotEnv(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/).filter((line) => /^\w+=/.test(line));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
const exampleEnv = dotEnv(readFileSync(join(repoRoot, '.env.example'), 'utf8'));

// What `docker compose up` sees with these variables: ${VAR:-default} gives the default when VAR is unset or empty,
// ${VAR:?message} stops with the message.
function interpolateWith(vars: Record<string, string>, value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (match, name?: string, operator?: string, word?: string) => {
    if (match === '$$') return '$';
    const set = vars[name!];
    if (set) return set;
    if (operator?.endsWith('?')) throw new Error(`required variable ${name} is missing a value: ${word}`);
    return word ?? '';
  });
}
const interpolate = (value: string) => interpolateWith(exampleEnv, value);

// Every ${VAR:?…} the file requires.
const requiredVariables = [...readFileSync(composePath, 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]);

function environment(svc: ComposeService): Record<string, string> {
  const entries = Array.isArray(svc.environment)
    ? svc.environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(svc.environment ?? {}).map(([key, value]) => [key, String(value ?? '')]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

// Short ("[ip:]published:target[/protocol]") and long port syntax alike.
function publishedPorts(svc: ComposeService): { published: number; target: number }[] {
  return (svc.ports ?? []).map((port) => {
    if (typeof port === 'object') return { published: Number(port.published), target: Number(port.target) };
    const parts = String(port)
      .replace(/\/\w+$/, '')
      .split(':');
    return { published: Number(parts.at(-2)), target: Number(parts.at(-1)) };
  });
}

function dependencyConditions(svc: ComposeService): Record<string, string> {
  const deps = svc.depends_on ?? {};
  return Array.isArray(deps)
    ? Object.fromEntries(deps.map((name) => [name, 'service_started']))
    : Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition ?? 'service_started']));
}

// The health check's command line, or undefined when there is none or it is switched off.
function healthcheck(svc: ComposeService): string | undefined {
  const test = svc.healthcheck?.test;
  if (!test || svc.healthcheck?.disable) return undefined;
  const words = Array.isArray(test) ? test : [test];
  return words.length === 0 || words[0] === 'NONE' ? undefined : words.join(' ');
}

function mongoHosts(svc: ComposeService): string[] {
  return new ConnectionString(environment(svc).MONGO_URL ?? '').hosts.map((host) => host.replace(/:\d+$/, ''));
}

interface Instruction {
  keyword: string;
  args: string;
}

// Instructions of a Dockerfile, continuation lines joined and comments dropped, split into the global part (before
// the first FROM) and one list per stage.
function dockerfileStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [[]];
  let pending = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line) || !line.trim()) continue;
    pending += line.trim().endsWith('\\') ? `${line.trim().slice(0, -1)} ` : line.trim();
    if (line.trim().endsWith('\\')) continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/s.exec(pending.trim()) ?? [];
    pending = '';
    if (!keyword) continue;
    if (keyword.toUpperCase() === 'FROM') stages.push([]);
    stages[stages.length - 1].push({ keyword: keyword.toUpperCase(), args: args.trim() });
  }
  return stages;
}

const dockerfilePath = join(repoRoot, 'Dockerfile');
const stages = dockerfileStages(readFileSync(dockerfilePath, 'utf8'));
const runtime = stages[stages.length - 1];
const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1)?.args;

function buildArgs(svc: ComposeService): Record<string, string> {
  const args = typeof svc.build === 'object' ? (svc.build.args ?? {}) : {};
  const entries = Array.isArray(args) ? args.map((a) => a.split('=', 2)) : Object.entries(args).map(([k, v]) => [k, String(v)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

// Where a Dockerfile word names build ARGs, their values for one build.
const withArgs = (text: string, args: Record<string, string>) => text.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => args[arg] ?? '');

describe('a compose file safe to run on a server', () => {
  it('publishes only the intake API and the dashboard', () => {
    const published = Object.entries(compose.services ?? {}).flatMap(([name, svc]) =>
      publishedPorts(svc).map((p) => `${name}:${p.published}`),
    );
    expect(published.sort()).toEqual(['lead-intake:3001', 'reporting:3004']);
  });

  it('runs the broker with an account from .env, not guest, and the services use it', () => {
    const broker = environment(service('rabbitmq'));
    expect(broker.RABBITMQ_DEFAULT_USER).toBe(exampleEnv.RABBITMQ_USER);
    expect(broker.RABBITMQ_DEFAULT_PASS).toBe(exampleEnv.RABBITMQ_PASSWORD);
    expect(broker.RABBITMQ_DEFAULT_USER).not.toBe('guest');
    for (const { name } of services) {
      const url = new URL(environment(service(name)).AMQP_URL ?? '');
      expect({ name, user: url.username, password: url.password }).toEqual({
        name,
        user: exampleEnv.RABBITMQ_USER,
        password: exampleEnv.RABBITMQ_PASSWORD,
      });
    }
  });

  it('refuses to start without the .env values, each of which .env.example explains', () => {
    expect(requiredVariables).toEqual(expect.arrayContaining(['RABBITMQ_USER', 'RABBITMQ_PASSWORD', 'GRPC_CLIENTS', 'REPORTS_API_KEYS']));
    for (const variable of requiredVariables) expect(Object.keys(exampleEnv)).toContain(variable);
    const withoutEnv = (svc: ComposeService) =>
      Object.values(svc.environment ?? {}).forEach((value) => interpolateWith({}, String(value ?? '')));
    expect(() => withoutEnv(service('rabbitmq'))).toThrow('required variable RABBITMQ_USER is missing a value');
    for (const { name } of services) expect(() => withoutEnv(service(name))).toThrow(/required variable \w+ is missing a value/);
  });

  it('keeps .env out of version control', () => {
    expect(readFileSync(join(repoRoot, '.gitignore'), 'utf8').split(/\r?\n/)).toContain('.env');
  });
});

describe('infrastructure', () => {
  it('runs RabbitMQ with a health check', () => {
    expect(service('rabbitmq').image).toMatch(/^rabbitmq:/);
    expect(healthcheck(service('rabbitmq'))).toBeDefined();
  });

  it('gives no two services the same MongoDB', () => {
    const hosts = services.flatMap(({ name }) => mongoHosts(service(name)));
    expect(new Set(hosts).size).toBe(hosts.length);
    const dataVolumes = services.flatMap(({ name }) =>
      (compose.services?.[`mongo-${name}`]?.volumes ?? []).flatMap((volume) =>
        typeof volume === 'string' ? volume.split(':')[0] : (volume.source ?? []),
      ),
    );
    expect(new Set(dataVolumes).size).toBe(dataVolumes.length);
  });

  it('has no Dockerfile per service: one image definition serves the four', () => {
    for (const { name } of services) expect(existsSync(join(repoRoot, 'apps', name, 'Dockerfile'))).toBe(false);
    expect(existsSync(dockerfilePath)).toBe(true);
  });
});

describe('the one Dockerfile', () => {
  it('builds in a separate stage from the runtime image', () => {
    expect(stages.length - 1).toBeGreaterThanOrEqual(2);
  });

  it('has a HEALTHCHECK on /readyz', () => {
    expect(last('HEALTHCHECK')).toMatch(/\/readyz/);
  });

  it('runs as a non-root USER', () => {
    const user = last('USER');
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
  });

  it('runs the bundle of the service it was built for', () => {
    expect(JSON.parse(last('CMD') ?? 'null')).toEqual(['node', 'service/main.js']);
  });

  it('keeps only the bundle and the production dependencies in the runtime stage', () => {
    const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(['--from=manifests /manifests/ ./', '--from=build /repo/dist/apps/${SERVICE}/ ./service/']);
    expect(
      runtime
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).toMatch(/npm ci --omit=dev/);
  });
});

describe.each(services)('$name', ({ name, httpPort, grpcPort, database }) => {
  const mongoService = `mongo-${name}`;

  it('is built from the one Dockerfile, chosen by its SERVICE and ports', () => {
    const { build } = service(name);
    const context = resolve(repoRoot, (typeof build === 'string' ? build : build?.context) ?? '.');
    const dockerfile = resolve(context, (typeof build === 'object' && build.dockerfile) || 'Dockerfile');
    expect(context).toBe(repoRoot);
    expect(dockerfile).toBe(dockerfilePath);
    expect(buildArgs(service(name))).toEqual({ SERVICE: name, HTTP_PORT: String(httpPort), GRPC_PORT: String(grpcPort) });
  });

  it(`has its own MongoDB (${mongoService}), with a health check`, () => {
    expect(service(mongoService).image).toMatch(/^mongo:/);
    expect(healthcheck(service(mongoService))).toBeDefined();
  });

  it(`keeps its data in ${mongoService}, database ${database}`, () => {
    expect(new Set(mongoHosts(service(name)))).toEqual(new Set([mongoService]));
    expect(new ConnectionString(environment(service(name)).MONGO_URL ?? '').pathname).toBe(`/${database}`);
  });

  it('reaches RabbitMQ', () => {
    const url = new URL(environment(service(name)).AMQP_URL ?? '');
    expect(url.protocol).toMatch(/^amqps?:$/);
    expect(url.hostname).toBe('rabbitmq');
  });

  it(`listens on HTTP ${httpPort} and gRPC ${grpcPort}, publishing at most its HTTP port`, () => {
    const env = environment(service(name));
    expect(env.HTTP_PORT).toBe(String(httpPort));
    expect(env.GRPC_PORT).toBe(String(grpcPort));
    for (const port of publishedPorts(service(name))) expect(port).toEqual({ published: httpPort, target: httpPort });
  });

  it('starts once its MongoDB and RabbitMQ are healthy', () => {
    expect(dependencyConditions(service(name))).toMatchObject({
      [mongoService]: 'service_healthy',
      rabbitmq: 'service_healthy',
    });
  });

  it('is health-checked on /readyz and restarted', () => {
    expect(healthcheck(service(name))).toContain('/readyz');
    expect(service(name).restart).toBe('unless-stopped');
  });

  it(`gets an image that exposes ports ${httpPort} and ${grpcPort} and runs its own bundle`, () => {
    const args = buildArgs(service(name));
    const exposed = runtime
      .filter((i) => i.keyword === 'EXPOSE')
      .flatMap((i) => withArgs(i.args, args).split(/\s+/))
      .map((port) => Number(port.replace(/\/\w+$/, '')));
    expect(exposed).toEqual(expect.arrayContaining([httpPort, grpcPort]));
    const copied = runtime.filter((i) => i.keyword === 'COPY' && i.args.includes('--from=build')).map((i) => withArgs(i.args, args));
    expect(copied).toEqual([`--from=build /repo/dist/apps/${name}/ ./service/`]);
  });
});
