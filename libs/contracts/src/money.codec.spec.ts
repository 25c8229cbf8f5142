import { moneyFromProto, moneyToProto, safeMoneyFromProto } from './money.codec';
import { WireValueError } from './wire-value-error';

describe('money codec', () => {
  it('reads the amount as a bigint, past what a number holds', () => {
    expect(moneyFromProto({ currencyCode: 'EUR', amountMinor: '9007199254740993' }, 'value')).toEqual({
      currency: 'EUR',
      amountMinor: 9007199254740993n,
    });
  });

  it('reads the amount as a number where a safe integer is enough', () => {
    expect(safeMoneyFromProto({ currencyCode: 'USD', amountMinor: '500050' }, 'hints.budget')).toEqual({
      currency: 'USD',
      amountMinor: 500050,
    });
  });

  it('names the amount of the field in its errors', () => {
    expect(() => moneyFromProto({ currencyCode: 'EUR', amountMinor: '12.5' }, 'final_value')).toThrow(
      expect.objectContaining({
        reason: 'MONEY_INVALID',
        violations: [expect.objectContaining({ field: 'final_value.amount_minor', rule: 'int64' })],
      }),
    );
    expect(() => safeMoneyFromProto({ currencyCode: 'EUR', amountMinor: '9007199254740993' }, 'hints.budget')).toThrow(WireValueError);
  });

  it('leaves the currency and the sign to the service', () => {
    expect(moneyFromProto({ currencyCode: 'eur', amountMinor: '-5' }, 'value')).toEqual({ currency: 'eur', amountMinor: -5n });
  });

  it('writes a bigint, a safe number or a decimal string alike', () => {
    const proto = { currencyCode: 'EUR', amountMinor: '125000' };
    expect(moneyToProto({ currency: 'EUR', amountMinor: 125000n })).toEqual(proto);
    expect(moneyToProto({ currency: 'EUR', amountMinor: 125000 })).toEqual(proto);
    expect(moneyToProto({ currency: 'EUR', amountMinor: '125000' })).toEqual(proto);
  });

  it('refuses to write an amount the wire cannot carry', () => {
    expect(() => moneyToProto({ currency: 'EUR', amountMinor: 2n ** 63n })).toThrow(RangeError);
    expect(() => moneyToProto({ currency: 'EUR', amountMinor: '12.5' })).toThrow(RangeError);
    expect(() => moneyToProto({ currency: 'EUR', amountMinor: 0.5 })).toThrow(RangeError);
  });
});
