import type { Money as ProtoMoney } from './generated/crm/v1/money';
import { int64FromProto, int64ToProto, parseInt64, safeInt64FromProto } from './int64.codec';

// Money on the wire: an ISO 4217 code and an int64 of minor units. Each service keeps the amount in the type it
// computes with (deals a bigint, lead-intake and qualification a safe number, reporting a decimal string) and
// checks the currency and the sign by its own rules; this codec only carries the amount across, checked.
export interface MoneyOf<Amount> {
  currency: string;
  amountMinor: Amount;
}

// `field` names the Money in the request (e.g. "final_value"): an error names its amount_minor.
export function moneyFromProto(value: ProtoMoney, field: string): MoneyOf<bigint> {
  return { currency: value.currencyCode, amountMinor: int64FromProto(value.amountMinor, `${field}.amount_minor`, 'MONEY_INVALID') };
}

export function safeMoneyFromProto(value: ProtoMoney, field: string): MoneyOf<number> {
  return { currency: value.currencyCode, amountMinor: safeInt64FromProto(value.amountMinor, `${field}.amount_minor`, 'MONEY_INVALID') };
}

// A decimal amount (as reporting holds them) is checked as well: it must be an int64 too.
export function moneyToProto(value: MoneyOf<bigint | number | string>): ProtoMoney {
  const amount = typeof value.amountMinor === 'string' ? parseInt64(value.amountMinor) : value.amountMinor;
  if (amount === undefined) throw new RangeError(`${value.amountMinor} is not an int64 of minor units`);
  return { currencyCode: value.currency, amountMinor: int64ToProto(amount) };
}
