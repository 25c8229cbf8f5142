import { freePort } from '../../libs/testing/src/free-port';
import { mongoUrlWithDatabase } from '../../libs/testing/src/test-infra';
import { BenchProcess } from './bench-process';
import { floorHops, floorRoles } from './floor-role';
import { removeRun } from './system-processes';

// The floor's four processes: this very bundle started again with `--floor-role <role>` (see system.bench.ts).
export class FloorProcesses {
  private constructor(
    readonly processes: BenchProcess[],
    readonly database: string,
    readonly namespace: string,
    private readonly mongoUrl: string,
    private readonly amqpUrl: string,
  ) {}

  static async start(bundle: string, mongoUrl: string, amqpUrl: string, namespace: string, database: string): Promise<FloorProcesses> {
    // Hops first, so their queues exist before the intake publishes.
    const ordered = [...floorRoles.slice(1), floorRoles[0]];
    const processes: BenchProcess[] = [];
    for (const role of ordered) {
      const port = await freePort();
      const env = {
        MONGO_URL: mongoUrlWithDatabase(mongoUrl, database),
        AMQP_URL: amqpUrl,
        AMQP_NAMESPACE: namespace,
        HTTP_PORT: String(port),
      };
      processes.push(await BenchProcess.start(role, [bundle, '--floor-role', role], env, port));
    }
    return new FloorProcesses(processes, database, namespace, mongoUrl, amqpUrl);
  }

  get intakeUrl(): string {
    return `http://127.0.0.1:${this.byRole('floor-intake').httpPort}`;
  }

  byRole(role: string): BenchProcess {
    const found = this.processes.find((p) => p.name === role);
    if (!found) throw new Error(`no floor process ${role}`);
    return found;
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    await removeRun(
      this.mongoUrl,
      this.amqpUrl,
      this.namespace,
      floorHops.map((h) => h.consumer),
      [this.database],
    );
  }
}
