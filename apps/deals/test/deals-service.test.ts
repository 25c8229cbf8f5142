import { status as GrpcStatus } from '@grpc/grpc-js';
import { DealStatus, QualificationHints, type ListDealsResponse } from '@crm/contracts';
import { sleep, uniqueId, waitFor, withReason } from '@crm/testing';
import { DealsUnderTest, leadQualifiedBody, type DealsApi } from './support/deals-harness';

// Two copies of the deals service on one database and one queue, as when the service is scaled out.
describe('deals service against real MongoDB and RabbitMQ', () => {
  let deals: DealsUnderTest;
  let api: DealsApi;

  beforeAll(async () => {
    deals = await DealsUnderTest.start({ DEAL_VALUE_BY_INTEREST: 'crm=1500000', DEAL_OWNERS: 'ana@example.com,ben@example.com' });
    await deals.startCopy();
    api = deals.api;
  });

  afterAll(() => deals.stop());

  const dealEvents = <T extends 'deal.stage_changed' | 'deal.won' | 'deal.lost' | 'deal.opened'>(type: T, dealId: string) =>
    deals.probe.events(type).filter((e) => (e as { deal?: { id: string } }).deal?.id === dealId);

  it('opens one deal per lead however often lead.qualified is delivered, with both copies consuming', async () => {
    const leadId = uniqueId('lead-');
    const body = leadQualifiedBody(leadId);
    const repeatedId = uniqueId('msg-');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => deals.probe.publishEvent('lead.qualified', i % 2 === 0 ? repeatedId : uniqueId('msg-'), body)),
    );
    await waitFor('the deal', async () => (await api.listDeals({ leadId })).deals.length > 0);
    await sleep(1000);
    const { deals: found } = await api.listDeals({ leadId });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      title: 'Acme - CRM',
      value: { currencyCode: 'EUR', amountMinor: '1500000' },
      valueNeedsEstimate: false,
      sourceChannel: 'landing-page',
      pipelineId: 'sales',
      stage: 'qualified',
      stageProbability: 10,
      status: DealStatus.DEAL_STATUS_OPEN,
      openedBy: 'system',
      stale: false,
    });
    expect(found[0].ownerReason).toMatch(/^round-robin [12] of 2$/);
    expect(['ana@example.com', 'ben@example.com']).toContain(found[0].owner);
    const opened = await waitFor('the deal.opened event', () =>
      dealEvents('deal.opened', found[0].id).length ? dealEvents('deal.opened', found[0].id) : undefined,
    );
    await sleep(500);
    expect(dealEvents('deal.opened', found[0].id)).toHaveLength(1);
    expect(opened[0].pipeline?.stages.map((s) => s.labelEs)).toEqual(['Calificado', 'Contactado', 'Propuesta enviada', 'Negociación']);
  });

  it('values a deal from the lead budget in its own currency, else flags it for estimation', async () => {
    const budgeted = await deals.openedDeal({
      interest: 'Consulting',
      hints: QualificationHints.fromPartial({ budget: { currencyCode: 'USD', amountMinor: '4200000' } }),
    });
    expect(budgeted).toMatchObject({ value: { currencyCode: 'USD', amountMinor: '4200000' }, valueNeedsEstimate: false });
    const unknown = await deals.openedDeal({ interest: 'Consulting' });
    expect(unknown).toMatchObject({ value: { currencyCode: 'EUR', amountMinor: '0' }, valueNeedsEstimate: true });
  });

  it('assigns owners round-robin across both copies', async () => {
    const opened = await Promise.all([deals.openedDeal(), deals.openedDeal(), deals.openedDeal(), deals.openedDeal()]);
    const owners = opened.map((d) => d.owner);
    expect(owners.filter((o) => o === 'ana@example.com')).toHaveLength(2);
    expect(owners.filter((o) => o === 'ben@example.com')).toHaveLength(2);
  });

  it('walks a deal through its pipeline to won; the history and the events show every step', async () => {
    const deal = await deals.openedDeal();
    await api.moveDealStage({ dealId: deal.id, stage: 'contacted' });
    await api.moveDealStage({ dealId: deal.id, stage: 'proposal_sent' });
    await api.moveDealStage({ dealId: deal.id, stage: 'negotiation' });
    const { deal: won } = await api.winDeal({ dealId: deal.id, finalValue: { currencyCode: 'EUR', amountMinor: '1800000' } });
    expect(won).toMatchObject({
      status: DealStatus.DEAL_STATUS_WON,
      value: { amountMinor: '1800000' },
      stageProbability: 100,
      version: '5',
    });
    expect(won?.stageHistory.map((v) => [v.stage, v.closedAs])).toEqual([
      ['qualified', DealStatus.DEAL_STATUS_UNSPECIFIED],
      ['contacted', DealStatus.DEAL_STATUS_UNSPECIFIED],
      ['proposal_sent', DealStatus.DEAL_STATUS_UNSPECIFIED],
      ['negotiation', DealStatus.DEAL_STATUS_WON],
    ]);
    const history = won!.stageHistory;
    history.forEach((visit, i) => {
      expect(visit.exitedAt).toBeInstanceOf(Date);
      if (i > 0) expect(visit.enteredAt).toEqual(history[i - 1].exitedAt);
    });
    await waitFor('stage events', () => dealEvents('deal.stage_changed', deal.id).length === 3);
    expect(dealEvents('deal.stage_changed', deal.id).map((e) => [e.fromStage, e.toStage, e.fromProbability, e.toProbability])).toEqual([
      ['qualified', 'contacted', 10, 20],
      ['contacted', 'proposal_sent', 20, 50],
      ['proposal_sent', 'negotiation', 50, 75],
    ]);
    const [wonEvent] = await waitFor('the won event', () =>
      dealEvents('deal.won', deal.id).length ? dealEvents('deal.won', deal.id) : undefined,
    );
    expect(wonEvent.deal).toMatchObject({
      value: { currencyCode: 'EUR', amountMinor: '1800000' },
      pipelineId: 'sales',
      sourceChannel: 'landing-page',
    });
    expect(wonEvent.deal?.closedAt).toBeInstanceOf(Date);
  });

  it('loses a deal for a configured reason with a note, refuses changes after, and reopens it', async () => {
    const deal = await deals.openedDeal();
    await api.moveDealStage({ dealId: deal.id, stage: 'proposal_sent' });
    await expect(api.loseDeal({ dealId: deal.id, reason: '' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(api.loseDeal({ dealId: deal.id, reason: 'too expensive' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('LOST_REASON_INVALID'),
    });
    const { deal: lost } = await api.loseDeal({ dealId: deal.id, reason: 'price', note: 'asked for 30% off' });
    expect(lost).toMatchObject({
      status: DealStatus.DEAL_STATUS_LOST,
      lostReason: 'price',
      lostNote: 'asked for 30% off',
      stageProbability: 0,
    });
    await waitFor('the lost event', () => dealEvents('deal.lost', deal.id).length === 1);
    expect(dealEvents('deal.lost', deal.id)[0].deal).toMatchObject({ lostReason: 'price', stage: 'proposal_sent' });
    const closed = { code: GrpcStatus.FAILED_PRECONDITION, metadata: withReason('DEAL_CLOSED') };
    await expect(api.moveDealStage({ dealId: deal.id, stage: 'contacted' })).rejects.toMatchObject(closed);
    await expect(api.winDeal({ dealId: deal.id })).rejects.toMatchObject(closed);
    await expect(api.loseDeal({ dealId: deal.id, reason: 'price' })).rejects.toMatchObject(closed);

    const { deal: reopened } = await api.reopenDeal({ dealId: deal.id, expectedVersion: lost!.version });
    expect(reopened).toMatchObject({ status: DealStatus.DEAL_STATUS_OPEN, stage: 'proposal_sent', lostReason: '', stageProbability: 50 });
    expect(reopened?.closedAt).toBeUndefined();
    expect(reopened?.stageHistory.map((v) => [v.stage, v.closedAs])).toEqual([
      ['qualified', DealStatus.DEAL_STATUS_UNSPECIFIED],
      ['proposal_sent', DealStatus.DEAL_STATUS_LOST],
      ['proposal_sent', DealStatus.DEAL_STATUS_UNSPECIFIED],
    ]);
    await waitFor('the reopening event', () => dealEvents('deal.stage_changed', deal.id).some((e) => e.reopened));
    await expect(api.reopenDeal({ dealId: deal.id })).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      metadata: withReason('DEAL_ALREADY_OPEN'),
    });
  });

  it('refuses bad input without changing the deal', async () => {
    const deal = await deals.openedDeal();
    await expect(api.moveDealStage({ dealId: deal.id, stage: 'nowhere' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('STAGE_NOT_IN_PIPELINE'),
    });
    await expect(api.moveDealStage({ dealId: '', stage: 'contacted' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('REQUEST_INVALID'),
    });
    await expect(api.moveDealStage({ dealId: 'no-such-deal', stage: 'contacted' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('DEAL_NOT_FOUND'),
    });
    await expect(api.moveDealStage({ dealId: deal.id, stage: 'contacted', expectedVersion: '-1' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('REQUEST_INVALID'),
    });
    await expect(api.moveDealStage({ dealId: deal.id, stage: 'contacted', expectedVersion: '99' })).rejects.toMatchObject({
      code: GrpcStatus.ABORTED,
      metadata: withReason('VERSION_MISMATCH'),
    });
    await expect(api.winDeal({ dealId: deal.id, finalValue: { currencyCode: 'euro', amountMinor: '1' } })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('MONEY_INVALID'),
    });
    await expect(
      api.winDeal({ dealId: deal.id, finalValue: { currencyCode: 'EUR', amountMinor: '9000000000000000000' } }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('MONEY_INVALID'),
    });
    await expect(api.getDeal({ id: '' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    const { deal: after } = await api.getDeal({ id: deal.id });
    expect(after).toMatchObject({ stage: 'qualified', status: DealStatus.DEAL_STATUS_OPEN, version: '1' });
    expect(dealEvents('deal.stage_changed', deal.id)).toHaveLength(0);
  });

  it('lets one of two concurrent moves of the same version win and answers ABORTED to the other, losing nothing', async () => {
    const deal = await deals.openedDeal();
    const results = await Promise.allSettled([
      api.moveDealStage({ dealId: deal.id, stage: 'contacted', expectedVersion: deal.version }),
      api.moveDealStage({ dealId: deal.id, stage: 'negotiation', expectedVersion: deal.version }),
    ]);
    const fulfilled = results.filter(
      (r): r is PromiseFulfilledResult<Awaited<ReturnType<DealsApi['moveDealStage']>>> => r.status === 'fulfilled',
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({ code: GrpcStatus.ABORTED });
    const { deal: stored } = await api.getDeal({ id: deal.id });
    expect(stored).toMatchObject({ version: '2', stage: fulfilled[0].value.deal?.stage });
    expect(stored?.stageHistory).toHaveLength(2);
    // The loser retries on the new version and nothing is lost: both moves end up in the history.
    const retried = await api.moveDealStage({
      dealId: deal.id,
      stage: fulfilled[0].value.deal?.stage === 'contacted' ? 'negotiation' : 'contacted',
      expectedVersion: stored!.version,
    });
    expect(retried.deal?.stageHistory.map((v) => v.stage)).toHaveLength(3);
    await waitFor('both stage events', () => dealEvents('deal.stage_changed', deal.id).length === 2);
  });

  it('pages through deals with a stable cursor and filters by owner and expected close range', async () => {
    await Promise.all([deals.openedDeal(), deals.openedDeal(), deals.openedDeal()]);
    const seen = new Set<string>();
    let pageToken = '';
    do {
      const page: ListDealsResponse = await api.listDeals({ pipelineId: 'sales', pageSize: 2, pageToken });
      expect(page.deals.length).toBeLessThanOrEqual(2);
      for (const d of page.deals) {
        expect(seen.has(d.id)).toBe(false);
        seen.add(d.id);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    await expect(api.listDeals({ pageSize: 2, pageToken: 'garbage' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('PAGE_TOKEN_INVALID'),
    });

    const byBen = await api.listDeals({ owner: 'ben@example.com', pageSize: 200 });
    expect(byBen.deals.length).toBeGreaterThan(0);
    expect(byBen.deals.every((d) => d.owner === 'ben@example.com')).toBe(true);
    const closeDate = byBen.deals[0].expectedCloseDate;
    const inRange = await api.listDeals({ expectedCloseFrom: closeDate, expectedCloseTo: closeDate, pageSize: 200 });
    expect(inRange.deals.every((d) => d.expectedCloseDate === closeDate)).toBe(true);
    expect(inRange.deals.length).toBeGreaterThan(0);
    expect((await api.listDeals({ expectedCloseTo: '2000-01-01' })).deals).toHaveLength(0);
    await expect(api.listDeals({ expectedCloseFrom: '2026-02-30' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(api.listDeals({ expectedCloseFrom: '2026-03-02', expectedCloseTo: '2026-03-01' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
  });
});
