// Sums of money per currency in integer minor units (bigint): money is never a float here.
export type MoneyTotals = Map<string, bigint>;

export interface MoneyAmount {
  currency: string;
  amountMinor: string;
}

export function addTo(totals: MoneyTotals, currency: string, amountMinor: bigint): void {
  totals.set(currency, (totals.get(currency) ?? 0n) + amountMinor);
}

export function sumTotals(parts: MoneyTotals[]): MoneyTotals {
  const sum: MoneyTotals = new Map();
  for (const part of parts) for (const [currency, amount] of part) addTo(sum, currency, amount);
  return sum;
}

// Weighted value: sum of value x probability (percent) / 100, rounded half up once on the exact sum. Amounts are
// non-negative in this domain; a negative one rounds half away from zero, symmetric to the positive case.
export function divideByHundredRounded(sumOfProducts: bigint): bigint {
  const sign = sumOfProducts < 0n ? -1n : 1n;
  const magnitude = sumOfProducts * sign;
  return sign * ((magnitude + 50n) / 100n);
}

// Currencies in alphabetical order, so answers are stable.
export function toAmounts(totals: MoneyTotals): MoneyAmount[] {
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ currency, amountMinor: amount.toString() }));
}
