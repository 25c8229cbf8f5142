import { isCurrency, toMinorUnits } from './money';

describe('money', () => {
  it('knows ISO 4217 codes', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('XXY')).toBe(false);
  });

  it('turns an amount into minor units by the currency decimals', () => {
    expect(toMinorUnits(5000, 'EUR')).toEqual({ currency: 'EUR', amountMinor: 500000 });
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toEqual({ currency: 'EUR', amountMinor: 30 });
    expect(toMinorUnits(1999.99, 'USD')).toEqual({ currency: 'USD', amountMinor: 199999 });
    expect(toMinorUnits(1500, 'JPY')).toEqual({ currency: 'JPY', amountMinor: 1500 });
    expect(toMinorUnits(0, 'EUR')).toEqual({ currency: 'EUR', amountMinor: 0 });
  });

  it('refuses more decimals than the currency has, negative and unsafe amounts', () => {
    expect(toMinorUnits(10.005, 'EUR')).toBeUndefined();
    expect(toMinorUnits(1.5, 'JPY')).toBeUndefined();
    expect(toMinorUnits(-1, 'EUR')).toBeUndefined();
    expect(toMinorUnits(1e20, 'EUR')).toBeUndefined();
  });

  it('works out the currency decimals once, not per amount', () => {
    const numberFormat = jest.spyOn(Intl, 'NumberFormat');
    try {
      toMinorUnits(10, 'EUR');
      toMinorUnits(10, 'KWD');
      expect(numberFormat).not.toHaveBeenCalled();
    } finally {
      numberFormat.mockRestore();
    }
  });
});
