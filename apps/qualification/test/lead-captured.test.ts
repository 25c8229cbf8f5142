import { decodeEvent, encodeEvent, LeadPriority, LeadStatus } from '@crm/contracts';
import { sleep, uniqueId, waitFor } from '@crm/testing';
import { defaultRuleSet } from '../src/domain/rule-set';
import { leadEventsConsumer } from '../src/qualification-service';
import { disposableLead, nurturingLead, QualificationHarness, qualifyingLead, qualifyingReason } from './support/qualification-harness';

// Long enough for a stray event to reach the tap (the relay is notified at once and polls every 500 ms).
const settleMs = 700;

// lead.captured from the broker to a stored decision and its event on the broker, through the real consumer,
// MongoDB and outbox relay.
describe('qualification consumes lead.captured', () => {
  let harness: QualificationHarness;

  beforeAll(async () => {
    harness = await QualificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  describe('scoring with the default rule set', () => {
    it('qualifies a complete lead on a company domain and publishes lead.qualified with its snapshot', async () => {
      const lead = qualifyingLead();
      await harness.publishCaptured(lead);

      const [event] = await waitFor('lead.qualified', () => {
        const found = harness.qualifiedEvents(lead.id);
        return found.length > 0 ? found : undefined;
      });
      expect(event).toMatchObject({
        leadId: lead.id,
        score: 85,
        reason: qualifyingReason,
        decidedBy: 'system',
        lead: {
          id: lead.id,
          status: LeadStatus.LEAD_STATUS_QUALIFIED,
          name: lead.name,
          email: lead.email,
          phone: lead.phone,
          company: lead.company,
          interest: lead.interest,
          message: lead.message,
          tags: lead.tags,
          priority: LeadPriority.LEAD_PRIORITY_HIGH,
          source: { channel: 'web-form' },
          dealId: '',
        },
      });
      expect(event.occurredAt).toBeInstanceOf(Date);

      const message = harness.probe.messages('lead.qualified').find((m) => decodeEvent('lead.qualified', m.content).leadId === lead.id);
      expect(message?.properties).toMatchObject({ appId: 'qualification', type: 'lead.qualified', contentType: 'application/protobuf' });
      expect(harness.disqualifiedEvents(lead.id)).toHaveLength(0);
    });

    it('disqualifies a lead with nothing but a disposable address and publishes lead.disqualified', async () => {
      const lead = disposableLead();
      await harness.publishCaptured(lead);

      const [event] = await waitFor('lead.disqualified', () => {
        const found = harness.disqualifiedEvents(lead.id);
        return found.length > 0 ? found : undefined;
      });
      expect(event).toMatchObject({
        leadId: lead.id,
        score: -50,
        reason: `score -50 (disposable-email -50) with rule set ${defaultRuleSet.version}`,
        decidedBy: 'system',
        sourceChannel: 'web-form',
      });
      expect(harness.qualifiedEvents(lead.id)).toHaveLength(0);
    });

    it('nurtures a middling lead and publishes lead.nurturing, so lead-intake can show the status', async () => {
      const lead = nurturingLead();
      await harness.publishCaptured(lead);

      const [event] = await waitFor('lead.nurturing', () => {
        const found = harness.nurturingEvents(lead.id);
        return found.length > 0 ? found : undefined;
      });
      expect(event).toMatchObject({
        leadId: lead.id,
        score: 50,
        reason: expect.stringContaining(`with rule set ${defaultRuleSet.version}`),
        decidedBy: 'system',
        ruleSetVersion: defaultRuleSet.version,
        sourceChannel: 'web-form',
      });
      expect(event.occurredAt).toBeInstanceOf(Date);
      expect(await harness.waitForOutboxDrained(lead.id)).toMatchObject({ decision: 'nurturing', version: 1 });
      await sleep(settleMs);
      expect(harness.nurturingEvents(lead.id)).toHaveLength(1);
      expect(harness.qualifiedEvents(lead.id)).toHaveLength(0);
      expect(harness.disqualifiedEvents(lead.id)).toHaveLength(0);
    });
  });

  describe('redelivery', () => {
    it('decides once and stores one qualification however often lead.captured arrives', async () => {
      const lead = qualifyingLead();
      const before = await harness.deliveries();
      const settled = (c: Record<string, number>) => c.handled + c.duplicate + c.dead_lettered;
      // A broker redelivery keeps the messageId; a producer that publishes again after a crash uses a new one.
      const sameId = uniqueId('msg-');
      const ids = [sameId, sameId, sameId, uniqueId('msg-'), uniqueId('msg-')];
      for (const id of ids) await harness.publishCaptured(lead, id);

      const after = await waitFor('every delivery to be taken', async () => {
        const counts = await harness.deliveries();
        return settled(counts) - settled(before) >= ids.length ? counts : undefined;
      });
      // Concurrent copies may race to insert the same lead; the loser must back off quietly, not fail and retry.
      expect(after.retried).toBe(before.retried);
      expect(after.dead_lettered).toBe(before.dead_lettered);
      for (const id of new Set(ids)) expect(await harness.inboxHas(id)).toBe(true);
      await harness.waitForOutboxDrained(lead.id);
      await sleep(settleMs);

      expect(harness.qualifiedEvents(lead.id)).toHaveLength(1);
      expect(harness.disqualifiedEvents(lead.id)).toHaveLength(0);
      expect(harness.nurturingEvents(lead.id)).toHaveLength(0);
      expect(await harness.db.collection('qualifications').countDocuments({ 'lead.leadId': lead.id })).toBe(1);
      expect(await harness.stored(lead.id)).toMatchObject({ decision: 'qualified', version: 1 });
      expect((await harness.waitForQualification(lead.id)).history).toHaveLength(1);
    });

    it("publishes lead.nurturing once however often a nurturing lead's lead.captured arrives", async () => {
      const lead = nurturingLead();
      const sameId = uniqueId('msg-');
      const ids = [sameId, sameId, uniqueId('msg-'), uniqueId('msg-')];
      for (const id of ids) await harness.publishCaptured(lead, id);

      await waitFor('every delivery to be recorded', async () => (await Promise.all(ids.map((id) => harness.inboxHas(id)))).every(Boolean));
      await harness.waitForOutboxDrained(lead.id);
      await sleep(settleMs);
      expect(harness.nurturingEvents(lead.id)).toHaveLength(1);
      expect(await harness.stored(lead.id)).toMatchObject({ decision: 'nurturing', version: 1 });
    });
  });

  describe('messages that can never be handled', () => {
    const deadLetter = (messageId: string) =>
      waitFor(`dead letter ${messageId}`, async () =>
        (await harness.probe.deadLetters(leadEventsConsumer)).find((m) => m.properties.messageId === messageId),
      );

    it('dead-letters an undecodable lead.captured and keeps consuming', async () => {
      const poisonId = uniqueId('poison-');
      await harness.probe.publishRaw('lead.captured', Buffer.from([0xff, 0xff, 0xff, 0xff]), {
        messageId: poisonId,
        type: 'lead.captured',
        contentType: 'application/protobuf',
      });
      const dead = await deadLetter(poisonId);
      expect(dead.properties.type).toBe('lead.captured');
      expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');

      const lead = qualifyingLead();
      await harness.publishCaptured(lead);
      await waitFor('the next lead to be decided', () => harness.qualifiedEvents(lead.id).length === 1);
    });

    it('dead-letters a lead.captured that carries no lead id, storing nothing', async () => {
      const messageId = uniqueId('no-lead-');
      await harness.probe.publishEvent(
        'lead.captured',
        messageId,
        encodeEvent('lead.captured', { occurredAt: new Date(), lead: undefined }),
      );
      await deadLetter(messageId);
      expect(await harness.stored('')).toBeNull();
      expect(await harness.inboxHas(messageId)).toBe(false);
    });
  });
});
