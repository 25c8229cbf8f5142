import { addFigures, addTally, contributionDelta, figureKey, keyParts, sumFigures, type Figures } from './figures';

const figures = (entries: Array<[string, number, bigint?]>): Figures => {
  const result: Figures = new Map();
  for (const [name, count, amount] of entries) addTally(result, figureKey(...name.split('/')), count, amount ?? 0n);
  return result;
};

describe('figures arithmetic', () => {
  it('keeps key parts apart whatever they hold', () => {
    expect(keyParts(figureKey('closed', 'lost', 'EUR', 'a/b "c"'))).toEqual(['closed', 'lost', 'EUR', 'a/b "c"']);
    expect(figureKey('open', 'qualified', 10, 'EUR')).toBe(figureKey('open', 'qualified', '10', 'EUR'));
  });

  it('adds counts and amounts per key, exactly beyond 2^53', () => {
    const sum = sumFigures([
      figures([
        ['leads', 1],
        ['closed/won/EUR', 1, 9_007_199_254_740_993n],
      ]),
      figures([['closed/won/EUR', 2, 1n]]),
    ]);
    expect(sum).toEqual(
      figures([
        ['leads', 1],
        ['closed/won/EUR', 3, 9_007_199_254_740_994n],
      ]),
    );
  });

  it('leaves nothing behind once a contribution is subtracted again', () => {
    const part = figures([
      ['leadsCaptured', 1],
      ['closed/lost/EUR/price', 1, 500n],
    ]);
    expect(addFigures(addFigures(new Map(), part), part, -1).size).toBe(0);
  });

  it('keeps a tally of zero deals that still holds money, and one of deals worth nothing', () => {
    expect(figures([['closed/won/EUR', 1, 0n]]).size).toBe(1);
    expect(addFigures(figures([['x', 1, 5n]]), figures([['x', 1, 0n]]), -1)).toEqual(figures([['x', 0, 5n]]));
  });

  it('gives per bucket what a change adds and removes, leaving unchanged buckets out', () => {
    const id = (bucket: string) => bucket;
    const before = [
      {
        bucket: '',
        figures: figures([
          ['leads', 1],
          ['leadsQualified', 1],
        ]),
      },
    ];
    const after = [
      {
        bucket: '2026-03-02',
        figures: figures([
          ['leads', 1],
          ['leadsQualified', 1],
          ['leadsCaptured', 1],
        ]),
      },
    ];
    expect(contributionDelta(before, after, id)).toEqual([
      {
        bucket: '',
        figures: figures([
          ['leads', -1],
          ['leadsQualified', -1],
        ]),
      },
      {
        bucket: '2026-03-02',
        figures: figures([
          ['leads', 1],
          ['leadsQualified', 1],
          ['leadsCaptured', 1],
        ]),
      },
    ]);
    expect(contributionDelta(after, after, id)).toEqual([]);
    expect(contributionDelta([], after, id)).toEqual(after);
  });
});
