import type { Money } from './money';

export interface ValuePolicy {
  // ISO 4217 currency of values that come from the configured defaults.
  currency: string;
  // Value by interest (lower-case), in minor units of `currency`.
  valueByInterest: Record<string, bigint>;
}

// A new deal's value: the lead's stated budget (in its own currency: nothing is converted), else the configured
// default for the interest, else zero flagged for estimation. A zero budget counts as none stated.
export function initialValue(budget: Money | undefined, interest: string, policy: ValuePolicy): { value: Money; needsEstimate: boolean } {
  if (budget && budget.amountMinor > 0n) return { value: budget, needsEstimate: false };
  const byInterest = policy.valueByInterest[interest.trim().toLowerCase()];
  if (byInterest !== undefined) return { value: { currency: policy.currency, amountMinor: byInterest }, needsEstimate: false };
  return { value: { currency: policy.currency, amountMinor: 0n }, needsEstimate: true };
}
