import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListDealsRequest, LoseDealRequest, MoveDealStageRequest, WinDealRequest, type Deal } from '@crm/contracts';
import { openHeadlessChromium, waitFor } from '@crm/testing';
import { reportsKey, RunningSystem, type IntakeChannel } from './support/system';

const repositoryRoot = join(__dirname, '../../..');
const eur = (amountMinor: string) => [{ currencyCode: 'EUR', amountMinor }];

// What happens to each qualifying lead's deal, in order: moves, then won (at a final price or not) or lost.
type Step = { move: string } | { win: string | null } | { lose: string };
interface PlannedLead {
  channel: IntakeChannel;
  qualifies: boolean;
  steps: Step[];
}

const qualifying = (channel: IntakeChannel, ...steps: Step[]): PlannedLead => ({ channel, qualifies: true, steps });
const disposable = (channel: IntakeChannel): PlannedLead => ({ channel, qualifies: false, steps: [] });

// 20 leads over three channels: 12 qualify (web-form and landing-page ones are interested in ERP, worth
// 25,000.00 EUR; facebook ones in analytics, 10,000.00 EUR), 8 only leave a disposable address.
const plan: PlannedLead[] = [
  qualifying('web-form', { move: 'contacted' }, { win: '3000000' }),
  qualifying('web-form', { move: 'contacted' }, { move: 'proposal_sent' }, { win: null }),
  qualifying('web-form', { lose: 'price' }),
  qualifying('web-form', { move: 'contacted' }),
  qualifying('web-form', { move: 'proposal_sent' }),
  qualifying('web-form'),
  disposable('web-form'),
  disposable('web-form'),
  qualifying('facebook', { win: null }),
  qualifying('facebook', { move: 'contacted' }, { lose: 'no-budget' }),
  qualifying('facebook', { move: 'negotiation' }),
  qualifying('facebook'),
  disposable('facebook'),
  disposable('facebook'),
  disposable('facebook'),
  qualifying('landing-page', { lose: 'price' }),
  qualifying('landing-page', { move: 'contacted' }),
  disposable('landing-page'),
  disposable('landing-page'),
  disposable('landing-page'),
];

const funnel = (c: number[], rates: [number, number, number]) => ({
  leadsCaptured: String(c[0]),
  leadsQualified: String(c[1]),
  leadsDisqualified: String(c[2]),
  dealsOpened: String(c[3]),
  dealsWon: String(c[4]),
  dealsLost: String(c[5]),
  qualificationRate: rates[0],
  leadToDealRate: rates[1],
  winRate: rates[2],
});

const expectedPipeline = {
  pipelineId: 'sales',
  stages: [
    { stage: 'qualified', probability: 10, openDeals: '2', value: eur('3500000'), weightedValue: eur('350000') },
    { stage: 'contacted', probability: 20, openDeals: '2', value: eur('5000000'), weightedValue: eur('1000000') },
    { stage: 'proposal_sent', probability: 50, openDeals: '1', value: eur('2500000'), weightedValue: eur('1250000') },
    { stage: 'negotiation', probability: 75, openDeals: '1', value: eur('1000000'), weightedValue: eur('750000') },
  ],
  openDeals: '6',
  openValue: eur('12000000'),
  weightedValue: eur('3350000'),
  dealsWon: '3',
  wonValue: eur('6500000'),
  dealsLost: '3',
  lostValue: eur('6000000'),
  winRate: 0.5,
};

const expectedSources = {
  sources: [
    { source: 'web-form', funnel: funnel([8, 6, 2, 6, 2, 1], [0.75, 0.75, 2 / 3]), wonValue: eur('5500000'), lostValue: eur('2500000') },
    { source: 'facebook', funnel: funnel([7, 4, 3, 4, 1, 1], [4 / 7, 4 / 7, 0.5]), wonValue: eur('1000000'), lostValue: eur('1000000') },
    { source: 'landing-page', funnel: funnel([5, 2, 3, 2, 0, 1], [0.4, 0.4, 0]), wonValue: [], lostValue: eur('2500000') },
  ],
};

