import { GetQualificationRequest, ListDealsRequest, QualificationDecision, QualifyLeadRequest } from '@crm/contracts';
import { sleep, uniqueId, waitFor } from '@crm/testing';
import { leadsKey, RunningSystem } from './support/system';

// Re-scoring across the services: an edit in lead-intake (lead.updated) re-scores the lead in qualification; a
// nurturing lead that now qualifies gets its deal, while a person's decision outlasts later automatic scorings.
describe('re-qualification after an edit, end to end', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start();
  }, 120_000);

  afterAll(async () => {
    if (system) await system.stop();
  }, 90_000);

  const url = (path: string) => `${system.services['lead-intake'].httpUrl}${path}`;
  const patch = (id: string, body: unknown) =>
    fetch(url(`/v1/leads/${id}`), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-api-key': leadsKey },
      body: JSON.stringify(body),
    });
  const qualificationOf = async (leadId: string) =>
    (await system.qualifications.getQualification(GetQualificationRequest.fromPartial({ leadId }))).qualification;
  const leadOf = async (id: string) =>
    (await (await fetch(url(`/v1/leads/${id}`), { headers: { 'x-api-key': leadsKey } })).json()) as { status: string; dealId: string };
  const dealsOf = async (leadId: string) => (await system.deals.listDeals(ListDealsRequest.fromPartial({ leadId }))).deals;

  // Score 50 with the default rules (free address, company, phone, interest, medium priority): nurturing.
  async function nurturingLead(): Promise<string> {
    const posted = await system.postLead({
      name: 'Luis',
      email: `${uniqueId('luis-')}@gmail.com`,
      // Unique per lead: lead-intake merges captures that share a phone number.
      phone: `+34 6${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      company: 'Luis SL',
      interest: 'CRM',
      priority: 'medium',
    });
    expect(posted.status).toBe(201);
    const leadId = posted.json.id as string;
    const qualification = await waitFor('the first scoring', () => qualificationOf(leadId).catch(() => undefined));
    expect(qualification).toMatchObject({ decision: QualificationDecision.QUALIFICATION_DECISION_NURTURING, score: 50 });
    // qualification's lead.nurturing sets the status in lead-intake.
    await waitFor('the lead to read as nurturing', async () => (await leadOf(leadId)).status === 'nurturing');
    return leadId;
  }

  it('qualifies a nurturing lead once its priority is raised, and opens its deal', async () => {
    const leadId = await nurturingLead();
    expect(await dealsOf(leadId)).toHaveLength(0);

    expect((await patch(leadId, { priority: 'high' })).status).toBe(200);

    const deals = await waitFor('the deal', async () => {
      const found = await dealsOf(leadId);
      return found.length > 0 ? found : undefined;
    });
    expect(deals).toHaveLength(1);
    const qualification = await qualificationOf(leadId);
    expect(qualification).toMatchObject({
      decision: QualificationDecision.QUALIFICATION_DECISION_QUALIFIED,
      score: 65,
      decidedBy: 'system',
    });
    expect(qualification?.history.map((s) => s.score)).toEqual([50, 65]);
    await waitFor('the lead to read as converted', async () => {
      const lead = await leadOf(leadId);
      return lead.status === 'converted' && lead.dealId === deals[0].id;
    });
  });

  it('keeps a person disqualifying a nurturing lead through an edit that would qualify it', async () => {
    const leadId = await nurturingLead();
    await system.qualifications.qualifyLead(
      QualifyLeadRequest.fromPartial({
        leadId,
        decision: QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED,
        reason: 'student project, no budget',
        actor: 'marta@sales.example',
      }),
    );
    expect((await patch(leadId, { priority: 'high' })).status).toBe(200);

    const rescored = await waitFor('the re-scoring', async () => {
      const found = await qualificationOf(leadId);
      return found && found.history.length === 2 ? found : undefined;
    });
    expect(rescored).toMatchObject({
      decision: QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED,
      decidedBy: 'marta@sales.example via test',
    });
    expect(rescored.history.at(-1)?.score).toBe(65);
    await sleep(1000);
    expect(await dealsOf(leadId)).toHaveLength(0);
  });
});
