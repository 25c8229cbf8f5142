import { moneyFromProto as amountFromProto, moneyToProto, type Money as ProtoMoney } from '@crm/contracts';
import { money, type Money } from '../domain/money';

export function toProtoMoney(value: Money): ProtoMoney {
  return moneyToProto(value);
}

// Validates a Money from a request or an event; `field` names it in the error.
export function moneyFromProto(value: ProtoMoney, field: string): Money {
  const { currency, amountMinor } = amountFromProto(value, field);
  return money(currency, amountMinor, field);
}