const expectedLostReasons = {
  reasons: [
    { reason: 'price', dealsLost: '2', lostValue: eur('5000000') },
    { reason: 'no-budget', dealsLost: '1', lostValue: eur('1000000') },
  ],
  dealsLost: '3',
};

// The oracle for durations, from the other services' own records: average rounded, median of an even count the
// floor of the mean of the two middle values.
function stats(durations: number[]) {
  const sorted = [...durations].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid] : Math.floor((sorted[mid - 1] + sorted[mid]) / 2);
  const average = sorted.length === 0 ? 0 : Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length);
  return { count: String(sorted.length), averageMs: String(average), medianMs: String(median) };
}

describe('reporting over a known scenario driven through the four services', () => {
  let system: RunningSystem;
  const dealsByLead = new Map<string, Deal>();
  const qualifiedLeads: string[] = [];

  const r = () => system.reporting;
  const reports = async () => ({
    funnel: await r().getFunnel({ from: undefined, to: undefined, source: '' }),
    pipeline: await r().getPipeline({ pipelineId: 'sales', source: '' }),
    sources: await r().getSourcePerformance({ from: undefined, to: undefined }),
    cycleTimes: await r().getCycleTimes({ from: undefined, to: undefined, source: '' }),
    lostReasons: await r().getLostReasons({ from: undefined, to: undefined, source: '' }),
  });
  const http = async (path: string) =>
    (await fetch(`${system.services.reporting.httpUrl}${path}`, { headers: { 'x-api-key': reportsKey } })).json();

  beforeAll(async () => {
    system = await RunningSystem.start();
    for (const [i, lead] of plan.entries()) {
      const body = lead.qualifies
        ? {
            name: `Buyer ${i}`,
            email: `buyer${i}@acme-industries.io`,
            phone: `+34 600 000 ${String(100 + i)}`,
            company: `Acme ${i}`,
            interest: lead.channel === 'facebook' ? 'analytics' : 'erp',
            priority: 'high',
          }
        : { email: `nobody${i}@mailinator.com` };
      const posted = await system.postLead(body, lead.channel);
      expect(posted.status).toBe(201);
      if (!lead.qualifies) continue;
      const leadId = posted.json.id as string;
      qualifiedLeads.push(leadId);
      const deal = await waitFor(
        `the deal of lead ${i}`,
        async () => (await system.deals.listDeals(ListDealsRequest.fromPartial({ leadId }))).deals[0],
      );
      let current = deal;
      for (const step of lead.steps) {
        if ('move' in step)
          current = (await system.deals.moveDealStage(MoveDealStageRequest.fromPartial({ dealId: current.id, stage: step.move }))).deal!;
        else if ('win' in step)
          current = (
            await system.deals.winDeal(
              WinDealRequest.fromPartial({
                dealId: current.id,
                finalValue: step.win ? { currencyCode: 'EUR', amountMinor: step.win } : undefined,
              }),
            )
          ).deal!;
        else current = (await system.deals.loseDeal(LoseDealRequest.fromPartial({ dealId: current.id, reason: step.lose }))).deal!;
      }
      dealsByLead.set(leadId, current);
    }
    // Reporting is current once its pipeline shows the last move and its funnel the last decision.
    await waitFor(
      'reporting to see every event',
      async () => {
        const { pipeline, funnel } = await reports();
        return (
          JSON.stringify(pipeline) === JSON.stringify(expectedPipeline) &&
          funnel.funnel?.leadsDisqualified === '8' &&
          funnel.funnel.leadsQualified === '12'
        );
      },
      { timeoutMs: 30_000 },
    );
  }, 180_000);

  afterAll(async () => {
    if (system) await system.stop();
  }, 90_000);

  async function expectedCycleTimes() {
    const captureToQualification: number[] = [];
    for (const leadId of qualifiedLeads) {
      const lead = (await system.leads.getLead({ id: leadId })).lead!;
      const decision = (await system.qualifications.getQualification({ leadId })).qualification!;
      captureToQualification.push(decision.decidedAt!.getTime() - lead.createdAt!.getTime());
    }
    const deals = [...dealsByLead.values()];
    const stays = (stage: string) =>
      deals.flatMap((d) =>
        d.stageHistory.filter((v) => v.stage === stage && v.exitedAt).map((v) => v.exitedAt!.getTime() - v.enteredAt!.getTime()),
      );
    return {
      captureToQualification: stats(captureToQualification),
      dealOpenedToWon: stats(
        deals.filter((d) => d.closedAt && d.lostReason === '').map((d) => d.closedAt!.getTime() - d.openedAt!.getTime()),
      ),
      timeInStage: ['qualified', 'contacted', 'proposal_sent'].map((stage) => ({
        pipelineId: 'sales',
        stage,
        duration: stats(stays(stage)),
      })),
    };
  }

  it('gives every figure of the scenario exactly, over gRPC and as JSON', async () => {
    const all = await reports();
    expect(all.funnel.funnel).toEqual(funnel([20, 12, 8, 12, 3, 3], [0.6, 0.6, 0.5]));
    const today = new Date().toISOString().slice(0, 10);
    expect(all.funnel.capturedPerDay).toEqual([
      { day: today, source: 'facebook', leadsCaptured: '7' },
      { day: today, source: 'landing-page', leadsCaptured: '5' },
      { day: today, source: 'web-form', leadsCaptured: '8' },
    ]);
    expect(all.pipeline).toEqual(expectedPipeline);
    expect(all.sources).toEqual(expectedSources);
    expect(all.lostReasons).toEqual(expectedLostReasons);
    const cycles = await expectedCycleTimes();
    expect(all.cycleTimes).toEqual(cycles);
    expect(cycles.timeInStage.map((s) => s.duration.count)).toEqual(['10', '3', '1']);

    expect(await http('/v1/reports/funnel')).toEqual(all.funnel);
    expect(await http('/v1/reports/pipeline?pipelineId=sales')).toEqual(all.pipeline);
    expect(await http('/v1/reports/sources')).toEqual(all.sources);
    expect(await http('/v1/reports/cycle-times')).toEqual(all.cycleTimes);
    expect(await http('/v1/reports/lost-reasons')).toEqual(all.lostReasons);
  });

  it('shows the figures on the dashboard in a headless browser', async () => {
    const browser = await openHeadlessChromium();
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.goto(`${system.services.reporting.httpUrl}/dashboard`);
      await page.fill('#reports-key', reportsKey);
      await page.click('#sign-in button[type="submit"]');
      await page.waitForSelector('body[data-loaded="true"]');
      const kpi = async (name: string) => (await page.locator(`[data-kpi="${name}"]`).first().innerText()).replace(/[\u00a0\u202f]/g, ' ');
      expect(await kpi('leadsCaptured')).toBe('20');
      expect(await kpi('qualificationRate')).toBe('60 %');
      expect(await kpi('winRate')).toBe('50 %');
      expect(await kpi('openValue')).toBe('120.000,00 €');
      expect(await kpi('weightedValue')).toBe('33.500,00 €');
      expect(await kpi('wonValue')).toBe('65.000,00 €');
      expect(await page.locator('#sources-table tbody tr').count()).toBe(3);
      const output = join(repositoryRoot, 'test-output/system-e2e');
      mkdirSync(output, { recursive: true });
      await page.screenshot({ path: join(output, 'reporting-dashboard.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('rebuilds every projection from the event log with `main.js rebuild` and gives the same figures', async () => {
    const before = await reports();
    const result = await system.rebuildReporting();
    // 20 captured, 12 qualified, 8 disqualified, 12 opened, 8 moves, 3 won, 3 lost
    expect(result).toMatchObject({ rebuilt: true, events: 66 });
    expect(await reports()).toEqual(before);
  });
});
