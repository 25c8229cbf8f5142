export interface DurationStats {
  count: number;
  averageMs: number;
  medianMs: number;
}

// How many times each duration (in ms) occurs: the durations of a report kept as counts, so they can be summed.
export type DurationCounts = Map<number, number>;

export function durationStats(durationsMs: number[]): DurationStats {
  const counts: DurationCounts = new Map();
  for (const ms of durationsMs) counts.set(ms, (counts.get(ms) ?? 0) + 1);
  return durationStatsOf(counts);
}

// Average rounded to the nearest millisecond; the median of an even count is the mean of the two middle values,
// rounded down. No durations give zeros.
export function durationStatsOf(counts: DurationCounts): DurationStats {
  const sorted = [...counts].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const count = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return { count: 0, averageMs: 0, medianMs: 0 };
  const total = sorted.reduce((sum, [ms, n]) => sum + ms * n, 0);
  const nth = (rank: number) => {
    for (let i = 0, seen = 0; ; i++) {
      seen += sorted[i][1];
      if (rank < seen) return sorted[i][0];
    }
  };
  const middle = Math.floor(count / 2);
  const medianMs = count % 2 === 1 ? nth(middle) : Math.floor((nth(middle - 1) + nth(middle)) / 2);
  return { count, averageMs: Math.round(total / count), medianMs };
}
