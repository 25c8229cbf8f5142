export interface DurationStats {
  count: number;
  averageMs: number;
  medianMs: number;
}

// Average rounded to the nearest millisecond; the median of an even count is the mean of the two middle values,
// rounded down. No durations give zeros.
export function durationStats(durationsMs: number[]): DurationStats {
  if (durationsMs.length === 0) return { count: 0, averageMs: 0, medianMs: 0 };
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[middle] : Math.floor((sorted[middle - 1] + sorted[middle]) / 2);
  const total = sorted.reduce((sum, d) => sum + d, 0);
  return { count: sorted.length, averageMs: Math.round(total / sorted.length), medianMs };
}
