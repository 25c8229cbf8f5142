import { DealStory } from './support/deal-story';
import { funnelEvents as e, type ContractEvent } from './support/funnel-events';
import { ReportingHarness } from './support/reporting-harness';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));

// One lead whose deal was lost, then reopened: the funnel, the source performance and the pipeline must all count it
// open, whichever of the loss and the reopening the broker hands over first.
function reopenedDeal(leadId: string): { lost: ContractEvent; reopened: ContractEvent; before: ContractEvent[] } {
  const events = new DealStory(leadId, 'web-form', at(10), '400000').move('contacted', at(20)).lose(at(30), 'price').reopen(at(40)).events;
  const [opened, moved, lost, reopened] = events;
  return { lost, reopened, before: [e.captured(leadId, 'web-form', at(0)), e.qualified(leadId, 'web-form', at(5)), opened, moved] };
}

describe('a lost deal reopened, through the broker', () => {
  let reporting: ReportingHarness;

  beforeEach(async () => {
    reporting = await ReportingHarness.start();
  });

  afterEach(async () => {
    await reporting?.stop();
  });

  it.each([
    ['the loss first', (d: ReturnType<typeof reopenedDeal>) => [d.lost, d.reopened]],
    ['the reopening first', (d: ReturnType<typeof reopenedDeal>) => [d.reopened, d.lost]],
    ['each twice, the reopening first', (d: ReturnType<typeof reopenedDeal>) => [d.reopened, d.lost, d.reopened, d.lost]],
  ])('counts the deal open again with %s', async (_case, order) => {
    const deal = reopenedDeal('reopened-lead');
    for (const event of [...deal.before, ...order(deal)]) await reporting.publish(event);
    await reporting.settled();

    expect(await reporting.funnel()).toEqual({
      leadsCaptured: 1,
      leadsQualified: 1,
      leadsDisqualified: 0,
      dealsOpened: 1,
      dealsWon: 0,
      dealsLost: 0,
    });
    const [webForm] = (await reporting.api.getSourcePerformance()).sources;
    expect(webForm).toMatchObject({ source: 'web-form', funnel: { dealsLost: '0', winRate: 0 }, lostValue: [] });
    expect(await reporting.api.getPipeline({ pipelineId: 'sales' })).toMatchObject({
      openDeals: '1',
      dealsLost: '0',
      stages: [{ stage: 'contacted', openDeals: '1' }],
    });
  });
});
