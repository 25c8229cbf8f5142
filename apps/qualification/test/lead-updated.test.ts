import { DecisionRole, LeadStatus, QualificationDecision, type Lead } from '@crm/contracts';
import { sleep, uniqueId, waitFor } from '@crm/testing';
import { defaultRuleSet } from '../src/domain/rule-set';
import { leadEventsConsumer } from '../src/qualification-service';
import { capturedLead, laterSnapshot, nurturingLead, QualificationHarness } from './support/qualification-harness';

const QUALIFIED = QualificationDecision.QUALIFICATION_DECISION_QUALIFIED;
const NURTURING = QualificationDecision.QUALIFICATION_DECISION_NURTURING;
const DISQUALIFIED = QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED;

// Long enough for a stray event to reach the tap (the relay is notified at once and polls every 500 ms).
const settleMs = 700;

// What turns the nurturing lead (50) into a qualifying one (80): the contact decides the purchase (+15) and states
// a budget of 12,000 EUR (+15), which also shows that lead.qualified carries the whole snapshot deals needs.
const decidesAndHasBudget = {
  hints: {
    decisionRole: DecisionRole.DECISION_ROLE_DECISION_MAKER,
    budget: { currencyCode: 'EUR', amountMinor: '1200000' },
    timelineDays: 0,
    companySize: '11-50',
  },
  jobTitle: 'CEO',
};

