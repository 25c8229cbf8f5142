import type { DealView } from './deal-view';
import { closedDealFigures } from './cohort-figures';
import { keyParts, sumFigures, type Figures } from './figures';
import { addTo, type MoneyTotals } from './money-totals';

export interface LostReason {
  reason: string;
  dealsLost: number;
  lostValue: MoneyTotals;
}

// Lost deals per reason, most frequent first, then by reason, from summed figures.
export function lostReasonsFrom(figures: Figures): LostReason[] {
  const reasons = new Map<string, LostReason>();
  for (const [key, tally] of figures) {
    const [name, status, currency, reason] = keyParts(key);
    if (name !== 'closed' || status !== 'lost' || tally.count <= 0) continue;
    const entry = reasons.get(reason) ?? { reason, dealsLost: 0, lostValue: new Map<string, bigint>() };
    entry.dealsLost += tally.count;
    addTo(entry.lostValue, currency, tally.amountMinor);
    reasons.set(reason, entry);
  }
  return [...reasons.values()].sort((a, b) => b.dealsLost - a.dealsLost || a.reason.localeCompare(b.reason));
}

export function lostReasons(deals: DealView[]): LostReason[] {
  return lostReasonsFrom(sumFigures(deals.map(closedDealFigures)));
}
