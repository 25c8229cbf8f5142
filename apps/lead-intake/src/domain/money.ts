import type { Money } from './lead';

const currencies = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return currencies.has(code);
}

// An amount in major units ("5000.5" EUR) in the currency's minor unit (500050); undefined for an unknown currency,
// more decimals than the currency has (JPY has none), or not a safe whole number of minor units.
export function toMinorUnits(amount: number, currency: string): Money | undefined {
  if (!isCurrency(currency)) return undefined;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const minor = Math.round(amount * 10 ** digits);
  if (!Number.isSafeInteger(minor) || minor < 0 || Math.abs(minor - amount * 10 ** digits) > 1e-6 * Math.max(1, minor)) return undefined;
  return { currency, amountMinor: minor };
}
