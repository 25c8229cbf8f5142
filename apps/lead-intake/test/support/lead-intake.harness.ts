import mongoose from 'mongoose';
import { loadConfig } from '@crm/config';
import { LeadServiceClient } from '@crm/contracts';
import { BrokerProbe, insecure, mongoUrlWithDatabase, testInfra, testNamespace, uniqueId, waitFor } from '@crm/testing';
import { leadIntakeConfigSchema } from '../../src/config';
import { startLeadIntake } from '../../src/lead-intake-service';

export const apiKey = 'test-web-form-key';
export const facebookKey = 'test-facebook-key';

// lead-intake in the test process, on its own database and broker namespace, reached over HTTP and gRPC.
export class LeadIntakeHarness {
  private constructor(
    readonly service: Awaited<ReturnType<typeof startLeadIntake>>,
    readonly probe: BrokerProbe,
    readonly client: LeadServiceClient,
    private readonly database: string,
  ) {}

  static async start(overrides: Record<string, string> = {}): Promise<LeadIntakeHarness> {
    const infra = testInfra();
    const namespace = testNamespace();
    const database = uniqueId('lead_intake_');
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    await probe.tap();
    const config = loadConfig(leadIntakeConfigSchema, {
      MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, database),
      AMQP_URL: infra.amqpUrl,
      AMQP_NAMESPACE: namespace,
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
      INTAKE_API_KEYS: `web-form=${apiKey},facebook=${facebookKey}`,
      INTAKE_MAX_BODY_BYTES: '4096',
      ...overrides,
    });
    const service = await startLeadIntake(config, { handleSignals: false });
    // Connections come up in the background; events published before the consumer is bound would miss it.
    if (!overrides.AMQP_URL) await waitFor('lead-intake to be ready', async () => (await service.kit.readiness.report()).ready);
    return new LeadIntakeHarness(service, probe, new LeadServiceClient(`127.0.0.1:${service.grpcPort}`, insecure()), database);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.service.httpPort}${path}`;
  }

  post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  get(path: string, key = apiKey): Promise<Response> {
    return fetch(this.url(path), { headers: { 'x-api-key': key } });
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.service.kit.stop();
    await this.probe.deleteTopology(['lead-intake.lead-status']);
    await this.probe.close();
    const connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, this.database)).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }
}
