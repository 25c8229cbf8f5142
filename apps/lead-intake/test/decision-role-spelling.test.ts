import { DecisionRole } from '@crm/contracts';
import { uniqueId, waitFor } from '@crm/testing';
import { apiKey, LeadIntakeHarness } from './support/lead-intake.harness';

interface LeadAnswer {
  id: string;
  hints: { decisionRole: string | null };
}

// Every service spells the first decision role decision-maker; lead-intake spelled it decision_maker before, in its
// HTTP API and in the leads it stored, and still takes that spelling.
describe('the decision role decision-maker', () => {
  let harness: LeadIntakeHarness;
  const run = uniqueId('role');
  const email = (name: string) => `${name}.${run}@acme.io`;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const captured = (id: string) =>
    waitFor('lead.captured', () => harness.probe.events('lead.captured').find((e) => e.lead?.id === id)?.lead);

  it.each([
    ['decision-maker', 'json'],
    ['decision_maker', 'json'],
    ['decision_maker', 'form'],
  ])('is taken as %s from a %s body, and answered and sent as decision-maker', async (spelling, kind) => {
    const fields = { email: email(`${spelling}-${kind}`), name: 'Rosa', decisionRole: spelling };
    const response = kind === 'json' ? await harness.post(fields) : await harness.postForm({ ...fields, apiKey });
    expect(response.status).toBe(201);
    const answer = (await response.json()) as LeadAnswer;
    expect(answer.hints.decisionRole).toBe('decision-maker');
    expect((await captured(answer.id)).hints?.decisionRole).toBe(DecisionRole.DECISION_ROLE_DECISION_MAKER);
  });

  it('is read as decision-maker from a lead stored as decision_maker', async () => {
    const response = await harness.post({ email: email('stored'), name: 'Olga', decisionRole: 'user' });
    const { id } = (await response.json()) as LeadAnswer;
    await harness.collection('leads').updateOne({ _id: id as never }, { $set: { 'hints.decisionRole': 'decision_maker' } });
    const read = (await (await harness.get(`/v1/leads/${id}`)).json()) as LeadAnswer;
    expect(read.hints.decisionRole).toBe('decision-maker');
  });

  it('refuses a role of no spelling it knows', async () => {
    expect((await harness.post({ email: email('unknown'), decisionRole: 'decider' })).status).toBe(400);
    expect((await harness.patch('any-lead', { hints: { decisionRole: 'Decision Maker' } })).status).toBe(400);
  });
});
