import mongoose, { type Connection } from 'mongoose';
import type { StartedService } from '@crm/service-runtime';
import { BrokerProbe } from './broker-probe';
import { testGrpcEnv } from './grpc-client';
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
  start: (env: NodeJS.ProcessEnv) => Promise<StartedService>;
}

// A service inside the test process, started by the same function its main.ts calls, on a database and a broker
// namespace of its own; the test reaches it through HTTP, gRPC and the real broker, and may look into its database.
export class InProcessService {
  private constructor(
    readonly service: StartedService,
    readonly probe: BrokerProbe,
    // A connection of the test's own, to look at what the service stored.
    readonly db: Connection,
    private readonly consumers: string[],
  ) {}

  static async start(options: InProcessServiceOptions): Promise<InProcessService> {
    const infra = testInfra();
    const namespace = testNamespace();
    const mongoUrl = mongoUrlWithDatabase(infra.mongoUrl, uniqueId(options.databasePrefix));
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    const db = await mongoose.createConnection(mongoUrl).asPromise();
    let service: StartedService | undefined;
    try {
      if (options.tap?.length) await probe.tap(options.tap);
      service = await options.start({
        MONGO_URL: mongoUrl,
        AMQP_URL: infra.amqpUrl,
        AMQP_NAMESPACE: namespace,
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        ...testGrpcEnv,
        ...options.env,
      });
      const running = new InProcessService(service, probe, db, options.consumers);
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

  url(path: string): string {
    return `http://127.0.0.1:${this.service.httpPort}${path}`;
  }

  get grpcAddress(): string {
    return `127.0.0.1:${this.service.grpcPort}`;
  }

  // How many messages a consumer took with these outcomes (handled, duplicate, retried, dead_lettered), from the
  // service's own metrics: proof that a delivery was taken, not merely published.
  async consumed(consumer: string, outcomes: string[]): Promise<number> {
    const { values } = await this.service.kit.metrics.consumed.get();
    return values
      .filter((v) => v.labels.consumer === consumer && outcomes.includes(String(v.labels.outcome)))
      .reduce((sum, v) => sum + v.value, 0);
  }

  // Service first, so nothing writes while the topology and the database are removed.
  async stop(): Promise<void> {
    await this.service.kit.stop();
    await cleanUp(this.probe, this.db, this.consumers);
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
