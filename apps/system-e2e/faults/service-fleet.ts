import { freePort, mongoUrlWithDatabase, ServiceProcess } from '@crm/testing';

import { serviceNames, type ServiceName } from '@crm/contracts';

export { serviceNames, type ServiceName };

export const intakeKey = 'faults-web-form-key';
export const copiesPerService = 2;

// The consumer (queue) each service reads.
export interface FleetOptions {
  mongoUrl: string;
  amqpUrl: string;
  namespace: string;
  databasePrefix: string;
}

// Two copies of every service as separate processes: each copy on ports of its own, both copies of a service on
// the same database and broker namespace, competing for the same queue, as when an operator scales a service out.
export class ServiceFleet {
  private constructor(
    readonly copies: Record<ServiceName, ServiceProcess[]>,
    readonly databases: Record<ServiceName, string>,
  ) {}

  static async start(options: FleetOptions): Promise<ServiceFleet> {
    const databases = Object.fromEntries(
      serviceNames.map((name) => [name, `${options.databasePrefix}_${name.replace('-', '_')}`]),
    ) as Record<ServiceName, string>;
    const ports = async () => ({ httpPort: await freePort(), grpcPort: await freePort() });
    const qualificationPorts = await Promise.all(Array.from({ length: copiesPerService }, ports));
    const copies = {} as Record<ServiceName, ServiceProcess[]>;
    const started: ServiceProcess[] = [];
    const env = (name: ServiceName, copy: number) => ({
      MONGO_URL: mongoUrlWithDatabase(options.mongoUrl, databases[name]),
      AMQP_URL: options.amqpUrl,
      AMQP_NAMESPACE: options.namespace,
      INTAKE_API_KEYS: `web-form=${intakeKey}`,
      // The stream's rate is above the per-process default limit: this suite tests faults, not limits.
      INTAKE_RATE_LIMIT_POINTS: '1000000',
      INTAKE_RATE_LIMIT_PER_ADDRESS: '1000000',
      QUALIFICATION_GRPC_ADDRESS: `127.0.0.1:${qualificationPorts[copy].grpcPort}`,
      LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
      REPORT_CACHE_MS: '0',
    });
    // Qualification first: deals asks it over gRPC (each deals copy its own qualification copy).
    for (const name of ['qualification', 'lead-intake', 'deals', 'reporting'] as const) {
      const results = await Promise.allSettled(
        Array.from({ length: copiesPerService }, async (_, copy) => {
          const service = await ServiceProcess.start(
            { name, ...(name === 'qualification' ? qualificationPorts[copy] : await ports()), env: env(name, copy) },
            60_000,
          );
          started.push(service);
          return service;
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        // Leave no process behind: the suite's clean-up does not know this fleet yet.
        await Promise.all(started.map((s) => s.stop(10_000)));
        throw failed.reason;
      }
      copies[name] = results.map((r) => (r as PromiseFulfilledResult<ServiceProcess>).value);
    }
    return new ServiceFleet(copies, databases);
  }

  all(): { name: ServiceName; copy: number; service: ServiceProcess }[] {
    return serviceNames.flatMap((name) => this.copies[name].map((service, copy) => ({ name, copy, service })));
  }

  // SIGKILL one copy; resolves once the process is gone.
  async kill(name: ServiceName, copy: number): Promise<void> {
    await this.copies[name][copy].kill();
  }

  // Starts a killed copy again on the same ports and environment; resolves when it is ready.
  async restart(name: ServiceName, copy: number): Promise<void> {
    this.copies[name][copy] = await this.copies[name][copy].restart(120_000);
  }

  async readiness(): Promise<{ name: ServiceName; copy: number; ready: boolean }[]> {
    return Promise.all(
      this.all().map(async ({ name, copy, service }) => ({ name, copy, ready: await service.isReady().catch(() => false) })),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map(({ service }) => service.stop(10_000).catch(() => undefined)));
  }

  // The lines every copy logged at error level or above, for the causes of 5xx answers.
  errorLogs(limit = 20): string[] {
    return this.all()
      .flatMap(({ name, copy, service }) =>
        service.logs.filter((line) => /"level":"(error|fatal)"/.test(line)).map((line) => `${name}#${copy} ${line}`),
      )
      .slice(0, limit);
  }

  tailLogs(lines = 15): string {
    return this.all()
      .map(({ name, copy, service }) => `--- ${name}#${copy}\n${service.logs.slice(-lines).join('\n')}`)
      .join('\n');
  }
}
