import { Deal, DealOpened, encodeEvent, DealStatus, LeadDisqualified, LeadQualified, LeadStatus } from '@crm/contracts';
import { uniqueId, waitFor } from '@crm/testing';
import { LeadIntakeHarness } from './support/lead-intake.harness';

// The lead's status follows qualification's and deals' events, whatever their order or repetition.
describe('lead status from events', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const statusOf = async (id: string) => (await harness.api.getLead({ id })).lead;

  async function capture(): Promise<string> {
    const response = await harness.post({ email: `${uniqueId()}@acme.io` });
    return ((await response.json()) as { id: string }).id;
  }

  // lead.disqualified and lead.nurturing share one body.
  const decision = (
    type: 'lead.qualified' | 'lead.nurturing' | 'lead.disqualified',
    leadId: string,
    at: Date,
    messageId = uniqueId('msg-'),
  ) =>
    harness.probe.publishEvent(
      type,
      messageId,
      type === 'lead.qualified'
        ? encodeEvent(type, LeadQualified.fromPartial({ occurredAt: at, leadId, score: 80, decidedBy: 'system' }))
        : encodeEvent(
            type,
            LeadDisqualified.fromPartial({ occurredAt: at, leadId, score: 0, decidedBy: 'system', sourceChannel: 'web-form' }),
          ),
    );

  const dealOpened = (leadId: string, dealId: string) =>
    harness.probe.publishEvent(
      'deal.opened',
      uniqueId('msg-'),
      encodeEvent(
        'deal.opened',
        DealOpened.fromPartial({
          occurredAt: new Date(),
          deal: Deal.fromPartial({
            id: dealId,
            leadId,
            pipelineId: 'sales',
            stage: 'qualified',
            status: DealStatus.DEAL_STATUS_OPEN,
            sourceChannel: 'web-form',
            stageProbability: 10,
            openedAt: new Date(),
            version: '1',
          }),
        }),
      ),
    );

  it('reads qualified, then converted with the deal id', async () => {
    const id = await capture();
    await decision('lead.qualified', id, new Date());
    await waitFor('qualified', async () => (await statusOf(id))?.status === LeadStatus.LEAD_STATUS_QUALIFIED);
    await dealOpened(id, 'deal-1');
    const lead = await waitFor('converted', async () => {
      const found = await statusOf(id);
      return found?.status === LeadStatus.LEAD_STATUS_CONVERTED ? found : undefined;
    });
    expect(lead.dealId).toBe('deal-1');
    expect(lead.statusHistory.map((s) => s.status)).toEqual([
      LeadStatus.LEAD_STATUS_NEW,
      LeadStatus.LEAD_STATUS_QUALIFIED,
      LeadStatus.LEAD_STATUS_CONVERTED,
    ]);
    // Status changes follow other services' events: announcing them as lead.updated would make qualification loop.
    expect(harness.probe.messages('lead.updated')).toHaveLength(0);
  });

  it('reads nurturing on lead.nurturing, once however often it arrives, and follows a later qualification', async () => {
    const id = await capture();
    const at = new Date();
    const sameId = uniqueId('msg-');
    for (const messageId of [sameId, sameId, uniqueId('msg-')]) await decision('lead.nurturing', id, at, messageId);
    await waitFor('nurturing', async () => (await statusOf(id))?.status === LeadStatus.LEAD_STATUS_NURTURING);
    await decision('lead.qualified', id, new Date(at.getTime() + 1_000));
    const lead = await waitFor('qualified', async () => {
      const found = await statusOf(id);
      return found?.status === LeadStatus.LEAD_STATUS_QUALIFIED ? found : undefined;
    });
    expect(lead.statusHistory.map((s) => s.status)).toEqual([
      LeadStatus.LEAD_STATUS_NEW,
      LeadStatus.LEAD_STATUS_NURTURING,
      LeadStatus.LEAD_STATUS_QUALIFIED,
    ]);
    // The nurturing decision delivered again late, after the qualification: the newer decision stands.
    await decision('lead.nurturing', id, at);
    const marker = await capture();
    await decision('lead.nurturing', marker, new Date());
    await waitFor('the marker', async () => (await statusOf(marker))?.status === LeadStatus.LEAD_STATUS_NURTURING);
    expect((await statusOf(id))?.status).toBe(LeadStatus.LEAD_STATUS_QUALIFIED);
    expect(harness.probe.messages('lead.updated')).toHaveLength(0);
  });

  it('stays converted when a late decision or a second deal.opened arrives', async () => {
    const id = await capture();
    await dealOpened(id, 'deal-first');
    await waitFor('converted', async () => (await statusOf(id))?.status === LeadStatus.LEAD_STATUS_CONVERTED);
    await decision('lead.disqualified', id, new Date());
    await decision('lead.nurturing', id, new Date());
    await dealOpened(id, 'deal-second');
    await decision('lead.qualified', id, new Date());
    // A marker event handled after the others proves they were all consumed.
    const marker = await capture();
    await decision('lead.qualified', marker, new Date());
    await waitFor('the marker', async () => (await statusOf(marker))?.status === LeadStatus.LEAD_STATUS_QUALIFIED);
    expect(await statusOf(id)).toMatchObject({ status: LeadStatus.LEAD_STATUS_CONVERTED, dealId: 'deal-first' });
  });

  it('keeps the newest decision when decisions arrive out of order', async () => {
    const id = await capture();
    await decision('lead.qualified', id, new Date('2026-11-28T10:05:00Z'));
    await waitFor('qualified', async () => (await statusOf(id))?.status === LeadStatus.LEAD_STATUS_QUALIFIED);
    await decision('lead.disqualified', id, new Date('2026-11-28T10:00:00Z'));
    const marker = await capture();
    await decision('lead.qualified', marker, new Date());
    await waitFor('the marker', async () => (await statusOf(marker))?.status === LeadStatus.LEAD_STATUS_QUALIFIED);
    expect((await statusOf(id))?.status).toBe(LeadStatus.LEAD_STATUS_QUALIFIED);
  });
});
