import type { DealView } from './deal-view';
import { addTo, type MoneyTotals } from './money-totals';

export interface LostReason {
  reason: string;
  dealsLost: number;
  lostValue: MoneyTotals;
}

// Lost deals per reason, most frequent first, then by reason.
export function lostReasons(deals: DealView[]): LostReason[] {
  const reasons = new Map<string, LostReason>();
  for (const deal of deals) {
    if (deal.status !== 'lost') continue;
    const entry = reasons.get(deal.lostReason) ?? { reason: deal.lostReason, dealsLost: 0, lostValue: new Map<string, bigint>() };
    entry.dealsLost++;
    addTo(entry.lostValue, deal.currency, BigInt(deal.amountMinor));
    reasons.set(deal.lostReason, entry);
  }
  return [...reasons.values()].sort((a, b) => b.dealsLost - a.dealsLost || a.reason.localeCompare(b.reason));
}
