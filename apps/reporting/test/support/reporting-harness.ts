import { ReportingServiceClient, encodeEvent, type EventPayload, type EventType, type GetFunnelRequest, type GetFunnelResponse } from '@crm/contracts';
import { loadConfig } from '@crm/config';
import { BrokerProbe, freePort, insecure, mongoUrlWithDatabase, testInfra, testNamespace, unaryCall, uniqueId, waitFor } from '@crm/testing';
import mongoose from 'mongoose';
import { reportingConfigSchema } from '../../src/config';
import { funnelConsumer, startReporting, type RunningReporting } from '../../src/reporting-service';
import type { ContractEvent } from './funnel-events';

export interface FunnelFigures {
  leadsCaptured: number;
  leadsQualified: number;
  leadsDisqualified: number;
  dealsOpened: number;
  dealsWon: number;
  dealsLost: number;
}

// Outcomes that settle a message for good; "retried" is not one of them (the message comes back).
const finalOutcomes = new Set(['handled', 'duplicate', 'dead_lettered']);

// The reporting service running inside the test process, wired by the same startReporting() as main.ts, on a
// database and a broker namespace of its own. Events go in through the real broker, figures come out over gRPC.
export class ReportingHarness {
  private published = 0;

  private constructor(
    readonly service: RunningReporting,
    readonly database: string,
    readonly probe: BrokerProbe,
    readonly client: ReportingServiceClient,
  ) {}

  static async start(): Promise<ReportingHarness> {
    const infra = testInfra();
    const database = uniqueId('reporting_');
    const namespace = testNamespace();
    const config = loadConfig(reportingConfigSchema, {
      MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, database),
      AMQP_URL: infra.amqpUrl,
      AMQP_NAMESPACE: namespace,
      HTTP_PORT: String(await freePort()),
      GRPC_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    });
    const service = await startReporting(config, { handleSignals: false });
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    const harness = new ReportingHarness(service, database, probe, new ReportingServiceClient(`127.0.0.1:${service.grpcPort}`, insecure()));
    try {
      // Publishing before the consumer's queue is bound would not reach it, so wait for readiness as an orchestrator would.
      await waitFor('reporting to be ready', async () => (await fetch(`http://127.0.0.1:${service.httpPort}/readyz`)).status === 200);
    } catch (err) {
      await harness.stop();
      throw err;
    }
    return harness;
  }

  async publish(event: ContractEvent, messageId = uniqueId('msg-')): Promise<string> {
    await this.probe.publishEvent(event.type, messageId, encode(event));
    this.published++;
    return messageId;
  }

  // Publishes a message body as is, for events no producer of ours would build.
  async publishBody(type: EventType, body: Buffer, messageId = uniqueId('msg-')): Promise<string> {
    await this.probe.publishEvent(type, messageId, body);
    this.published++;
    return messageId;
  }

  // Waits until the consumer has settled every message published so far, so figures read afterwards are final.
  async settled(timeoutMs = 15_000): Promise<void> {
    await waitFor(`${this.published} message(s) settled by ${funnelConsumer}`, async () => (await this.settledCount()) >= this.published, { timeoutMs });
  }

  // How many messages the consumer took with this outcome (handled, duplicate, retried, dead_lettered).
  async consumed(outcome: string): Promise<number> {
    return this.sumConsumed((o) => o === outcome);
  }

  private settledCount(): Promise<number> {
    return this.sumConsumed((o) => finalOutcomes.has(o));
  }

  private async sumConsumed(matches: (outcome: string) => boolean): Promise<number> {
    const { values } = await this.service.kit.metrics.consumed.get();
    return values.filter((v) => v.labels.consumer === funnelConsumer && matches(String(v.labels.outcome))).reduce((sum, v) => sum + v.value, 0);
  }

  getFunnel(request: Partial<GetFunnelRequest> = {}): Promise<GetFunnelResponse> {
    return unaryCall<GetFunnelResponse>((done) => this.client.getFunnel({ from: undefined, to: undefined, source: '', ...request }, done));
  }

  // The figures as numbers (int64 travels as a string).
  async funnel(request: Partial<GetFunnelRequest> = {}): Promise<FunnelFigures> {
    const { funnel } = await this.getFunnel(request);
    if (!funnel) throw new Error('GetFunnel answered without a funnel');
    return {
      leadsCaptured: Number(funnel.leadsCaptured),
      leadsQualified: Number(funnel.leadsQualified),
      leadsDisqualified: Number(funnel.leadsDisqualified),
      dealsOpened: Number(funnel.dealsOpened),
      dealsWon: Number(funnel.dealsWon),
      dealsLost: Number(funnel.dealsLost),
    };
  }

  // Stops the service, then removes its queues, exchanges and database.
  async stop(): Promise<void> {
    this.client.close();
    await this.service.kit.stop();
    await this.probe.deleteTopology([funnelConsumer]);
    await this.probe.close();
    await dropDatabase(this.database);
  }
}

async function dropDatabase(database: string): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, database)).asPromise();
  await connection.dropDatabase();
  await connection.close();
}

// encodeEvent is generic over one event type; the union needs the cast.
function encode(event: ContractEvent): Buffer {
  return encodeEvent(event.type as 'lead.captured', event.payload as EventPayload<'lead.captured'>);
}

export const noFigures: FunnelFigures = { leadsCaptured: 0, leadsQualified: 0, leadsDisqualified: 0, dealsOpened: 0, dealsWon: 0, dealsLost: 0 };
