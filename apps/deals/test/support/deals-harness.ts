import {
  DealServiceClient,
  encodeEvent,
  Lead,
  LeadPriority,
  LeadQualified,
  LeadStatus,
  type Deal,
  type DealServiceService,
} from '@crm/contracts';
import { loadConfig } from '@crm/config';
import { InProcessService, uniqueId, waitFor, type PromiseClient, type ServiceCopy } from '@crm/testing';
import { dealsConfigSchema } from '../../src/config';
import { leadQualifiedConsumer, startDeals } from '../../src/deals-service';

export function leadQualifiedBody(leadId: string, lead: Partial<Lead> = {}): Buffer {
  return encodeEvent(
    'lead.qualified',
    LeadQualified.fromPartial({
      occurredAt: new Date(),
      leadId,
      lead: {
        ...Lead.fromPartial({
          id: leadId,
          status: LeadStatus.LEAD_STATUS_QUALIFIED,
          name: 'Ana',
          email: 'ana@acme-industries.io',
          company: 'Acme',
          interest: 'CRM',
          priority: LeadPriority.LEAD_PRIORITY_HIGH,
          source: { channel: 'landing-page' },
        }),
        ...lead,
      },
      score: 85,
      reason: 'test',
      decidedBy: 'system',
    }),
  );
}

export type DealsApi = PromiseClient<typeof DealServiceService>;

// The deals service in the test process on its own database and broker namespace, with a typed client.
export class DealsUnderTest {
  readonly api: DealsApi;

  private constructor(readonly running: InProcessService) {
    this.api = running.grpc(DealServiceClient);
  }

  static async start(env: Record<string, string> = {}): Promise<DealsUnderTest> {
    const running = await InProcessService.start({
      databasePrefix: 'deals_',
      consumers: [leadQualifiedConsumer],
      tap: ['deal.#'],
      env,
      start: (e, clock) => startDeals(loadConfig(dealsConfigSchema, e), { handleSignals: false, clock }),
    });
    return new DealsUnderTest(running);
  }

  get probe() {
    return this.running.probe;
  }

  get clock() {
    return this.running.clock;
  }

  // Another copy of the service on the same database and queue, as a scaled-out deployment runs it.
  async startCopy(change: Parameters<InProcessService['startCopy']>[0] = {}): Promise<{ copy: ServiceCopy; api: DealsApi }> {
    const copy = await this.running.startCopy(change);
    return { copy, api: copy.grpc(DealServiceClient) };
  }

  // Publishes lead.qualified for a new lead and waits for its deal.
  async openedDeal(lead: Partial<Lead> = {}): Promise<Deal> {
    const leadId = uniqueId('lead-');
    await this.probe.publishEvent('lead.qualified', uniqueId('msg-'), leadQualifiedBody(leadId, lead));
    return this.openedDealOf(leadId);
  }

  openedDealOf(leadId: string): Promise<Deal> {
    return waitFor('the deal', async () => (await this.api.listDeals({ leadId })).deals[0]);
  }

  stop(): Promise<void> {
    return this.running.stop();
  }
}
