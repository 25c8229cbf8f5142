import { join } from 'node:path';
import amqp from 'amqplib';
import mongoose from 'mongoose';
import { deleteTopology, topologyNames } from '@crm/messaging';
import { freePort } from '../../libs/testing/src/free-port';
import { BenchProcess } from './bench-process';
import { mongoUrlWithDatabase as databaseUrl } from '../../libs/testing/src/test-infra';
import { consumerNames, serviceNames, type ServiceName } from '@crm/contracts';

export { serviceNames, type ServiceName };

export const benchIntakeKey = 'bench-web-form-key';
export const benchGrpcToken = 'bench-grpc-token-all-scopes';
export const benchReportsKey = 'bench-reports-key';
const consumers = Object.values(consumerNames);

export function systemDatabases(prefix: string): Record<ServiceName, string> {
  return Object.fromEntries(serviceNames.map((name) => [name, `${prefix}_${name.replace('-', '_')}`])) as Record<ServiceName, string>;
}

// The four built services as separate processes (dist/apps/<name>/main.js), as users run them: own database each,
// one broker namespace, free ports.
export class SystemProcesses {
  private constructor(
    readonly services: Record<ServiceName, BenchProcess>,
    readonly grpcPorts: Record<ServiceName, number>,
    readonly databases: Record<ServiceName, string>,
    readonly namespace: string,
    private readonly mongoUrl: string,
    private readonly amqpUrl: string,
  ) {}

  static async start(
    root: string,
    mongoUrl: string,
    amqpUrl: string,
    namespace: string,
    databases: Record<ServiceName, string>,
  ): Promise<SystemProcesses> {
    const ports = Object.fromEntries(
      await Promise.all(serviceNames.map(async (n) => [n, { http: await freePort(), grpc: await freePort() }] as const)),
    ) as Record<ServiceName, { http: number; grpc: number }>;
    const common = {
      AMQP_URL: amqpUrl,
      AMQP_NAMESPACE: namespace,
      // BENCH_LOG_LEVEL=info shows what a service does while it starts (the logs are printed if it is not ready in time).
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      INTAKE_API_KEYS: `web-form=${benchIntakeKey}`,
      LEADS_API_KEYS: 'bench=bench-leads-key',
      REPORTS_API_KEYS: `bench=${benchReportsKey}`,
      // The per-key rate limit guards the public form; the benchmark is one key sending far more.
      INTAKE_RATE_LIMIT_POINTS: '1000000000',
      INTAKE_RATE_LIMIT_PER_ADDRESS: '1000000000',
      // Report latencies are measured uncached.
      REPORT_CACHE_MS: '0',
      QUALIFICATION_GRPC_ADDRESS: `127.0.0.1:${ports.qualification.grpc}`,
      GRPC_CLIENTS: `bench=${benchGrpcToken}`,
      GRPC_CLIENT_SCOPES: 'bench=read|write|admin',
      QUALIFICATION_GRPC_TOKEN: benchGrpcToken,
    };
    // Started in parallel: each declares the topology it needs, so start-up order does not matter.
    const started = await Promise.all(
      serviceNames.map((name) =>
        BenchProcess.start(
          name,
          ['--enable-source-maps', join(root, 'dist/apps', name, 'main.js')],
          {
            ...common,
            MONGO_URL: databaseUrl(mongoUrl, databases[name]),
            HTTP_PORT: String(ports[name].http),
            GRPC_PORT: String(ports[name].grpc),
          },
          ports[name].http,
        ),
      ),
    );
    const services = Object.fromEntries(serviceNames.map((n, i) => [n, started[i]])) as Record<ServiceName, BenchProcess>;
    const grpcPorts = Object.fromEntries(serviceNames.map((n) => [n, ports[n].grpc])) as Record<ServiceName, number>;
    return new SystemProcesses(services, grpcPorts, databases, namespace, mongoUrl, amqpUrl);
  }

  get intakeUrl(): string {
    return `http://127.0.0.1:${this.services['lead-intake'].httpPort}`;
  }

  get reportingHttpUrl(): string {
    return `http://127.0.0.1:${this.services.reporting.httpPort}`;
  }

  pids(): Record<ServiceName, number | undefined> {
    return Object.fromEntries(serviceNames.map((n) => [n, this.services[n].pid])) as Record<ServiceName, number | undefined>;
  }

  // Stops the services, then removes their queues, exchanges and databases.
  async stop(): Promise<void> {
    await Promise.all(serviceNames.map((n) => this.services[n].stop()));
    await removeRun(this.mongoUrl, this.amqpUrl, this.namespace, consumers, Object.values(this.databases));
  }
}

export async function removeRun(
  mongoUrl: string,
  amqpUrl: string,
  namespace: string,
  queueConsumers: string[],
  databases: string[],
): Promise<void> {
  const broker = await amqp.connect(amqpUrl);
  broker.on('error', () => undefined);
  await deleteTopology(broker, topologyNames(namespace), queueConsumers);
  await broker.close().catch(() => undefined);
  for (const database of databases) {
    const connection = await mongoose.createConnection(databaseUrl(mongoUrl, database)).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }
}
