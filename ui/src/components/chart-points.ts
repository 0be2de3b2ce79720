/** Where a line chart draws its points (plain arithmetic, so it is tested without a canvas). */

/**
 * Dots where a line alone would not show the data: on every point of a sparse series (under half the
 * buckets hold a value), so a few requests read as measured points joined by a line, not as a smooth
 * curve; otherwise only on a point with no neighbour, which draws no line when gaps are not joined.
 */
export function pointRadii(data: (number | null)[], spanGaps: boolean): number[] {
  const filled = data.filter((v) => v !== null).length;
  const sparse = filled > 0 && filled < data.length / 2;
  return data.map((v, i) => {
    if (v === null) return 0;
    if (sparse) return 3;
    const lone = (data[i - 1] ?? null) === null && (data[i + 1] ?? null) === null;
    return lone && (!spanGaps || filled === 1) ? 3 : 0;
  });
}
