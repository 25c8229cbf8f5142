import mongoose, { type Connection } from 'mongoose';
import type { StartedService } from '@crm/service-runtime';
import type { ClientOptions } from '@grpc/grpc-js';
import { BrokerProbe } from './broker-probe';
import { testGrpcEnv } from './grpc-client';
import { promiseClient, type GeneratedClientConstructor, type PromiseClient } from './promise-client';
import { TestClock } from './test-clock';
import { mongoUrlWithDatabase, testInfra, testNamespace, uniqueId } from './test-infra';
import { waitFor } from './wait-for';

export interface InProcessServiceOptions {
  // Prefix of the test database's name, e.g. "deals_".
  databasePrefix: string;
  // The service's durable consumers, whose queues are removed afterwards.
  consumers: string[];
  // Routing keys to record from before the service starts (nothing is missed); none when empty.
  tap?: string[];
  // Variables on top of the test's MongoDB, RabbitMQ, namespace, ports and log level.
  env?: Record<string, string>;
  // Waits for /readyz before returning (off to test a service that cannot be ready).
  waitUntilReady?: boolean;
  // The service's own start function, given the environment and the business clock to read.
  start: (env: NodeJS.ProcessEnv, clock: () => Date) => Promise<StartedService>;
}

// One running copy of a service: its ports, and typed gRPC clients to it that close when it stops.
export class ServiceCopy {
  private readonly clients: { close(): void }[] = [];

  constructor(readonly service: StartedService) {}

  url(path: string): string {
    return `http://127.0.0.1:${this.service.httpPort}${path}`;
  }

  get grpcAddress(): string {
    return `127.0.0.1:${this.service.grpcPort}`;
  }

  // A client of one of the service's gRPC services, as the test caller (every scope) unless `options` say otherwise.
  grpc<Service extends object>(Constructor: GeneratedClientConstructor<Service>, options?: Partial<ClientOptions>): PromiseClient<Service> {
    const client = promiseClient(Constructor, this.grpcAddress, options);
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    await this.service.kit.stop();
  }
}

// A service inside the test process, started by the same function its main.ts calls, on a database and a broker
// namespace of its own; the test reaches it through HTTP, gRPC and the real broker, and may look into its database.
// Every copy it starts reads the same test clock unless given another.
export class InProcessService extends ServiceCopy {
  private readonly copies: ServiceCopy[] = [];

  private constructor(
    service: StartedService,
    readonly probe: BrokerProbe,
    // A connection of the test's own, to look at what the service stored.
    readonly db: Connection,
    readonly clock: TestClock,
    private readonly options: InProcessServiceOptions,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super(service);
  }

  static async start(options: InProcessServiceOptions): Promise<InProcessService> {
    const infra = testInfra();
    const namespace = testNamespace();
    const mongoUrl = mongoUrlWithDatabase(infra.mongoUrl, uniqueId(options.databasePrefix));
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    const db = await mongoose.createConnection(mongoUrl).asPromise();
    const clock = new TestClock();
    const env: NodeJS.ProcessEnv = {
      MONGO_URL: mongoUrl,
      AMQP_URL: infra.amqpUrl,
      AMQP_NAMESPACE: namespace,
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...testGrpcEnv,
      ...options.env,
    };
    let service: StartedService | undefined;
    try {
      if (options.tap?.length) await probe.tap(options.tap);
      service = await options.start(env, clock.now);
      const running = new InProcessService(service, probe, db, clock, options, env);
      // Connections come up in the background; as an orchestrator would, send nothing before /readyz says so,
      // or an early event would miss the consumer's queue.
      if (options.waitUntilReady !== false) {
        await waitFor('the service to be ready', async () => (await fetch(running.url('/readyz'))).status === 200);
      }
      return running;
    } catch (err) {
      await service?.kit.stop();
      await cleanUp(probe, db, options.consumers);
      throw err;
    }
  }

  // Another copy on the same database and queues, as a scaled-out deployment runs it; `env` is on top of this
  // one's, and `clock` replaces the shared test clock (a copy whose time runs ahead, say). Ready when returned.
  async startCopy(change: { env?: Record<string, string>; clock?: () => Date } = {}): Promise<ServiceCopy> {
    const copy = new ServiceCopy(await this.options.start({ ...this.env, ...change.env }, change.clock ?? this.clock.now));
    this.copies.push(copy);
    await waitFor('the copy to be ready', async () => (await copy.service.kit.readiness.report()).ready);
    return copy;
  }

  // How many messages a consumer took with these outcomes (handled, duplicate, retried, dead_lettered), from the
  // service's own metrics: proof that a delivery was taken, not merely published.
  async consumed(consumer: string, outcomes: string[]): Promise<number> {
    const { values } = await this.service.kit.metrics.consumed.get();
    return values
      .filter((v) => v.labels.consumer === consumer && outcomes.includes(String(v.labels.outcome)))
      .reduce((sum, v) => sum + v.value, 0);
  }

  // Services first, so nothing writes while the topology and the database are removed.
  override async stop(): Promise<void> {
    for (const copy of this.copies.splice(0)) await copy.stop();
    await super.stop();
    await cleanUp(this.probe, this.db, this.options.consumers);
  }
}

async function cleanUp(probe: BrokerProbe, db: Connection, consumers: string[]): Promise<void> {
  await probe.deleteTopology(consumers);
  await probe.close();
  await db.dropDatabase().catch(() => undefined);
  await db.close();
}

// Drops a test database by name, for tests that start services as separate processes.
export async function dropTestDatabase(database: string): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, database)).asPromise();
  await connection.dropDatabase();
  await connection.close();
}
