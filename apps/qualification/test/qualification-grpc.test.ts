import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { LeadPriority, LeadStatus, QualificationDecision, type Lead, type Qualification } from '@crm/contracts';
import { sleep, uniqueId, waitFor, withReason } from '@crm/testing';
import { defaultRuleSet } from '../src/domain/rule-set';
import { disposableLead, nurturingLead, QualificationHarness, qualifyingLead, qualifyingReason } from './support/qualification-harness';

const QUALIFIED = QualificationDecision.QUALIFICATION_DECISION_QUALIFIED;
const NURTURING = QualificationDecision.QUALIFICATION_DECISION_NURTURING;
const DISQUALIFIED = QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED;

// Long enough for a stray event to reach the tap (the relay is notified at once and polls every 500 ms).
const settleMs = 700;

// QualificationService over real gRPC, on qualifications the service scored itself from lead.captured events.
describe('QualificationService over gRPC', () => {
  let harness: QualificationHarness;

  beforeAll(async () => {
    harness = await QualificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  // Captures the lead through the broker and waits until the service answers for it.
  async function scored(lead: Lead): Promise<Qualification> {
    await harness.publishCaptured(lead);
    return harness.waitForQualification(lead.id);
  }

  const fieldViolations = (err: unknown) => ((err as { metadata?: Metadata }).metadata?.get('field-violation') ?? []).map(String);

  describe('GetQualification', () => {
    it('returns the decision with its breakdown per rule, rule set version and history', async () => {
      const lead = qualifyingLead();
      const q = await scored(lead);

      const contributions = [
        { ruleId: 'company-email', description: 'E-mail on a company domain', points: 20 },
        { ruleId: 'company-given', description: 'Company given', points: 15 },
        { ruleId: 'phone-given', description: 'Phone number given', points: 10 },
        { ruleId: 'interest-given', description: 'Interest stated', points: 15 },
        { ruleId: 'high-priority', description: 'High priority', points: 25 },
      ];
      expect(q).toEqual({
        leadId: lead.id,
        decision: QUALIFIED,
        score: 85,
        reason: qualifyingReason,
        decidedBy: 'system',
        decidedAt: expect.any(Date),
        contributions,
        ruleSetVersion: defaultRuleSet.version,
        history: [{ score: 85, decision: QUALIFIED, contributions, ruleSetVersion: defaultRuleSet.version, scoredAt: q.decidedAt }],
      });
    });

    it('carries negative points and the disqualifying decision', async () => {
      const q = await scored(disposableLead());
      expect(q).toMatchObject({
        decision: DISQUALIFIED,
        score: -50,
        contributions: [{ ruleId: 'disposable-email', description: 'Disposable e-mail address', points: -50 }],
      });
    });

    it('answers NOT_FOUND for a lead it never scored', async () => {
      await expect(harness.api.getQualification({ leadId: uniqueId('unknown-') })).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        metadata: withReason('QUALIFICATION_NOT_FOUND'),
      });
    });

    it.each(['', '   '])('answers INVALID_ARGUMENT for the lead_id %j', async (leadId) => {
      const err = await harness.api.getQualification({ leadId }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('REQUEST_INVALID') });
      expect(fieldViolations(err)).toEqual(['lead_id: is required']);
    });
  });

  describe('QualifyLead', () => {
    const actor = 'maria.lopez@crm.example';

    it('records a person disqualifying a nurturing lead, publishes lead.disqualified once; the same again changes nothing', async () => {
      const lead = nurturingLead();
      const before = await scored(lead);
      expect(before.decision).toBe(NURTURING);

      const request = { leadId: lead.id, decision: DISQUALIFIED, reason: '  No budget this year ', actor: ` ${actor} ` };
      const { qualification: decided } = await harness.api.qualifyLead(request);
      expect(decided).toMatchObject({
        leadId: lead.id,
        decision: DISQUALIFIED,
        score: 50,
        reason: 'No budget this year',
        decidedBy: `${actor} via test`,
        contributions: before.contributions,
        ruleSetVersion: before.ruleSetVersion,
        history: before.history,
      });
      expect(decided!.decidedAt!.getTime()).toBeGreaterThanOrEqual(before.decidedAt!.getTime());
      expect((await harness.api.getQualification({ leadId: lead.id })).qualification).toEqual(decided);

      const [event] = await waitFor('lead.disqualified', () => {
        const found = harness.disqualifiedEvents(lead.id);
        return found.length > 0 ? found : undefined;
      });
      expect(event).toMatchObject({
        leadId: lead.id,
        score: 50,
        reason: 'No budget this year',
        decidedBy: `${actor} via test`,
        sourceChannel: 'web-form',
      });
      expect(await harness.waitForOutboxDrained(lead.id)).toMatchObject({ decision: 'disqualified', version: 2 });

      // A retried call: the decision in force is returned as it stands, nothing is written, nothing is published.
      const { qualification: again } = await harness.api.qualifyLead(request);
      expect(again).toEqual(decided);
      const otherPerson = (await harness.api.qualifyLead({ ...request, actor: 'someone.else@crm.example', reason: 'Spam' })).qualification;
      expect(otherPerson).toEqual(decided);
      expect(await harness.stored(lead.id)).toMatchObject({ version: 2, outbox: [], outboxPending: false });
      await sleep(settleMs);
      expect(harness.disqualifiedEvents(lead.id)).toHaveLength(1);
      expect(harness.qualifiedEvents(lead.id)).toHaveLength(0);
    });

    it('records a person qualifying a nurturing lead and publishes lead.qualified with the lead snapshot', async () => {
      const lead = nurturingLead();
      await scored(lead);

      const { qualification } = await harness.api.qualifyLead({ leadId: lead.id, decision: QUALIFIED, reason: 'Met at the fair', actor });
      expect(qualification).toMatchObject({ decision: QUALIFIED, score: 50, decidedBy: `${actor} via test`, reason: 'Met at the fair' });

      const [event] = await waitFor('lead.qualified', () => {
        const found = harness.qualifiedEvents(lead.id);
        return found.length > 0 ? found : undefined;
      });
      expect(event).toMatchObject({
        leadId: lead.id,
        score: 50,
        reason: 'Met at the fair',
        decidedBy: `${actor} via test`,
        lead: {
          id: lead.id,
          status: LeadStatus.LEAD_STATUS_QUALIFIED,
          email: lead.email,
          company: lead.company,
          priority: LeadPriority.LEAD_PRIORITY_MEDIUM,
        },
      });
    });

    it("keeps a person's decision when lead.captured is delivered again later", async () => {
      const lead = qualifyingLead();
      await scored(lead);
      await harness.api.qualifyLead({ leadId: lead.id, decision: DISQUALIFIED, reason: 'Competitor', actor });
      const before = await harness.deliveries();

      await harness.publishCaptured(lead);
      await waitFor('the late delivery to be taken', async () => (await harness.deliveries()).handled > before.handled);
      expect((await harness.api.getQualification({ leadId: lead.id })).qualification).toMatchObject({
        decision: DISQUALIFIED,
        decidedBy: `${actor} via test`,
      });
      await harness.waitForOutboxDrained(lead.id);
      await sleep(settleMs);
      expect(harness.qualifiedEvents(lead.id)).toHaveLength(1);
      expect(harness.disqualifiedEvents(lead.id)).toHaveLength(1);
    });

    describe('refuses, changing and publishing nothing,', () => {
      let lead: Lead;

      beforeAll(async () => {
        lead = nurturingLead();
        await scored(lead);
      });

      it.each([
        ['NURTURING', NURTURING],
        ['UNSPECIFIED', QualificationDecision.QUALIFICATION_DECISION_UNSPECIFIED],
        ['an unknown enum value', 99 as QualificationDecision],
      ])('a decision of %s with INVALID_ARGUMENT', async (_name, decision) => {
        const err = await harness.api.qualifyLead({ leadId: lead.id, decision, reason: 'r', actor }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('DECISION_INVALID') });
        expect(fieldViolations(err)).toEqual([expect.stringMatching(/^decision: /)]);
      });

      it.each([
        ['no reason', { reason: '' }, 'reason'],
        ['a blank reason', { reason: ' \t' }, 'reason'],
        ['an actor over 200 characters', { actor: 'a'.repeat(201) }, 'actor'],
        ['a reason over 500 characters', { reason: 'r'.repeat(501) }, 'reason'],
      ])('%s with INVALID_ARGUMENT', async (_name, change, field) => {
        const request = { leadId: lead.id, decision: DISQUALIFIED, reason: 'Spam', actor, ...change };
        const err = await harness.api.qualifyLead(request).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
        expect(fieldViolations(err)).toEqual([expect.stringMatching(new RegExp(`^${field}: `))]);
      });

      it('an unknown lead with NOT_FOUND', async () => {
        const request = { leadId: uniqueId('unknown-'), decision: DISQUALIFIED, reason: 'Spam', actor };
        await expect(harness.api.qualifyLead(request)).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
          metadata: withReason('QUALIFICATION_NOT_FOUND'),
        });
      });

      it('an invalid request for an unknown lead with INVALID_ARGUMENT: the request is checked before the lookup', async () => {
        const request = { leadId: uniqueId('unknown-'), decision: NURTURING, reason: 'Spam', actor };
        const err = await harness.api.qualifyLead(request).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
        expect(fieldViolations(err)).toEqual([expect.stringMatching(/^decision: /)]);
      });

      it('an empty lead_id with INVALID_ARGUMENT', async () => {
        const err = await harness.api.qualifyLead({ leadId: '', decision: DISQUALIFIED, reason: 'Spam', actor }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('REQUEST_INVALID') });
        expect(fieldViolations(err)).toEqual(['lead_id: is required']);
      });

      // Runs last in this block (jest keeps the order within a file): none of the refusals above left a trace; the
      // only event is the lead.nurturing of the lead's scoring.
      it('leaving the qualification as it was, with no event published', async () => {
        expect(await harness.waitForOutboxDrained(lead.id)).toMatchObject({ decision: 'nurturing', version: 1 });
        await sleep(settleMs);
        expect(harness.nurturingEvents(lead.id)).toHaveLength(1);
        expect(harness.qualifiedEvents(lead.id)).toHaveLength(0);
        expect(harness.disqualifiedEvents(lead.id)).toHaveLength(0);
      });
    });
  });

  // Last in the file: the service's clock stays moved for every test after this one.
  it("stamps a person's decision with the service's business clock", async () => {
    const lead = nurturingLead();
    await scored(lead);
    harness.clock.advance(10 * 24 * 3600 * 1000);
    const request = { leadId: lead.id, decision: QUALIFIED, reason: 'Met at the fair', actor: 'marta@crm.example' };
    const { qualification } = await harness.api.qualifyLead(request);
    expect(qualification!.decidedAt!.getTime() - Date.now()).toBeGreaterThan(9 * 24 * 3600 * 1000);
  });
});
