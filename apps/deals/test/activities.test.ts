import { status as GrpcStatus } from '@grpc/grpc-js';
import { ActivityKind, StaleFilter } from '@crm/contracts';
import { withReason } from '@crm/testing';
import { DealsUnderTest, type DealsApi } from './support/deals-harness';

const day = 24 * 60 * 60 * 1000;

describe('activities and rotting deals', () => {
  let deals: DealsUnderTest;
  let api: DealsApi;

  beforeAll(async () => {
    deals = await DealsUnderTest.start();
    api = deals.api;
  });

  afterAll(() => deals.stop());

  it('records calls, notes and a proposal with price, terms and validity, and lists them in the order they happened', async () => {
    const deal = await deals.openedDeal();
    const yesterday = new Date(Date.now() - day);
    await api.addActivity({ dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_NOTE, notes: 'Wants a demo', actor: 'ana' });
    const { activity, deal: after } = await api.addActivity({
      dealId: deal.id,
      kind: ActivityKind.ACTIVITY_KIND_PROPOSAL,
      subject: 'Propuesta v1',
      occurredAt: yesterday,
      actor: 'ana',
      proposal: { price: { currencyCode: 'EUR', amountMinor: '1250000' }, terms: '12 months, net 30', validUntil: '2099-01-31' },
    });
    expect(activity).toMatchObject({
      dealId: deal.id,
      kind: ActivityKind.ACTIVITY_KIND_PROPOSAL,
      proposal: { price: { amountMinor: '1250000' }, validUntil: '2099-01-31' },
    });
    expect(after).toMatchObject({ activityCount: 2, version: '3' });
    const { activities } = await api.listActivities({ dealId: deal.id });
    expect(activities.map((a) => a.kind)).toEqual([ActivityKind.ACTIVITY_KIND_PROPOSAL, ActivityKind.ACTIVITY_KIND_NOTE]);
    expect(activities[0].occurredAt).toEqual(yesterday);
    // The latest activity is the note recorded now, not the proposal dated yesterday.
    expect(after?.lastActivityAt?.getTime()).toBe(activities[1].occurredAt?.getTime());
  });

  it('refuses bad activities and changes nothing', async () => {
    const deal = await deals.openedDeal();
    const bad = [
      { dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_UNSPECIFIED, notes: 'x' },
      { dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_PROPOSAL, subject: 'no proposal' },
      { dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_CALL, notes: 'x', occurredAt: new Date(Date.now() + day) },
      {
        dealId: deal.id,
        kind: ActivityKind.ACTIVITY_KIND_PROPOSAL,
        proposal: { price: { currencyCode: 'EUR', amountMinor: '1' }, terms: '', validUntil: 'soon' },
      },
      { dealId: '', kind: ActivityKind.ACTIVITY_KIND_NOTE, notes: 'x' },
    ];
    for (const request of bad) await expect(api.addActivity(request)).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(api.addActivity({ dealId: 'no-such-deal', kind: ActivityKind.ACTIVITY_KIND_NOTE, notes: 'x' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('DEAL_NOT_FOUND'),
    });
    await expect(api.listActivities({ dealId: 'no-such-deal' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('DEAL_NOT_FOUND'),
    });
    expect((await api.listActivities({ dealId: deal.id })).activities).toHaveLength(0);
    expect((await api.getDeal({ id: deal.id })).deal).toMatchObject({ version: '1', activityCount: 0 });
  });

  it('keeps every one of many concurrent activities, and the version moves past them', async () => {
    const deal = await deals.openedDeal();
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        api.addActivity({ dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_CALL, subject: `call ${i}` }),
      ),
    );
    expect((await api.listActivities({ dealId: deal.id })).activities).toHaveLength(15);
    expect((await api.getDeal({ id: deal.id })).deal).toMatchObject({ activityCount: 15, version: '16' });
    await expect(api.moveDealStage({ dealId: deal.id, stage: 'contacted', expectedVersion: deal.version })).rejects.toMatchObject({
      code: GrpcStatus.ABORTED,
      metadata: withReason('VERSION_MISMATCH'),
    });
  });

  it('refuses, atomically and with a clear reason, an activity that would take the deal past its byte budget', async () => {
    const deal = await deals.openedDeal();
    // The largest activity there is, in 3-byte characters: about 61 KB, so 51 of them fit in the 3 MiB budget.
    const largest = {
      dealId: deal.id,
      kind: ActivityKind.ACTIVITY_KIND_PROPOSAL,
      subject: '€'.repeat(200),
      notes: '€'.repeat(10_000),
      actor: '€'.repeat(200),
      proposal: { price: { currencyCode: 'EUR', amountMinor: '1' }, terms: '€'.repeat(10_000), validUntil: '2099-01-31' },
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 55 }, () => api.addActivity(largest)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(51);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(o.reason).toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        metadata: withReason('ACTIVITY_LIMIT_REACHED'),
        details: expect.stringContaining('beyond the budget of 3145728 bytes'),
      });
    }
    expect((await api.getDeal({ id: deal.id })).deal).toMatchObject({ activityCount: 51, version: '52' });
    // A small note still fits, and the full deal's activities still list within gRPC's default message size.
    await api.addActivity({ dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_NOTE, notes: 'Signed next week' });
    expect((await api.listActivities({ dealId: deal.id })).activities).toHaveLength(52);
  });

  it('flags a deal idle longer than its stage allows as stale, and filters by staleness', async () => {
    const idle = await deals.openedDeal();
    const active = await deals.openedDeal();
    const moved = await deals.openedDeal();
    const won = await deals.openedDeal();
    await api.winDeal({ dealId: won.id });
    // A copy whose clock runs 8 days ahead: Calificado rots after 7 days, Propuesta enviada after 14.
    const { api: later } = await deals.startCopy({ clock: () => new Date(Date.now() + 8 * day) });
    await later.addActivity({ dealId: active.id, kind: ActivityKind.ACTIVITY_KIND_CALL, subject: 'follow-up' });
    await later.moveDealStage({ dealId: moved.id, stage: 'proposal_sent' });

    expect((await later.getDeal({ id: idle.id })).deal).toMatchObject({ stale: true });
    expect((await later.getDeal({ id: active.id })).deal).toMatchObject({ stale: false });
    expect((await later.getDeal({ id: moved.id })).deal).toMatchObject({ stale: false });
    expect((await later.getDeal({ id: won.id })).deal).toMatchObject({ stale: false });
    expect((await api.getDeal({ id: idle.id })).deal).toMatchObject({ stale: false });

    const mine = new Set([idle.id, active.id, moved.id, won.id]);
    const staleIds = (await later.listDeals({ stale: StaleFilter.STALE_FILTER_STALE, pageSize: 200 })).deals
      .map((d) => d.id)
      .filter((id) => mine.has(id));
    expect(staleIds).toEqual([idle.id]);
    const freshIds = (await later.listDeals({ stale: StaleFilter.STALE_FILTER_FRESH, pageSize: 200 })).deals
      .map((d) => d.id)
      .filter((id) => mine.has(id));
    expect(freshIds.sort()).toEqual([active.id, moved.id, won.id].sort());
    expect((await api.listDeals({ stale: StaleFilter.STALE_FILTER_STALE, leadId: idle.leadId })).deals).toHaveLength(0);
  });
});
