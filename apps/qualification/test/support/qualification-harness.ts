import { loadConfig } from '@crm/config';
import {
  encodeEvent,
  LeadPriority,
  LeadStatus,
  QualificationServiceClient,
  type EventPayload,
  Lead,
  type Qualification,
  type QualificationServiceService,
} from '@crm/contracts';
import { InProcessService, uniqueId, waitFor, type PromiseClient } from '@crm/testing';
import { qualificationConfigSchema } from '../../src/config';
import { defaultRuleSet } from '../../src/domain/rule-set';
import { leadEventsConsumer, startQualification } from '../../src/qualification-service';

// A lead as lead-intake would capture it; every call gets a fresh id so tests in one file never see each other.
export function capturedLead(overrides: Partial<Lead> = {}): Lead {
  const now = new Date();
  return Lead.fromPartial({
    id: uniqueId('lead-'),
    status: LeadStatus.LEAD_STATUS_NEW,
    priority: LeadPriority.LEAD_PRIORITY_UNSPECIFIED,
    source: { channel: 'web-form' },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
}

// The same lead, changed later by lead-intake: a fresh updated_at, as lead.updated carries it.
export function laterSnapshot(lead: Lead, changes: Partial<Lead>, afterMs = 60_000): Lead {
  return Lead.fromPartial({ ...lead, ...changes, updatedAt: new Date((lead.updatedAt ?? new Date()).getTime() + afterMs) });
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
  readonly api: PromiseClient<typeof QualificationServiceService>;

  private constructor(readonly running: InProcessService) {
    this.api = running.grpc(QualificationServiceClient);
  }

  static async start(): Promise<QualificationHarness> {
    const running = await InProcessService.start({
      databasePrefix: 'qualification_',
      consumers: [leadEventsConsumer],
      tap: ['lead.qualified', 'lead.disqualified', 'lead.nurturing'],
      start: (env, clock) => startQualification(loadConfig(qualificationConfigSchema, env), { handleSignals: false, clock }),
    });
    return new QualificationHarness(running);
  }

  get probe() {
    return this.running.probe;
  }

  get db() {
    return this.running.db;
  }

  get clock() {
    return this.running.clock;
  }

  stop(): Promise<void> {
    return this.running.stop();
  }

  async publishCaptured(lead: Lead, messageId = uniqueId('msg-')): Promise<string> {
    await this.probe.publishEvent('lead.captured', messageId, encodeEvent('lead.captured', { occurredAt: new Date(), lead }));
    return messageId;
  }

  // lead-intake's lead.updated: the lead as it is after the change.
  async publishUpdated(lead: Lead, changedFields: string[], messageId = uniqueId('msg-')): Promise<string> {
    const body = encodeEvent('lead.updated', { occurredAt: lead.updatedAt ?? new Date(), lead, changedFields });
    await this.probe.publishEvent('lead.updated', messageId, body);
    return messageId;
  }

  // Waits until the service has scored the lead and answers for it over gRPC.
  async waitForQualification(leadId: string): Promise<Qualification> {
    return waitFor(`the qualification of ${leadId}`, async () => (await this.api.getQualification({ leadId })).qualification);
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

  nurturingEvents(leadId: string): EventPayload<'lead.nurturing'>[] {
    return this.probe.events('lead.nurturing').filter((e) => e.leadId === leadId);
  }

  // How many messages the lead-events consumer took, by outcome (handled, duplicate, retried, dead_lettered), read
  // from the service's own metrics: proof that a delivery was taken, not merely published.
  async deliveries(): Promise<Record<string, number>> {
    const outcomes = ['handled', 'duplicate', 'retried', 'dead_lettered'];
    const counts = await Promise.all(outcomes.map((o) => this.running.consumed(leadEventsConsumer, [o])));
    return Object.fromEntries(outcomes.map((o, i) => [o, counts[i]]));
  }

  async inboxHas(messageId: string): Promise<boolean> {
    return (await this.db.collection<{ _id: string }>('inbox').countDocuments({ _id: `${leadEventsConsumer}/${messageId}` })) === 1;
  }
}
