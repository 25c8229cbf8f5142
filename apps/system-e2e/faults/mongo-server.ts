import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@crm/testing';

export interface MongoServerOptions {
  repositoryRoot: string;
  // A folder of this run: the classpath file and the H2 data file go there.
  dir: string;
  port: number;
}

// Resolves mongo-java-server's classpath with Maven, as tools/infra/infra-up.sh does (offline first: the
// artifacts are usually in the local repository already).
function resolveClasspath(repositoryRoot: string, dir: string): string {
  const pom = join(repositoryRoot, 'tools/infra/mongo-server/pom.xml');
  const out = join(dir, 'mongo-server.classpath');
  for (const offline of [['-o'], []]) {
    const run = spawnSync('mvn', ['-q', '-B', ...offline, '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${out}`], {
      stdio: 'ignore',
    });
    if (run.status === 0) return readFileSync(out, 'utf8').trim();
  }
  throw new Error('Maven could not resolve mongo-java-server (is `mvn` installed?)');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// The fault suite's own mongo-java-server (tools/infra/mongo-server/MongoTestServer.java) with an H2 file, so the
// data is there again after a restart, also after SIGKILL.
export class MongoServer {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  readonly logs: string[] = [];

  private constructor(
    private readonly options: MongoServerOptions,
    private readonly classpath: string,
  ) {}

  static async start(options: MongoServerOptions): Promise<MongoServer> {
    const server = new MongoServer(options, resolveClasspath(options.repositoryRoot, options.dir));
    await server.boot();
    return server;
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async boot(timeoutMs = 60_000): Promise<void> {
    const launcher = join(this.options.repositoryRoot, 'tools/infra/mongo-server/MongoTestServer.java');
    const child = spawn(
      'java',
      ['-Xmx1g', '-cp', this.classpath, launcher, String(this.options.port), join(this.options.dir, 'mongo.h2')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const keep = (chunk: Buffer) => this.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      'the MongoDB server to listen',
      async () => {
        if (!this.running) throw new Error(`mongo-java-server exited:\n${this.logs.slice(-20).join('\n')}`);
        return portOpen(this.options.port);
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  // SIGKILL: no shutdown hook runs, so only what the server committed before replying survives.
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exit;
  }
}
