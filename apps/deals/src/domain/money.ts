import { ValidationError } from '@crm/errors';

// Money in integer minor units (bigint-safe as a decimal string on the wire), never floating point.
export interface Money {
  currency: string;
  amountMinor: bigint;
}

const iso4217 = /^[A-Z]{3}$/;

// 100 trillion in a two-decimal currency: far above any deal, and low enough that reports, which add deal values up
// into int64 totals, still fit 900 deals at the most.
export const maxAmountMinor = 10n ** 16n;

export function money(currency: string, amountMinor: bigint | number | string, field = 'value'): Money {
  if (!iso4217.test(currency)) {
    throw new ValidationError('MONEY_INVALID', [
      { field: `${field}.currency_code`, rule: 'iso4217', message: 'must be a three-letter ISO 4217 code' },
    ]);
  }
  let amount: bigint;
  try {
    amount = BigInt(amountMinor);
  } catch {
    throw new ValidationError('MONEY_INVALID', [
      { field: `${field}.amount_minor`, rule: 'integer', message: 'must be a whole number of minor units' },
    ]);
  }
  if (amount < 0n) {
    throw new ValidationError('MONEY_INVALID', [{ field: `${field}.amount_minor`, rule: 'non-negative', message: 'must not be negative' }]);
  }
  if (amount > maxAmountMinor) {
    throw new ValidationError('MONEY_INVALID', [
      { field: `${field}.amount_minor`, rule: 'max', message: `must be at most ${maxAmountMinor}` },
    ]);
  }
  return { currency, amountMinor: amount };
}
