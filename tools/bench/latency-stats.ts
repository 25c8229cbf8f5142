// Percentiles of latencies in ms. A lead that never completed counts as infinitely slow, so a percentile it
// reaches reads Infinity (printed as "timeout") instead of silently dropping the slowest leads.
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
