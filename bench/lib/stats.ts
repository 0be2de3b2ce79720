/** Latency summaries. Percentiles are nearest-rank on the sorted samples (no interpolation). */

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export const EMPTY: Summary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };

/** Rounds to microseconds when values are milliseconds: enough precision, small JSON. */
export const round3 = (value: number): number => Math.round(value * 1000) / 1000;

function rank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export function summarize(values: ArrayLike<number>): Summary {
  if (values.length === 0) return EMPTY;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    min: round3(sorted[0] ?? 0),
    mean: round3(sum / sorted.length),
    p50: round3(rank(sorted, 50)),
    p90: round3(rank(sorted, 90)),
    p99: round3(rank(sorted, 99)),
    max: round3(sorted[sorted.length - 1] ?? 0),
  };
}

/** Formats milliseconds for tables: µs precision below 10 ms, fewer digits above. */
export function ms(value: number): string {
  if (value < 10) return value.toFixed(3);
  if (value < 100) return value.toFixed(2);
  return value.toFixed(1);
}
