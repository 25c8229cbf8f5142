import type { Money as ProtoMoney } from '@crm/contracts';
import { money, type Money } from '../domain/money';

export function toProtoMoney(value: Money): ProtoMoney {
  return { currencyCode: value.currency, amountMinor: value.amountMinor.toString() };
}

// Validates a Money from a request; `field` names it in the error.
export function moneyFromProto(value: ProtoMoney, field: string): Money {
  return money(value.currencyCode, value.amountMinor, field);
}
