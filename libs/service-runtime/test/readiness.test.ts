import { waitFor } from '@crm/testing';
import { bootKit, cleanUp, HealthClient, leadServiceBinding, tcpConnect, testRoutes, type TestKit } from './support';

interface ReadyzBody {
  status: string;
  checks: Record<string, boolean>;
}

// Readiness reports what the dependencies really do: a kit whose MongoDB cannot be reached boots (mongoose keeps
// trying in the background) and serves, but says it is not ready, on HTTP and on gRPC health alike.
describe('ServiceKit readiness with an unreachable MongoDB', () => {
  let booted: TestKit;
  let httpPort: number;
  let health: HealthClient;

  beforeAll(async () => {
    // Port 1 on loopback refuses connections at once; nothing listens there. A serverSelectionTimeoutMS in the URL
    // would not help: openMongo passes its own (5 s), which wins over the URL's.
    booted = await bootKit({ MONGO_URL: 'mongodb://127.0.0.1:1/runtime_unreachable' });
    const ports = await booted.kit.serve({ grpc: [leadServiceBinding(booted.kit)], routes: testRoutes });
    httpPort = ports.httpPort;
    health = new HealthClient(`127.0.0.1:${ports.grpcPort}`);
  });

  afterAll(async () => {
    health?.close();
    await booted?.kit.stop();
    if (booted) await cleanUp(booted, { database: false });
  });

  async function readyz(): Promise<{ status: number; body: ReadyzBody }> {
    const response = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    return { status: response.status, body: (await response.json()) as ReadyzBody };
  }

  it('answers /readyz 503 naming MongoDB, while RabbitMQ is fine', async () => {
    // Wait for the broker side, so the answer is 503 because of MongoDB alone.
    const { status, body } = await waitFor('RabbitMQ to be connected', async () => {
      const answer = await readyz();
      return answer.body.checks.rabbitmq ? answer : undefined;
    });
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'not ready', checks: { mongodb: false, rabbitmq: true } });
  });

  it('still answers /healthz: the process itself is alive', async () => {
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
  });

  it('reports NOT_SERVING on gRPC health', async () => {
    // Past at least one health refresh (every second), so this is the refreshed answer, not the initial one.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await health.check('')).toBe('NOT_SERVING');
    expect(await health.check('crm.v1.LeadService')).toBe('NOT_SERVING');
  });

  it('stops although MongoDB was never reached, and closes its ports first', async () => {
    const stopped = booted.kit.stop();
    // mongoose's close() waits for the first connection attempt to fail (server selection, 5 s after boot), but
    // the servers are stopped before that: the service refuses work while its MongoDB connection winds down.
    await waitFor('the HTTP port to close', async () => (await tcpConnect(httpPort)) === 'ECONNREFUSED', { timeoutMs: 2000 });
    await expect(stopped).resolves.toBeUndefined();
    expect(booted.kit.mongo.readyState).toBe(0);
  });
});

describe('ServiceKit readiness with an unreachable RabbitMQ', () => {
  let booted: TestKit;
  let httpPort: number;

  beforeAll(async () => {
    booted = await bootKit({ AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' });
    httpPort = (await booted.kit.serve({ grpc: [leadServiceBinding(booted.kit)], routes: testRoutes })).httpPort;
  });

  afterAll(async () => {
    await booted?.kit.stop();
    if (booted) await cleanUp(booted, { broker: false });
  });

  it('answers /readyz 503 naming RabbitMQ, while MongoDB is fine', async () => {
    const { status, body } = await waitFor('MongoDB to be connected', async () => {
      const response = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      const answer = { status: response.status, body: (await response.json()) as ReadyzBody };
      return answer.body.checks.mongodb ? answer : undefined;
    });
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'not ready', checks: { mongodb: true, rabbitmq: false } });
  });
});
