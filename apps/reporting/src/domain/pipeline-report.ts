import type { DealView } from './deal-view';
import { addTally, figureKey, keyParts, sumFigures, type BucketFigures, type Figures } from './figures';
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

// The deals of one pipeline and one deal source.
export interface PipelineBucket {
  pipelineId: string;
  source: string;
}

export const pipelineBucketId = ({ pipelineId, source }: PipelineBucket): string => JSON.stringify([pipelineId, source]);

// One deal's share of its pipeline's figures: counted as a deal of the pipeline, and its value as open in its stage
// at its probability, or as won or lost.
export function pipelineContribution(deal: DealView): BucketFigures<PipelineBucket> {
  const figures: Figures = new Map();
  const amount = BigInt(deal.amountMinor);
  addTally(figures, figureKey('deals'), 1);
  if (deal.status === 'open') addTally(figures, figureKey('open', deal.stage, deal.probability, deal.currency), 1, amount);
  else addTally(figures, figureKey('closed', deal.status, deal.currency), 1, amount);
  return { bucket: { pipelineId: deal.pipelineId, source: deal.source }, figures };
}

// Money per stage of the pipeline's open deals with the weighted forecast, and its won and lost deals. The
// weighted value is rounded once per stage and currency; the pipeline's weighted total is the sum of its stages,
// so the columns add up.
export function pipelineReportFrom(pipelineId: string, figures: Figures): PipelineReport {
  const stages = new Map<string, StageValue & { products: MoneyTotals }>();
  const wonValue: MoneyTotals = new Map<string, bigint>();
  const lostValue: MoneyTotals = new Map<string, bigint>();
  let dealsWon = 0;
  let dealsLost = 0;
  for (const [key, { count, amountMinor }] of figures) {
    const parts = keyParts(key);
    if (count <= 0) continue;
    if (parts[0] === 'closed') {
      const [, status, currency] = parts;
      if (status === 'won') dealsWon += count;
      else dealsLost += count;
      addTo(status === 'won' ? wonValue : lostValue, currency, amountMinor);
      continue;
    }
    if (parts[0] !== 'open') continue;
    const [, stageName, probabilityText, currency] = parts;
    const probability = Number(probabilityText);
    const stage = stages.get(stageName) ?? {
      stage: stageName,
      probability: 0,
      openDeals: 0,
      value: new Map<string, bigint>(),
      weightedValue: new Map<string, bigint>(),
      products: new Map<string, bigint>(),
    };
    // Every deal in a stage carries the stage's probability; the highest guards against a snapshot from before a
    // change of the pipeline's settings.
    stage.probability = Math.max(stage.probability, probability);
    stage.openDeals += count;
    addTo(stage.value, currency, amountMinor);
    addTo(stage.products, currency, amountMinor * BigInt(probability));
    stages.set(stageName, stage);
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

export function pipelineReport(pipelineId: string, deals: DealView[]): PipelineReport {
  const ofPipeline = deals.filter((deal) => deal.pipelineId === pipelineId);
  return pipelineReportFrom(pipelineId, sumFigures(ofPipeline.map((deal) => pipelineContribution(deal).figures)));
}
