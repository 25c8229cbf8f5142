import { durationStats, durationStatsOf } from './duration-stats';

describe('duration statistics', () => {
  it('gives zeros for no durations', () => {
    expect(durationStats([])).toEqual({ count: 0, averageMs: 0, medianMs: 0 });
  });

  it('takes the middle value of an odd count, whatever the input order', () => {
    expect(durationStats([30, 10, 20])).toEqual({ count: 3, averageMs: 20, medianMs: 20 });
    expect(durationStats([5])).toEqual({ count: 1, averageMs: 5, medianMs: 5 });
  });

  it('takes the mean of the two middle values of an even count, rounded down', () => {
    expect(durationStats([1, 2])).toEqual({ count: 2, averageMs: 2, medianMs: 1 });
    expect(durationStats([40, 10, 20, 30])).toEqual({ count: 4, averageMs: 25, medianMs: 25 });
  });

  it('rounds the average to the nearest millisecond', () => {
    expect(durationStats([1, 1, 2]).averageMs).toBe(1);
    expect(durationStats([1, 2, 2]).averageMs).toBe(2);
  });
});

describe('duration statistics from counts', () => {
  it('gives what the durations listed one by one give', () => {
    const counts = new Map([
      [20, 1],
      [10, 3],
    ]);
    expect(durationStatsOf(counts)).toEqual(durationStats([10, 20, 10, 10]));
    expect(durationStatsOf(counts)).toEqual({ count: 4, averageMs: 13, medianMs: 10 });
  });

  it('finds the two middle values across different durations', () => {
    expect(
      durationStatsOf(
        new Map([
          [10, 2],
          [30, 2],
        ]),
      ),
    ).toEqual({ count: 4, averageMs: 20, medianMs: 20 });
  });

  it('ignores durations counted zero times', () => {
    expect(
      durationStatsOf(
        new Map([
          [10, 0],
          [7, 1],
        ]),
      ),
    ).toEqual({ count: 1, averageMs: 7, medianMs: 7 });
  });
});
