import mongoose, { type Connection } from 'mongoose';
import { loadConfig } from '@crm/config';
import {
  encodeEvent,
  LeadPriority,
  LeadStatus,
  QualificationServiceClient,
  type EventPayload,
  type GetQualificationResponse,
  type Lead,
  type Qualification,
  type QualifyLeadRequest,
  type QualifyLeadResponse,
} from '@crm/contracts';
import { BrokerProbe, insecure, mongoUrlWithDatabase, testInfra, testNamespace, unaryCall, uniqueId, waitFor } from '@crm/testing';
import { qualificationConfigSchema } from '../../src/config';
import { defaultRuleSet } from '../../src/domain/rule-set';
import { leadEventsConsumer, startQualification, type StartedService } from '../../src/qualification-service';

// A lead as lead-intake would capture it; every call gets a fresh id so tests in one file never see each other.
export function capturedLead(overrides: Partial<Lead> = {}): Lead {
  const now = new Date();
  return {
    id: uniqueId('lead-'),
    status: LeadStatus.LEAD_STATUS_NEW,
    name: '',
    email: '',
    phone: '',
    company: '',
    interest: '',
    message: '',
    tags: [],
    priority: LeadPriority.LEAD_PRIORITY_UNSPECIFIED,
    source: { channel: 'web-form', campaign: '', medium: '', referrer: '', landingPageUrl: '' },
    dealId: '',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

// Score 85 with the default rule set: company domain 20, company 15, phone 10, interest 15, high priority 25.
export const qualifyingLead = () =>
  capturedLead({
    name: 'Ana Pérez',
    email: 'ana.perez@acme-industries.io',
    phone: '+34 600 123 456',
    company: 'Acme Industries',
    interest: 'CRM',
    message: 'Call me',
    tags: ['trade-show'],
    priority: LeadPriority.LEAD_PRIORITY_HIGH,
  });

export const qualifyingReason =
  'score 85 (company-email +20, company-given +15, phone-given +10, interest-given +15, high-priority +25) ' +
  `with rule set ${defaultRuleSet.version}`;

// Score -50: nothing but a throw-away address.
export const disposableLead = () => capturedLead({ email: 'x@mailinator.com' });

// Score 50 (free address 0, company 15, phone 10, interest 15, medium priority 10): between the thresholds.
export const nurturingLead = () =>
  capturedLead({
    name: 'Luis',
    email: 'luis@gmail.com',
    phone: '600000000',
    company: 'Luis SL',
    interest: 'Invoicing',
    priority: LeadPriority.LEAD_PRIORITY_MEDIUM,
  });

// The stored document as MongoDB holds it, outbox included.
export interface StoredQualification {
  _id: string;
  decision: string;
  version: number;
  outbox: unknown[];
  outboxPending: boolean;
}

// The qualification service running inside the test process, wired by the same function main.ts calls, on a
// database and a broker namespace of its own; the test reaches it through the broker, gRPC and its database.
export class QualificationHarness {
  private constructor(
    readonly service: StartedService,
    readonly probe: BrokerProbe,
    readonly client: QualificationServiceClient,
    // A connection of the test's own, to look at what the service stored and to drop the database afterwards.
    readonly db: Connection,
  ) {}

  static async start(): Promise<QualificationHarness> {
    const infra = testInfra();
    const namespace = testNamespace();
    const mongoUrl = mongoUrlWithDatabase(infra.mongoUrl, uniqueId('qualification_'));
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    const db = await mongoose.createConnection(mongoUrl).asPromise();
    let service: StartedService | undefined;
    try {
      // Tap before the service starts, so no event it publishes can be missed.
      await probe.tap(['lead.qualified', 'lead.disqualified']);
      const config = loadConfig(qualificationConfigSchema, {
        MONGO_URL: mongoUrl,
        AMQP_URL: infra.amqpUrl,
        AMQP_NAMESPACE: namespace,
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      });
      service = await startQualification(config, { handleSignals: false });
      // The broker connection, the queue and its bindings come up in the background after start; like an
      // orchestrator, send nothing before /readyz says so, or an early lead.captured would miss the queue.
      const readyz = `http://127.0.0.1:${service.httpPort}/readyz`;
      await waitFor('qualification to be ready', async () => (await fetch(readyz)).status === 200);
      const client = new QualificationServiceClient(`127.0.0.1:${service.grpcPort}`, insecure());
      return new QualificationHarness(service, probe, client, db);
    } catch (err) {
      await service?.kit.stop();
      await probe.deleteTopology([leadEventsConsumer]);
      await probe.close();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
      throw err;
    }
  }

  // Service first, so nothing writes while the topology and the database are removed.
  async stop(): Promise<void> {
    this.client.close();
    await this.service.kit.stop();
    await this.probe.deleteTopology([leadEventsConsumer]);
    await this.probe.close();
    await this.db.dropDatabase();
    await this.db.close();
  }

  async publishCaptured(lead: Lead, messageId = uniqueId('msg-')): Promise<string> {
    await this.probe.publishEvent('lead.captured', messageId, encodeEvent('lead.captured', { occurredAt: new Date(), lead }));
    return messageId;
  }

  getQualification(leadId: string): Promise<GetQualificationResponse> {
    return unaryCall<GetQualificationResponse>((done) => this.client.getQualification({ leadId }, done));
  }

  qualifyLead(request: QualifyLeadRequest): Promise<QualifyLeadResponse> {
    return unaryCall<QualifyLeadResponse>((done) => this.client.qualifyLead(request, done));
  }

  // Waits until the service has scored the lead and answers for it over gRPC.
  async waitForQualification(leadId: string): Promise<Qualification> {
    return waitFor(`the qualification of ${leadId}`, async () => (await this.getQualification(leadId)).qualification);
  }

  stored(leadId: string): Promise<StoredQualification | null> {
    return this.db.collection<StoredQualification>('qualifications').findOne({ _id: leadId });
  }

  // Waits until the relay has published every event the lead's document held.
  async waitForOutboxDrained(leadId: string): Promise<StoredQualification> {
    return waitFor(`the outbox of ${leadId} to be published`, async () => {
      const doc = await this.stored(leadId);
      return doc && doc.outbox.length === 0 && !doc.outboxPending ? doc : undefined;
    });
  }

  qualifiedEvents(leadId: string): EventPayload<'lead.qualified'>[] {
    return this.probe.events('lead.qualified').filter((e) => e.leadId === leadId);
  }

  disqualifiedEvents(leadId: string): EventPayload<'lead.disqualified'>[] {
    return this.probe.events('lead.disqualified').filter((e) => e.leadId === leadId);
  }

  // How many messages the lead-events consumer took, by outcome (handled, duplicate, retried, dead_lettered), read
  // from the service's own metrics: proof that a delivery was taken, not merely published.
  async deliveries(): Promise<Record<string, number>> {
    const { values } = await this.service.kit.metrics.consumed.get();
    const counts: Record<string, number> = { handled: 0, duplicate: 0, retried: 0, dead_lettered: 0 };
    for (const v of values) {
      if (v.labels.consumer === leadEventsConsumer) counts[String(v.labels.outcome)] = (counts[String(v.labels.outcome)] ?? 0) + v.value;
    }
    return counts;
  }

  async inboxHas(messageId: string): Promise<boolean> {
    return (await this.db.collection<{ _id: string }>('inbox').countDocuments({ _id: `${leadEventsConsumer}/${messageId}` })) === 1;
  }
}

