import { addTo, divideByHundredRounded, sumTotals, toAmounts, type MoneyTotals } from './money-totals';

describe('money totals', () => {
  it('rounds a weighted sum half up to whole minor units', () => {
    expect(divideByHundredRounded(0n)).toBe(0n);
    expect(divideByHundredRounded(149n)).toBe(1n);
    expect(divideByHundredRounded(150n)).toBe(2n);
    expect(divideByHundredRounded(250n)).toBe(3n);
    expect(divideByHundredRounded(-150n)).toBe(-2n);
    expect(divideByHundredRounded(-149n)).toBe(-1n);
  });

  it('keeps amounts beyond 2^53 exact', () => {
    const totals: MoneyTotals = new Map();
    addTo(totals, 'EUR', 9_007_199_254_740_993n);
    addTo(totals, 'EUR', 1n);
    expect(toAmounts(totals)).toEqual([{ currency: 'EUR', amountMinor: '9007199254740994' }]);
    expect(divideByHundredRounded(9_007_199_254_740_993n * 75n)).toBe(6_755_399_441_055_745n);
  });

  it('sums per currency and lists currencies alphabetically', () => {
    const a: MoneyTotals = new Map([
      ['USD', 5n],
      ['EUR', 1n],
    ]);
    const b: MoneyTotals = new Map([
      ['EUR', 2n],
      ['JPY', 7n],
    ]);
    expect(toAmounts(sumTotals([a, b]))).toEqual([
      { currency: 'EUR', amountMinor: '3' },
      { currency: 'JPY', amountMinor: '7' },
      { currency: 'USD', amountMinor: '5' },
    ]);
    expect(toAmounts(sumTotals([]))).toEqual([]);
  });
});