// lead.updated from the broker: a lead scored again as it changes, through the real consumer, MongoDB and relay.
describe('qualification re-scores on lead.updated', () => {
  let harness: QualificationHarness;

  beforeAll(async () => {
    harness = await QualificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function nurtured(): Promise<Lead> {
    const lead = nurturingLead();
    await harness.publishCaptured(lead);
    expect((await harness.waitForQualification(lead.id)).decision).toBe(NURTURING);
    return lead;
  }

  const historyLength = (leadId: string, length: number) =>
    waitFor(`a history of ${length} scorings for ${leadId}`, async () => {
      const q = (await harness.api.getQualification({ leadId })).qualification;
      return q && q.history.length >= length ? q : undefined;
    });

  it('qualifies a nurturing lead once an update brings it over the threshold, publishing lead.qualified once with the full snapshot', async () => {
    const lead = await nurtured();
    const updated = laterSnapshot(lead, decidesAndHasBudget);
    // The same update delivered again, and published again under a new id: decided and published once.
    const sameId = uniqueId('msg-');
    for (const id of [sameId, sameId, uniqueId('msg-')]) await harness.publishUpdated(updated, ['hints', 'job_title'], id);

    const [event] = await waitFor('lead.qualified', () => {
      const found = harness.qualifiedEvents(lead.id);
      return found.length > 0 ? found : undefined;
    });
    expect(event).toMatchObject({
      leadId: lead.id,
      score: 80,
      decidedBy: 'system',
      ruleSetVersion: defaultRuleSet.version,
      lead: { ...updated, status: LeadStatus.LEAD_STATUS_QUALIFIED },
    });
    expect(event.lead?.hints?.budget).toEqual({ currencyCode: 'EUR', amountMinor: '1200000' });
    expect(event.reason).toContain('decision-maker +15');

    const q = await historyLength(lead.id, 2);
    expect(q).toMatchObject({ decision: QUALIFIED, score: 80, decidedBy: 'system' });
    expect(q.history.map((s) => [s.score, s.decision])).toEqual([
      [50, NURTURING],
      [80, QUALIFIED],
    ]);
    await harness.waitForOutboxDrained(lead.id);
    await sleep(settleMs);
    expect(harness.qualifiedEvents(lead.id)).toHaveLength(1);
    expect(harness.nurturingEvents(lead.id)).toHaveLength(1);
    expect((await harness.api.getQualification({ leadId: lead.id })).qualification?.history).toHaveLength(2);
  });

  it('never un-qualifies a qualified lead on a later, weaker snapshot, but keeps the scoring in the history', async () => {
    const lead = await nurtured();
    const qualifying = laterSnapshot(lead, decidesAndHasBudget);
    await harness.publishUpdated(qualifying, ['hints']);
    await historyLength(lead.id, 2);
    await harness.publishUpdated(laterSnapshot(qualifying, { company: '', phone: '', hints: undefined }), ['company', 'phone', 'hints']);

    const q = await historyLength(lead.id, 3);
    expect(q).toMatchObject({ decision: QUALIFIED, score: 80 });
    expect(q.history.at(-1)).toMatchObject({ score: 25, decision: NURTURING });
    await harness.waitForOutboxDrained(lead.id);
    await sleep(settleMs);
    expect(harness.qualifiedEvents(lead.id)).toHaveLength(1);
    expect(harness.disqualifiedEvents(lead.id)).toHaveLength(0);
  });

  it("keeps a person's disqualification of a nurturing lead through later re-scores that would qualify it", async () => {
    const lead = await nurtured();
    const actor = 'maria.lopez@crm.example';
    await harness.api.qualifyLead({ leadId: lead.id, decision: DISQUALIFIED, reason: 'Works for a competitor', actor });

    const first = laterSnapshot(lead, decidesAndHasBudget);
    await harness.publishUpdated(first, ['hints']);
    // One after the other: taken together, the later snapshot may be stored first and the earlier one then ignored.
    await historyLength(lead.id, 2);
    await harness.publishUpdated(laterSnapshot(first, { tags: ['vip'] }), ['tags']);

    const q = await historyLength(lead.id, 3);
    expect(q).toMatchObject({ decision: DISQUALIFIED, decidedBy: `${actor} via test`, reason: 'Works for a competitor', score: 50 });
    expect(q.history.slice(1).map((s) => s.decision)).toEqual([QUALIFIED, QUALIFIED]);
    await harness.waitForOutboxDrained(lead.id);
    await sleep(settleMs);
    expect(harness.qualifiedEvents(lead.id)).toHaveLength(0);
    expect(harness.disqualifiedEvents(lead.id)).toHaveLength(1);
  });

  it('ignores an update overtaken by a later one, whatever order they arrive in', async () => {
    const lead = await nurtured();
    const older = laterSnapshot(lead, decidesAndHasBudget, 1_000);
    const newer = laterSnapshot(lead, { tags: ['newsletter'] }, 2_000);
    await harness.publishUpdated(newer, ['tags']);
    await historyLength(lead.id, 2);
    const before = await harness.deliveries();
    await harness.publishUpdated(older, ['hints']);
    await waitFor('the stale update to be taken', async () => (await harness.deliveries()).handled > before.handled);

    const q = (await harness.api.getQualification({ leadId: lead.id })).qualification;
    expect(q).toMatchObject({ decision: NURTURING, score: 50 });
    expect(q?.history).toHaveLength(2);
    await sleep(settleMs);
    expect(harness.qualifiedEvents(lead.id)).toHaveLength(0);
    // Still nurturing after a re-score: no decision changed, so the first scoring's lead.nurturing stays the only one.
    expect(harness.nurturingEvents(lead.id)).toHaveLength(1);
  });

  it('scores an update for a lead it never saw captured, and ignores the late capture', async () => {
    const lead = capturedLead({ email: 'x@mailinator.com' });
    await harness.publishUpdated(laterSnapshot(lead, {}), ['tags']);
    await waitFor('lead.disqualified', () => harness.disqualifiedEvents(lead.id).length === 1);
    const before = await harness.deliveries();
    await harness.publishCaptured(lead);
    await waitFor('the late capture to be taken', async () => (await harness.deliveries()).handled > before.handled);
    expect((await harness.api.getQualification({ leadId: lead.id })).qualification?.history).toHaveLength(1);
    await sleep(settleMs);
    expect(harness.disqualifiedEvents(lead.id)).toHaveLength(1);
  });

  it('dead-letters an undecodable lead.updated and one without a lead id, and keeps consuming', async () => {
    const poisonId = uniqueId('poison-');
    await harness.probe.publishRaw('lead.updated', Buffer.from([0xff, 0xff, 0xff]), {
      messageId: poisonId,
      type: 'lead.updated',
      contentType: 'application/protobuf',
    });
    const emptyId = await harness.publishUpdated(capturedLead({ id: '' }), []);
    for (const id of [poisonId, emptyId]) {
      await waitFor(`dead letter ${id}`, async () =>
        (await harness.probe.deadLetters(leadEventsConsumer)).find((m) => m.properties.messageId === id),
      );
    }
    const lead = await nurtured();
    await harness.publishUpdated(laterSnapshot(lead, decidesAndHasBudget), ['hints']);
    await waitFor('the next update to be decided', () => harness.qualifiedEvents(lead.id).length === 1);
  });
});
