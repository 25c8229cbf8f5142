import { closedDealFigures, journeyCounts, valueSourceOf, type CohortBucket } from './cohort-figures';
import type { DealView } from './deal-view';
import { addFigures, figureKey, keyParts, type BucketFigures, type Figures } from './figures';
import { funnelFrom, type Funnel } from './funnel';
import type { LeadJourney } from './lead-journey';
import { addTo, type MoneyTotals } from './money-totals';

export interface SourcePerformance {
  source: string;
  funnel: Funnel;
  wonValue: MoneyTotals;
  lostValue: MoneyTotals;
}

// The whole funnel per intake channel: a lead's source follows it to its deal and the deal's outcome. A source is
// listed when it has a lead or a closed deal.
export function sourcePerformanceFrom(buckets: BucketFigures<CohortBucket>[]): SourcePerformance[] {
  const rows = new Map<string, Figures>();
  const rowOf = (source: string) => rows.get(source) ?? rows.set(source, new Map()).get(source)!;
  for (const { bucket, figures } of buckets) {
    const counts = new Map([...figures].filter(([key]) => keyParts(key)[0] !== 'closed'));
    const closed = new Map([...figures].filter(([key]) => keyParts(key)[0] === 'closed'));
    addFigures(rowOf(bucket.source), counts);
    addFigures(rowOf(valueSourceOf(bucket)), closed);
  }
  return [...rows]
    .map(([source, figures]) => {
      const values = { won: new Map<string, bigint>(), lost: new Map<string, bigint>() };
      let listed = (figures.get(figureKey('leads'))?.count ?? 0) > 0;
      for (const [key, tally] of figures) {
        const [name, status, currency] = keyParts(key);
        if (name !== 'closed' || tally.count <= 0) continue;
        listed = true;
        addTo(status === 'won' ? values.won : values.lost, currency, tally.amountMinor);
      }
      return { listed, row: { source, funnel: funnelFrom(figures), wonValue: values.won, lostValue: values.lost } };
    })
    .filter(({ listed }) => listed)
    .map(({ row }) => row)
    .sort((a, b) => b.funnel.leadsCaptured - a.funnel.leadsCaptured || a.source.localeCompare(b.source));
}

// The same from journeys and the deals of their leads (a deal of a lead not among them counts for its own source).
export function sourcePerformance(journeys: LeadJourney[], deals: DealView[]): SourcePerformance[] {
  const sourceOfLead = new Map(journeys.map((j) => [j.leadId, j.source]));
  return sourcePerformanceFrom([
    ...journeys.map((j) => ({ bucket: { day: '', source: j.source, dealSource: '' }, figures: journeyCounts(j) })),
    ...deals.map((d) => ({
      bucket: { day: '', source: sourceOfLead.get(d.leadId) ?? '', dealSource: d.source },
      figures: closedDealFigures(d),
    })),
  ]);
}
