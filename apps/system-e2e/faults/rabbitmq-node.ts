import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@crm/testing';

// The Debian package's scripts, called directly: its /usr/sbin wrappers switch to the rabbitmq user, whose home and
// cookie belong to the shared node. Called directly, the node runs as the current user with a home of its own.
const scriptsDir = '/usr/lib/rabbitmq/bin';

export interface RabbitNodeOptions {
  // A folder of this run; the node's home (Erlang cookie), data and logs live under it.
  dir: string;
  nodeName: string;
  amqpPort: number;
  distPort: number;
}

// A RabbitMQ node of the fault suite's own, next to the shared one: its own name, ports, cookie and data folder.
// Restarting it on the same data folder keeps durable queues and persistent messages.
export class RabbitNode {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  readonly logs: string[] = [];

  private constructor(private readonly options: RabbitNodeOptions) {}

  static async start(options: RabbitNodeOptions): Promise<RabbitNode> {
    if (!existsSync(join(scriptsDir, 'rabbitmq-server'))) {
      throw new Error('rabbitmq-server is not installed (Debian package rabbitmq-server; `npm run infra:up` installs it)');
    }
    mkdirSync(options.dir, { recursive: true });
    // No plugins, no config and no env file of the machine's: nothing of the shared node leaks in.
    writeFileSync(join(options.dir, 'enabled_plugins'), '[].\n');
    writeFileSync(join(options.dir, 'rabbitmq-env.conf'), '');
    writeFileSync(join(options.dir, 'rabbitmq.conf'), 'loopback_users.guest = true\n');
    const node = new RabbitNode(options);
    await node.boot();
    return node;
  }

  get amqpUrl(): string {
    return `amqp://guest:guest@127.0.0.1:${this.options.amqpPort}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private get env(): NodeJS.ProcessEnv {
    const dir = this.options.dir;
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      RABBITMQ_NODENAME: this.options.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(this.options.amqpPort),
      RABBITMQ_DIST_PORT: String(this.options.distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    };
  }

  // Starts the node (again, on the same data) and waits until it accepts AMQP connections.
  async boot(timeoutMs = 90_000): Promise<void> {
    const child = spawn(join(scriptsDir, 'rabbitmq-server'), [], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (chunk: Buffer) => this.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      `RabbitMQ node ${this.options.nodeName} to start`,
      () => {
        if (!this.running) throw new Error(`rabbitmq-server exited:\n${this.logs.slice(-20).join('\n')}`);
        return this.ctl(['await_startup', '--timeout', '5']) === 0;
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  // A clean stop through rabbitmqctl, always naming this node: a bare `rabbitmqctl stop` would stop the shared one.
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.ctl(['stop']);
    await Promise.race([this.exit, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    if (this.running) await this.kill();
  }

  // SIGKILL to the node's whole process group (the script, erl and beam).
  async kill(): Promise<void> {
    if (!this.child?.pid || !this.running) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exit;
  }

  private ctl(args: string[]): number | null {
    return spawnSync(join(scriptsDir, 'rabbitmqctl'), ['-q', '-n', this.options.nodeName, ...args], {
      env: this.env,
      stdio: 'ignore',
      timeout: 20_000,
    }).status;
  }
}
