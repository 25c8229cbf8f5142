import { status as GrpcStatus } from '@grpc/grpc-js';
import { encodeEvent, ErasureReason, QualificationDecision } from '@crm/contracts';
import { grpcFailure, uniqueId, waitForHandled, withReason } from '@crm/testing';
import { leadEventsConsumer } from '../src/qualification-service';
import { laterSnapshot, QualificationHarness, qualifyingLead } from './support/qualification-harness';

// lead.erased against the real MongoDB and RabbitMQ: the person leaves qualification's store, the decision stays,
// and events that come late decide nothing.
describe('erasing a lead in qualification', () => {
  let harness: QualificationHarness;

  beforeAll(async () => {
    harness = await QualificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const handled = (messageId: string) => waitForHandled(harness.db.db!, leadEventsConsumer, messageId);

  async function publishErased(leadId: string, at = new Date()): Promise<string> {
    const messageId = uniqueId('msg-');
    const body = encodeEvent('lead.erased', {
      occurredAt: at,
      leadId,
      reason: ErasureReason.ERASURE_REASON_SUBJECT_REQUEST,
      erasedBy: 'ops',
    });
    await harness.probe.publishEvent('lead.erased', messageId, body);
    await handled(messageId);
    return messageId;
  }

  const personal = (lead: ReturnType<typeof qualifyingLead>) => [lead.name, lead.email, lead.phone, lead.company, lead.message];

  it('empties the person from the stored qualification and keeps its decision; reads answer NOT_FOUND', async () => {
    const lead = qualifyingLead();
    await harness.publishCaptured(lead);
    await harness.waitForQualification(lead.id);
    await harness.api.qualifyLead({
      leadId: lead.id,
      decision: QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED,
      reason: `Ana Pérez said no`,
      actor: 'maria',
    });
    await harness.waitForOutboxDrained(lead.id);

    const at = new Date();
    await publishErased(lead.id, at);
    const stored = await harness.stored(lead.id);
    const text = JSON.stringify(stored);
    for (const value of [...personal(lead), 'Ana Pérez said no']) expect(text).not.toContain(value);
    expect(stored).toMatchObject({ decision: 'disqualified', score: 85, decidedBy: 'maria via test', erasedAt: at });
    expect(stored?.outbox).toEqual([]);

    const failure = await grpcFailure(harness.api.getQualification({ leadId: lead.id }));
    expect(failure).toMatchObject({ code: GrpcStatus.NOT_FOUND, metadata: withReason('LEAD_ERASED') });
    expect(failure?.metadata.get('erased-at')).toEqual([at.toISOString()]);
  });

  it('lets no later snapshot or second erasure change anything', async () => {
    const lead = qualifyingLead();
    await harness.publishCaptured(lead);
    await harness.waitForQualification(lead.id);
    await harness.waitForOutboxDrained(lead.id);
    await publishErased(lead.id);
    const before = await harness.stored(lead.id);

    await handled(await harness.publishUpdated(laterSnapshot(lead, { interest: 'ERP' }), ['interest']));
    await publishErased(lead.id, new Date(Date.now() + 1000));
    expect(await harness.stored(lead.id)).toEqual(before);
    expect(harness.qualifiedEvents(lead.id)).toHaveLength(1);
  });

  it('decides nothing for a lead erased before its capture arrived', async () => {
    const lead = qualifyingLead();
    await publishErased(lead.id);
    await handled(await harness.publishCaptured(lead));
    const stored = await harness.stored(lead.id);
    expect(stored).toMatchObject({ _id: lead.id, version: 1 });
    expect(JSON.stringify(stored)).not.toContain(lead.email);
    expect((await grpcFailure(harness.api.getQualification({ leadId: lead.id })))?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(harness.qualifiedEvents(lead.id)).toEqual([]);
    expect(harness.nurturingEvents(lead.id)).toEqual([]);
    expect(harness.disqualifiedEvents(lead.id)).toEqual([]);
  });
});
