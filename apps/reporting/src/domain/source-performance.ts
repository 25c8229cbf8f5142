import type { DealView } from './deal-view';
import { funnelOf, type Funnel } from './funnel';
import type { LeadJourney } from './lead-journey';
import { addTo, type MoneyTotals } from './money-totals';

export interface SourcePerformance {
  source: string;
  funnel: Funnel;
  wonValue: MoneyTotals;
  lostValue: MoneyTotals;
}

// The whole funnel per intake channel: a lead's source follows it to its deal and the deal's outcome.
export function sourcePerformance(journeys: LeadJourney[], deals: DealView[]): SourcePerformance[] {
  const journeysBySource = new Map<string, LeadJourney[]>();
  for (const journey of journeys) {
    const list = journeysBySource.get(journey.source) ?? [];
    list.push(journey);
    journeysBySource.set(journey.source, list);
  }
  const sourceOfLead = new Map(journeys.map((j) => [j.leadId, j.source]));
  const values = new Map<string, { won: MoneyTotals; lost: MoneyTotals }>();
  for (const deal of deals) {
    if (deal.status === 'open') continue;
    const source = sourceOfLead.get(deal.leadId) || deal.source;
    const entry = values.get(source) ?? { won: new Map<string, bigint>(), lost: new Map<string, bigint>() };
    addTo(deal.status === 'won' ? entry.won : entry.lost, deal.currency, BigInt(deal.amountMinor));
    values.set(source, entry);
  }
  const sources = new Set([...journeysBySource.keys(), ...values.keys()]);
  return [...sources]
    .map((source) => ({
      source,
      funnel: funnelOf(journeysBySource.get(source) ?? []),
      wonValue: values.get(source)?.won ?? new Map<string, bigint>(),
      lostValue: values.get(source)?.lost ?? new Map<string, bigint>(),
    }))
    .sort((a, b) => b.funnel.leadsCaptured - a.funnel.leadsCaptured || a.source.localeCompare(b.source));
}
