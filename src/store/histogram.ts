/**
 * Fixed latency buckets shared by the rollups, the stats queries and the Prometheus histograms, so a
 * percentile over a month is a merge of small arrays, not a scan of a million rows.
 */

/** Upper bounds in ms; the last bucket is everything above the largest bound. */
export const BUCKETS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 20000, 30000, 60000, 120000,
  300000,
] as const;

export function emptyHistogram(): number[] {
  return new Array(BUCKETS_MS.length + 1).fill(0);
}

export function bucketOf(ms: number): number {
  for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]) return i;
  return BUCKETS_MS.length;
}

export function addTo(histogram: number[], other: number[]): void {
  for (let i = 0; i < histogram.length; i++) histogram[i] += other[i] ?? 0;
}

/**
 * The q-quantile (0..1) estimated from a histogram by linear interpolation inside the bucket that
 * holds it. Undefined for an empty histogram.
 */
export function quantile(histogram: number[], q: number): number | undefined {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    if (histogram[i] === 0) continue;
    if (seen + histogram[i] >= rank) {
      const lower = i === 0 ? 0 : BUCKETS_MS[i - 1];
      const upper = i < BUCKETS_MS.length ? BUCKETS_MS[i] : BUCKETS_MS[BUCKETS_MS.length - 1] * 2;
      return lower + ((rank - seen) / histogram[i]) * (upper - lower);
    }
    seen += histogram[i];
  }
  return BUCKETS_MS[BUCKETS_MS.length - 1];
}
