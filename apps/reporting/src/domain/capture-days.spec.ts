import { splitByWholeDays } from './capture-days';

const t = (iso: string) => new Date(iso);

describe('a capture range split into whole days and partial edges', () => {
  it('is all whole days when aligned on midnight UTC', () => {
    expect(splitByWholeDays(t('2026-03-02T00:00:00Z'), t('2026-03-04T00:00:00Z'))).toEqual({
      days: { first: '2026-03-02', end: '2026-03-04' },
      edges: [],
    });
  });

  it('keeps the parts of the first and last day as edges', () => {
    expect(splitByWholeDays(t('2026-03-02T09:30:00Z'), t('2026-03-04T14:00:00Z'))).toEqual({
      days: { first: '2026-03-03', end: '2026-03-04' },
      edges: [
        { from: t('2026-03-02T09:30:00Z'), to: t('2026-03-03T00:00:00Z') },
        { from: t('2026-03-04T00:00:00Z'), to: t('2026-03-04T14:00:00Z') },
      ],
    });
  });

  it('is one edge when no whole day lies inside', () => {
    const inOneDay = { from: t('2026-03-02T08:00:00Z'), to: t('2026-03-02T12:00:00Z') };
    expect(splitByWholeDays(inOneDay.from, inOneDay.to)).toEqual({ edges: [inOneDay] });
    const overMidnight = { from: t('2026-03-02T20:00:00Z'), to: t('2026-03-03T04:00:00Z') };
    expect(splitByWholeDays(overMidnight.from, overMidnight.to)).toEqual({ edges: [overMidnight] });
  });

  it('leaves an unset bound open', () => {
    expect(splitByWholeDays(t('2026-03-02T06:00:00Z'))).toEqual({
      days: { first: '2026-03-03', end: undefined },
      edges: [{ from: t('2026-03-02T06:00:00Z'), to: t('2026-03-03T00:00:00Z') }],
    });
    expect(splitByWholeDays(undefined, t('2026-03-02T00:00:00Z'))).toEqual({ days: { first: undefined, end: '2026-03-02' }, edges: [] });
  });

  it('copes with the first and last instants a Date holds', () => {
    expect(splitByWholeDays(new Date(8.64e15 - 1), new Date(8.64e15))).toEqual({
      edges: [{ from: new Date(8.64e15 - 1), to: new Date(8.64e15) }],
    });
    expect(splitByWholeDays(new Date(-8.64e15), new Date(8.64e15)).days).toEqual({ first: '-271821-04-20', end: '+275760-09-13' });
  });
});
