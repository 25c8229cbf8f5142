import { ValidationError } from '@crm/errors';

// Money in integer minor units (bigint-safe as a decimal string on the wire), never floating point.
export interface Money {
  currency: string;
  amountMinor: bigint;
}

const iso4217 = /^[A-Z]{3}$/;

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
  return { currency, amountMinor: amount };
}
