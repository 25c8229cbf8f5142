import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

// A node process of the benchmark (a built service or a floor role) with its pid for CPU sampling, ready once its
// /readyz answers 200. Only the last lines of its output are kept, to explain a failure.
export class BenchProcess {
  private readonly tail: string[] = [];
  private readonly exit: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly httpPort: number,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.tail.splice(0, Math.max(0, this.tail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    running.add(this);
  }

  static async start(
    name: string,
    args: string[],
    env: Record<string, string>,
    httpPort: number,
    readyTimeoutMs = 60_000,
  ): Promise<BenchProcess> {
    // BENCH_NODE_ARGS go to every process the benchmark starts, e.g. `--cpu-prof --cpu-prof-dir=<dir>` for profiles.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new BenchProcess(name, httpPort, child);
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting:\n${started.logs()}`);
      const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return started;
      if (Date.now() > deadline) {
        await started.stop();
        throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${started.logs()}`);
      }
      await sleep(100);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  logs(): string {
    return this.tail.map((line) => `  ${this.name}: ${line}`).join('\n');
  }

  // SIGTERM (graceful), SIGKILL after the timeout.
  async stop(timeoutMs = 20_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exit;
    clearTimeout(timer);
    running.delete(this);
    return code;
  }

  killNow(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const running = new Set<BenchProcess>();

// A benchmark that dies or is interrupted leaves no process of its own behind.
export function killAllBenchProcesses(): void {
  for (const p of running) p.killNow();
}
