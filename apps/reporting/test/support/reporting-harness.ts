import {
  ReportingServiceClient,
  encodeEvent,
  type EventPayload,
  type EventType,
  type GetFunnelRequest,
  type ReportingServiceService,
} from '@crm/contracts';
import { loadConfig } from '@crm/config';
import { InProcessService, uniqueId, waitFor, type PromiseClient } from '@crm/testing';
import { reportingConfigSchema } from '../../src/config';
import { funnelConsumer, startReporting } from '../../src/reporting-service';
import type { ContractEvent } from './funnel-events';

export interface FunnelFigures {
  leadsCaptured: number;
  leadsQualified: number;
  leadsDisqualified: number;
  dealsOpened: number;
  dealsWon: number;
  dealsLost: number;
}

// The key the harness's service accepts for its reports (REPORTS_API_KEYS), as "sales".
export const reportsKey = 'sales-team-reports-key';

// Outcomes that settle a message for good; "retried" is not one of them (the message comes back).
const finalOutcomes = ['handled', 'duplicate', 'dead_lettered'];

// The reporting service running inside the test process, wired by the same startReporting() as main.ts, on a
// database and a broker namespace of its own. Events go in through the real broker, figures come out over gRPC.
export class ReportingHarness {
  readonly api: PromiseClient<typeof ReportingServiceService>;
  private published = 0;

  private constructor(readonly running: InProcessService) {
    this.api = running.grpc(ReportingServiceClient);
  }

  // Reports are not cached unless asked, so a figure read after settled() includes every event published before.
  static async start(env: Record<string, string> = { REPORT_CACHE_MS: '0' }): Promise<ReportingHarness> {
    const running = await InProcessService.start({
      databasePrefix: 'reporting_',
      consumers: [funnelConsumer],
      env: { REPORTS_API_KEYS: `sales=${reportsKey}`, ...env },
      // Reporting keeps no clock of its own: every time it reports comes from the events.
      start: (env) => startReporting(loadConfig(reportingConfigSchema, env), { handleSignals: false }),
    });
    return new ReportingHarness(running);
  }

  get probe() {
    return this.running.probe;
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
    await waitFor(`${this.published} message(s) settled by ${funnelConsumer}`, async () => (await this.settledCount()) >= this.published, {
      timeoutMs,
    });
  }

  // How many messages the consumer took with this outcome (handled, duplicate, retried, dead_lettered).
  consumed(outcome: string): Promise<number> {
    return this.running.consumed(funnelConsumer, [outcome]);
  }

  private settledCount(): Promise<number> {
    return this.running.consumed(funnelConsumer, finalOutcomes);
  }

  // A GET on the service's HTTP port with a reports key (none when `key` is null): its status, content type and JSON body.
  // The body stays loosely typed: each test reads the report it asked for.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async http(path: string, key: string | null = reportsKey): Promise<{ status: number; type: string; body: any }> {
    const response = await fetch(this.running.url(path), { headers: key === null ? {} : { 'x-api-key': key } });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.json() };
  }

  // The figures as numbers (int64 travels as a string).
  async funnel(request: Partial<GetFunnelRequest> = {}): Promise<FunnelFigures> {
    const { funnel } = await this.api.getFunnel(request);
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
  stop(): Promise<void> {
    return this.running.stop();
  }
}

// encodeEvent is generic over one event type; the union needs the cast.
function encode(event: ContractEvent): Buffer {
  return encodeEvent(event.type as 'lead.captured', event.payload as EventPayload<'lead.captured'>);
}

export const noFigures: FunnelFigures = {
  leadsCaptured: 0,
  leadsQualified: 0,
  leadsDisqualified: 0,
  dealsOpened: 0,
  dealsWon: 0,
  dealsLost: 0,
};
