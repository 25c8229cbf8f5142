import type { Money } from './lead';

// Each ISO 4217 currency with its number of decimals (JPY 0, EUR 2, KWD 3), worked out once: building an
// Intl.NumberFormat per amount is slow.
const fractionDigits = new Map(
  Intl.supportedValuesOf('currency').map((currency) => [
    currency,
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2,
  ]),
);

export function isCurrency(code: string): boolean {
  return fractionDigits.has(code);
}

// An amount in major units ("5000.5" EUR) in the currency's minor unit (500050); undefined for an unknown currency,
// more decimals than the currency has (JPY has none), or not a safe whole number of minor units.
export function toMinorUnits(amount: number, currency: string): Money | undefined {
  const digits = fractionDigits.get(currency);
  if (digits === undefined) return undefined;
  const minor = Math.round(amount * 10 ** digits);
  if (!Number.isSafeInteger(minor) || minor < 0 || Math.abs(minor - amount * 10 ** digits) > 1e-6 * Math.max(1, minor)) return undefined;
  return { currency, amountMinor: minor };
}
