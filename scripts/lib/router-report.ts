/**
 * Figures of a set of routing decisions: exact agreement overall, per language, per tier and per slice,
 * the confusion matrix, under-routing (t3 sent lower, t3 → t1 and t3 → t2 apart) and over-routing (t1
 * sent higher, and any request sent above its label), and a reliability table of the confidence.
 */
export const TIER_NAMES = ["t1", "t2", "t3"] as const;

export interface Decision {
  id: string;
  lang: string;
  slice: string;
  label: number;
  /** The tier decided (0, 1, 2), or -1 when the classifier abstained. */
  predicted: number;
  confidence: number;
}

export interface Rate {
  n: number;
  of: number;
  percent: number;
}

const rate = (n: number, of: number): Rate => ({ n, of, percent: of ? Math.round((1000 * n) / of) / 10 : 0 });

export interface Figures {
  exact: Rate;
  byLanguage: Record<string, Rate>;
  byTier: Record<string, Rate>;
  bySlice: Record<string, Rate>;
  /** confusion[label][predicted]. */
  confusion: Record<string, Record<string, number>>;
  underRouting: { t3Lower: Rate; t3ToT1: Rate; t3ToT2: Rate; anyLower: Rate };
  overRouting: { t1Higher: Rate; anyHigher: Rate };
  /** t3 under-routing per language: the targets are per language. */
  t3ByLanguage: Record<string, { t3ToT1: Rate; t3ToT2: Rate }>;
}

function groupRate(ds: readonly Decision[], key: (d: Decision) => string): Record<string, Rate> {
  const acc: Record<string, [number, number]> = {};
  for (const d of ds) {
    const k = key(d);
    acc[k] ??= [0, 0];
    acc[k][0] += d.predicted === d.label ? 1 : 0;
    acc[k][1]++;
  }
  return Object.fromEntries(
    Object.entries(acc)
      .sort()
      .map(([k, [n, of]]) => [k, rate(n, of)]),
  );
}

function t3Rates(ds: readonly Decision[]) {
  const t3 = ds.filter((d) => d.label === 2);
  return {
    t3ToT1: rate(t3.filter((d) => d.predicted === 0).length, t3.length),
    t3ToT2: rate(t3.filter((d) => d.predicted === 1).length, t3.length),
  };
}

/** The figures of decisions that all made a choice (abstentions are counted by `abstainTable`). */
export function figures(ds: readonly Decision[]): Figures {
  const confusion = Object.fromEntries(TIER_NAMES.map((t) => [t, Object.fromEntries(TIER_NAMES.map((p) => [p, 0]))]));
  for (const d of ds) confusion[TIER_NAMES[d.label]][TIER_NAMES[d.predicted]]++;
  const t3 = ds.filter((d) => d.label === 2);
  const t1 = ds.filter((d) => d.label === 0);
  const langs = [...new Set(ds.map((d) => d.lang))].sort();
  return {
    exact: rate(ds.filter((d) => d.predicted === d.label).length, ds.length),
    byLanguage: groupRate(ds, (d) => d.lang),
    byTier: groupRate(ds, (d) => TIER_NAMES[d.label]),
    bySlice: groupRate(ds, (d) => d.slice),
    confusion,
    underRouting: {
      t3Lower: rate(t3.filter((d) => d.predicted < 2).length, t3.length),
      ...t3Rates(ds),
      anyLower: rate(ds.filter((d) => d.predicted < d.label).length, ds.length),
    },
    overRouting: {
      t1Higher: rate(t1.filter((d) => d.predicted > 0).length, t1.length),
      anyHigher: rate(ds.filter((d) => d.predicted > d.label).length, ds.length),
    },
    t3ByLanguage: Object.fromEntries(langs.map((l) => [l, t3Rates(ds.filter((d) => d.lang === l))])),
  };
}

export interface ReliabilityRow {
  bin: string;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Decisions binned by confidence: in a calibrated model each bin's accuracy is about its mean confidence. */
export function reliability(ds: readonly Decision[], edges = [0.33, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]) {
  const rows: ReliabilityRow[] = [];
  let ece = 0;
  for (let i = 0; i < edges.length - 1; i++) {
    const inBin = ds.filter((d) => d.confidence >= edges[i] && d.confidence < edges[i + 1]);
    if (inBin.length === 0) continue;
    const mean = inBin.reduce((a, d) => a + d.confidence, 0) / inBin.length;
    const acc = inBin.filter((d) => d.predicted === d.label).length / inBin.length;
    ece += (inBin.length / ds.length) * Math.abs(mean - acc);
    rows.push({
      bin: `${edges[i].toFixed(2)}–${Math.min(1, edges[i + 1]).toFixed(2)}`,
      count: inBin.length,
      meanConfidence: Math.round(mean * 1000) / 1000,
      accuracy: Math.round(acc * 1000) / 1000,
    });
  }
  return { rows, expectedCalibrationError: Math.round(ece * 1000) / 1000 };
}
