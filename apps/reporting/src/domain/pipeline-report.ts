import type { DealView } from './deal-view';
import { ratio } from './funnel';
import { addTo, divideByHundredRounded, sumTotals, type MoneyTotals } from './money-totals';

export interface StageValue {
  stage: string;
  probability: number;
  openDeals: number;
  value: MoneyTotals;
  weightedValue: MoneyTotals;
}

export interface PipelineReport {
  pipelineId: string;
  stages: StageValue[];
  openDeals: number;
  openValue: MoneyTotals;
  weightedValue: MoneyTotals;
  dealsWon: number;
  wonValue: MoneyTotals;
  dealsLost: number;
  lostValue: MoneyTotals;
  winRate: number;
}

// Money per stage of the pipeline's open deals with the weighted forecast, and its won and lost deals. The
// weighted value is rounded once per stage and currency; the pipeline's weighted total is the sum of its stages,
// so the columns add up.
export function pipelineReport(pipelineId: string, deals: DealView[]): PipelineReport {
  const stages = new Map<string, StageValue & { products: MoneyTotals }>();
  const wonValue: MoneyTotals = new Map<string, bigint>();
  const lostValue: MoneyTotals = new Map<string, bigint>();
  let dealsWon = 0;
  let dealsLost = 0;
  for (const deal of deals) {
    if (deal.pipelineId !== pipelineId) continue;
    const amount = BigInt(deal.amountMinor);
    if (deal.status === 'won') {
      dealsWon++;
      addTo(wonValue, deal.currency, amount);
      continue;
    }
    if (deal.status === 'lost') {
      dealsLost++;
      addTo(lostValue, deal.currency, amount);
      continue;
    }
    const stage = stages.get(deal.stage) ?? {
      stage: deal.stage,
      probability: 0,
      openDeals: 0,
      value: new Map<string, bigint>(),
      weightedValue: new Map<string, bigint>(),
      products: new Map<string, bigint>(),
    };
    // Every deal in a stage carries the stage's probability; the highest guards against a snapshot from before a
    // change of the pipeline's settings.
    stage.probability = Math.max(stage.probability, deal.probability);
    stage.openDeals++;
    addTo(stage.value, deal.currency, amount);
    addTo(stage.products, deal.currency, amount * BigInt(deal.probability));
    stages.set(deal.stage, stage);
  }
  const ordered = [...stages.values()]
    .sort((a, b) => a.probability - b.probability || a.stage.localeCompare(b.stage))
    .map(({ products, ...stage }) => ({
      ...stage,
      weightedValue: new Map([...products].map(([currency, sum]) => [currency, divideByHundredRounded(sum)])),
    }));
  return {
    pipelineId,
    stages: ordered,
    openDeals: ordered.reduce((n, s) => n + s.openDeals, 0),
    openValue: sumTotals(ordered.map((s) => s.value)),
    weightedValue: sumTotals(ordered.map((s) => s.weightedValue)),
    dealsWon,
    wonValue,
    dealsLost,
    lostValue,
    winRate: ratio(dealsWon, dealsWon + dealsLost),
  };
}
