import { status as GrpcStatus } from '@grpc/grpc-js';
import { ActivityKind, DealStatus, encodeEvent, ErasureReason } from '@crm/contracts';
import { uniqueId, waitForHandled, withReason } from '@crm/testing';
import { erasedDealTitle } from '../src/domain/deal-erasure';
import { leadQualifiedConsumer } from '../src/deals-service';
import { DealsUnderTest, leadQualifiedBody, type DealsApi } from './support/deals-harness';

// lead.erased in deals, against the real MongoDB and RabbitMQ: the deal keeps its figures and loses its words, and a
// late lead.qualified opens or fills in nothing.
describe('erasing a lead in deals', () => {
  let deals: DealsUnderTest;
  let api: DealsApi;

  beforeAll(async () => {
    deals = await DealsUnderTest.start();
    api = deals.api;
  });

  afterAll(() => deals.stop());

  const handled = (messageId: string) => waitForHandled(deals.running.db.db!, leadQualifiedConsumer, messageId);

  async function publish(type: 'lead.erased' | 'lead.qualified', body: Buffer): Promise<void> {
    const messageId = uniqueId('msg-');
    await deals.probe.publishEvent(type, messageId, body);
    await handled(messageId);
  }

  const erased = (leadId: string, at = new Date()) =>
    publish(
      'lead.erased',
      encodeEvent('lead.erased', { occurredAt: at, leadId, reason: ErasureReason.ERASURE_REASON_SUBJECT_REQUEST, erasedBy: 'ops' }),
    );

  const storedDeal = (dealId: string) => deals.running.db.collection('deals').findOne({ _id: dealId as never });

  it('keeps value, stages and outcome, and empties title, loss note, activity texts and proposal terms', async () => {
    const deal = await deals.openedDeal({ company: 'Zeta Erasable SL', name: 'Zoe Erasable' });
    await api.addActivity({
      dealId: deal.id,
      kind: ActivityKind.ACTIVITY_KIND_CALL,
      subject: 'Call with Zoe Erasable',
      notes: 'Zoe wants a demo',
      actor: 'maria',
    });
    await api.addActivity({
      dealId: deal.id,
      kind: ActivityKind.ACTIVITY_KIND_PROPOSAL,
      subject: 'Offer for Zeta Erasable SL',
      actor: 'maria',
      proposal: { price: { currencyCode: 'EUR', amountMinor: '1250000' }, terms: 'Zoe Erasable signs by Friday', validUntil: '2099-01-31' },
    });
    await api.moveDealStage({ dealId: deal.id, stage: 'proposal_sent' });
    const { deal: lost } = await api.loseDeal({ dealId: deal.id, reason: 'price', note: 'Zoe Erasable found it dear' });
    const before = (await api.getDeal({ id: deal.id })).deal!;

    const at = new Date();
    await erased(deal.leadId, at);
    const stored = JSON.stringify(await storedDeal(deal.id));
    for (const text of ['Zoe', 'Zeta', 'Erasable']) expect(stored).not.toContain(text);

    const after = (await api.getDeal({ id: deal.id })).deal!;
    expect(after).toMatchObject({
      title: erasedDealTitle,
      lostNote: '',
      erasedAt: at,
      value: before.value,
      stage: before.stage,
      status: DealStatus.DEAL_STATUS_LOST,
      lostReason: 'price',
      stageHistory: before.stageHistory,
      closedAt: lost?.closedAt,
      activityCount: 2,
    });
    const { activities } = await api.listActivities({ dealId: deal.id });
    expect(activities.map((a) => [a.kind, a.subject, a.notes, a.actor])).toEqual([
      [ActivityKind.ACTIVITY_KIND_CALL, '', '', 'maria via test'],
      [ActivityKind.ACTIVITY_KIND_PROPOSAL, '', '', 'maria via test'],
    ]);
    expect(activities[1].proposal).toMatchObject({ price: { amountMinor: '1250000' }, terms: '', validUntil: '2099-01-31' });
  });

  it('takes no new activity, no late snapshot and no second erasure', async () => {
    const deal = await deals.openedDeal({ company: '' });
    await erased(deal.leadId);
    const before = await storedDeal(deal.id);
    await expect(
      api.addActivity({ dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_NOTE, notes: 'Zoe called back' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      metadata: withReason('DEAL_LEAD_ERASED'),
    });
    await publish('lead.qualified', leadQualifiedBody(deal.leadId, { company: 'Zeta Erasable SL' }));
    await erased(deal.leadId, new Date(Date.now() + 1000));
    expect(await storedDeal(deal.id)).toEqual(before);
    // Closing it stays possible, but its note about the person is not kept.
    const { deal: lost } = await api.loseDeal({ dealId: deal.id, reason: 'price', note: 'Zoe found it dear' });
    expect(lost).toMatchObject({ lostReason: 'price', lostNote: '' });
  });

  it('opens no deal for a lead erased before its lead.qualified arrived, automatically or by hand', async () => {
    const leadId = uniqueId('lead-');
    await erased(leadId);
    await publish('lead.qualified', leadQualifiedBody(leadId));
    expect((await api.listDeals({ leadId })).deals).toEqual([]);
    await expect(api.openDeal({ leadId })).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND, metadata: withReason('LEAD_ERASED') });
    expect(deals.probe.events('deal.opened').filter((e) => e.deal?.leadId === leadId)).toEqual([]);
  });
});
