/**
 * The learned router's model: multinomial logistic regression over `extractFeatures`, with a fitted
 * temperature so its probabilities are calibrated. The file (`router-model.json`, written by
 * `npm run train:router`) stores only the non-zero weights; loading spreads them into one flat array
 * so a prediction is a few hundred multiply-adds.
 */
import { DENSE_NAMES, type FeatureSpec, type FeatureVector } from "./features.ts";
import { HASH_BITS } from "./text-features.ts";

export const TIER_COUNT = 3;

/** The JSON file as written by the trainer. */
export interface ModelFile {
  format: "smartroute-router/1";
  seed: number;
  spec: FeatureSpec;
  hashBits: number;
  denseNames: string[];
  /** Divides the logits before the softmax: fitted on held-out (slice cross-validation) predictions. */
  temperature: number;
  /** The logit shift per tier step of the named `bias` settings (positive: toward t3). */
  biasPresets: { quality: number; balanced: number; savings: number };
  intercept: number[];
  /** Sparse weights: `index[i]` has `weights[k][i]` for tier k (0: t1, 1: t2, 2: t3). */
  index: number[];
  weights: number[][];
  /** What training measured on data each fold had not seen; the regression test reads it. */
  heldOut: { sliceCvExact: number; items: number; trainedOn: string[] };
}

export interface LoadedModel {
  file: ModelFile;
  dim: number;
  /** w[i * 3 + k]: weight of feature i for tier k. */
  w: Float32Array;
}

export function loadModel(file: ModelFile): LoadedModel {
  if (file.format !== "smartroute-router/1") throw new TypeError(`router model: unknown format ${file.format}`);
  if (file.hashBits !== HASH_BITS || file.denseNames.join() !== DENSE_NAMES.join())
    throw new TypeError("router model: features differ from this code's (retrain with npm run train:router)");
  const dim = DENSE_NAMES.length + (1 << HASH_BITS);
  const w = new Float32Array(dim * TIER_COUNT);
  file.index.forEach((at, i) => {
    for (let k = 0; k < TIER_COUNT; k++) w[at * TIER_COUNT + k] = file.weights[k][i];
  });
  return { file, dim, w };
}

/** Raw scores (logits) of the three tiers. */
export function logitsOf(model: LoadedModel, x: FeatureVector): number[] {
  const z = [...model.file.intercept];
  for (let i = 0; i < x.index.length; i++) {
    const at = x.index[i] * TIER_COUNT;
    const v = x.value[i];
    for (let k = 0; k < TIER_COUNT; k++) z[k] += model.w[at + k] * v;
  }
  return z;
}

export function softmax(z: readonly number[], temperature = 1): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp((v - m) / temperature));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * The tier (0, 1, 2) for calibrated probabilities `p` under a bias: each step up the tiers gains `bias`
 * in log-probability, so a positive bias moves requests near a boundary up and leaves clear ones alone.
 */
export function decide(p: readonly number[], bias: number): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < p.length; k++) {
    const score = Math.log(Math.max(p[k], 1e-12)) + bias * (k - 1);
    if (score > bestScore) (best = k), (bestScore = score);
  }
  return best;
}

/** The features that pushed tier `k` most against the other two: name and effect on the logit. */
export function topContributions(model: LoadedModel, x: FeatureVector, k: number, top = 3) {
  const out: { i: number; effect: number }[] = [];
  for (let i = 0; i < x.index.length; i++) {
    const at = x.index[i] * TIER_COUNT;
    let mean = 0;
    for (let j = 0; j < TIER_COUNT; j++) mean += model.w[at + j] / TIER_COUNT;
    const effect = (model.w[at + k] - mean) * x.value[i];
    if (effect > 0) out.push({ i, effect });
  }
  return out
    .sort((a, b) => b.effect - a.effect)
    .slice(0, top)
    .map((c) => ({ name: x.nameOf(c.i), effect: c.effect }));
}
