import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { testGrpcEnv } from './grpc-client';
import { waitFor } from './wait-for';

export interface ServiceProcessOptions {
  // App name: runs dist/apps/<name>/main.js (built by `nx run <name>:build`).
  name: string;
  env: Record<string, string>;
  httpPort: number;
  grpcPort: number;
}

// The nearest folder holding nx.json: this file runs from libs/testing/src under jest and from dist/tools when a
// script is bundled by tools/build/run-ts.mjs.
function findRepositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return join(__dirname, '../../..');
  }
}

const repositoryRoot = findRepositoryRoot(__dirname);

// One service as a separate OS process, as in production; its output is kept to show when a test fails.
export class ServiceProcess {
  readonly logs: string[] = [];
  private readonly exit: Promise<number | null>;

  private constructor(
    readonly options: ServiceProcessOptions,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(options: ServiceProcessOptions, readyTimeoutMs = 30_000): Promise<ServiceProcess> {
    const child = spawn(process.execPath, ['--enable-source-maps', join(repositoryRoot, 'dist/apps', options.name, 'main.js')], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '',
        ...testGrpcEnv,
        ...options.env,
        HTTP_PORT: String(options.httpPort),
        GRPC_PORT: String(options.grpcPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(options, child);
    try {
      // A process that dies while starting fails the wait at once instead of at its timeout.
      let started = false;
      const died = service.exited.then((code) => {
        if (!started) throw new Error(`${options.name} exited with code ${code} while starting`);
      });
      await Promise.race([
        waitFor(`${options.name} to be ready`, () => service.isReady(), { timeoutMs: readyTimeoutMs, intervalMs: 100 }).then(() => {
          started = true;
        }),
        died,
      ]);
    } catch (err) {
      await service.stop();
      throw new Error(`${(err as Error).message}\n${service.logs.slice(-30).join('\n')}`, { cause: err });
    }
    return service;
  }

  get exited(): Promise<number | null> {
    return this.exit;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  get grpcAddress(): string {
    return `127.0.0.1:${this.options.grpcPort}`;
  }

  async isReady(): Promise<boolean> {
    if (this.child.exitCode !== null) throw new Error(`${this.options.name} exited with code ${this.child.exitCode}`);
    try {
      return (await fetch(`${this.httpUrl}/readyz`)).status === 200;
    } catch {
      return false;
    }
  }

  // SIGTERM, then the exit code: 0 means the graceful shutdown completed.
  async stop(timeoutMs = 20_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exit;
    clearTimeout(timer);
    return code ?? null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exit;
  }

  // A new process with the same name, ports and environment, once this one has exited (SIGKILL if still running).
  async restart(readyTimeoutMs = 30_000): Promise<ServiceProcess> {
    if (this.child.exitCode === null && this.child.signalCode === null) await this.kill();
    else await this.exit;
    return ServiceProcess.start(this.options, readyTimeoutMs);
  }
}
