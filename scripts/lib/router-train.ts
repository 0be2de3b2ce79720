/**
 * Trains the learned router: multinomial logistic regression by AdaGrad SGD over a seeded shuffle, L2
 * on the weights a step touches, a fixed number of epochs, optionally cost-weighted per label and
 * averaged over several seeded shuffles (still one linear model). Everything runs in one fixed order of
 * floating-point operations, so the same data and seed give the same weights, and the file written
 * from them is byte-identical. Also: leave-one-slice-out predictions and the temperature fitted on them.
 */
import { DENSE_NAMES, type FeatureSpec, type FeatureVector } from "../../plugins/classifiers/learned/features.ts";
import { type ModelFile, softmax, TIER_COUNT } from "../../plugins/classifiers/learned/model.ts";
import { HASH_BITS } from "../../plugins/classifiers/learned/text-features.ts";
// The tests' seeded PRNG (mulberry32): one implementation of "same seed, same sequence".
import { seededRandom } from "../../tests/helpers/run-hooks.ts";

export interface TrainOptions {
  seed: number;
  epochs: number;
  /** L2 strength per step. */
  l2: number;
  /** AdaGrad base learning rate. */
  rate: number;
  /**
   * Cost-sensitive training: each example's loss gradient is scaled by its label's weight (t1, t2, t3), so
   * a misjudged t3 request costs more than a misjudged t1 one. Absent: all 1.
   */
  labelWeight?: readonly number[];
  /**
   * Averaged SGD: the model is the mean of the weights at the end of each epoch from this one on (0-based),
   * which damps the noise of the last steps' order. Absent: the last epoch's weights.
   */
  averageFrom?: number;
  /** Bagging over shuffles: the mean of the models trained with seeds seed, seed + 1, … (this many). Absent: 1. */
  seeds?: number;
  /**
   * Expected-cost term added to the log loss: `misrouteCost[label][k]` is what routing a `label` request to
   * tier k costs (0 on the diagonal), and each example also pays sum_k cost·p_k. Unlike a label weight it
   * tells t3 → t1 (the worst mistake) from t3 → t2. Absent: log loss only.
   */
  misrouteCost?: readonly (readonly number[])[];
}

/**
 * t3 examples weigh 1.5 (under-routing the hardest requests costs most), and the model is the mean of three
 * trained on different shuffles (less dependence on one order); both chosen by slice-CV: README, "How the
 * method was chosen", and scripts/results/router-issue13-tries.md.
 */
export const DEFAULT_TRAIN: TrainOptions = {
  seed: 13,
  epochs: 30,
  l2: 1e-4,
  rate: 0.3,
  labelWeight: [1, 1, 1.5],
  seeds: 3,
};

export interface Example {
  x: FeatureVector;
  label: number;
}

export interface Trained {
  intercept: number[];
  /** w[i * 3 + k]. */
  w: Float64Array;
}

export const FEATURE_DIM = DENSE_NAMES.length + (1 << HASH_BITS);

export function train(examples: readonly Example[], opts: TrainOptions = DEFAULT_TRAIN): Trained {
  const runs = opts.seeds ?? 1;
  if (runs <= 1) return trainOnce(examples, opts);
  const models = Array.from({ length: runs }, (_, r) => trainOnce(examples, { ...opts, seed: opts.seed + r }));
  const w = new Float64Array(models[0].w.length);
  for (const m of models) for (let i = 0; i < w.length; i++) w[i] += m.w[i] / runs;
  const intercept = [0, 1, 2].map((k) => models.reduce((a, m) => a + m.intercept[k], 0) / runs);
  return { intercept, w };
}

function trainOnce(examples: readonly Example[], opts: TrainOptions): Trained {
  const K = TIER_COUNT;
  const w = new Float64Array(FEATURE_DIM * K);
  const g2 = new Float64Array(FEATURE_DIM * K).fill(1e-8);
  const b = [0, 0, 0];
  const bg2 = [1e-8, 1e-8, 1e-8];
  const random = seededRandom(opts.seed);
  const order = examples.map((_, i) => i);
  const averaging = opts.averageFrom !== undefined && opts.averageFrom < opts.epochs;
  const wSum = averaging ? new Float64Array(w.length) : w;
  const bSum = [0, 0, 0];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const n of order) {
      const { x, label } = examples[n];
      const cost = opts.labelWeight?.[label] ?? 1;
      const z = [...b];
      for (let i = 0; i < x.index.length; i++) for (let k = 0; k < K; k++) z[k] += w[x.index[i] * K + k] * x.value[i];
      const p = softmax(z);
      // d/dz_k of sum_j c_j p_j is p_k (c_k - sum_j c_j p_j).
      const costs = opts.misrouteCost?.[label];
      const expected = costs ? costs.reduce((a, c, j) => a + c * p[j], 0) : 0;
      for (let k = 0; k < K; k++) {
        const costGrad = costs ? p[k] * (costs[k] - expected) : 0;
        const err = cost * (p[k] - (k === label ? 1 : 0) + costGrad);
        bg2[k] += err * err;
        b[k] -= (opts.rate * err) / Math.sqrt(bg2[k]);
        for (let i = 0; i < x.index.length; i++) {
          const at = x.index[i] * K + k;
          const grad = err * x.value[i] + opts.l2 * w[at];
          g2[at] += grad * grad;
          w[at] -= (opts.rate * grad) / Math.sqrt(g2[at]);
        }
      }
    }
    if (averaging && epoch >= opts.averageFrom!) {
      for (let i = 0; i < w.length; i++) wSum[i] += w[i];
      for (let k = 0; k < K; k++) bSum[k] += b[k];
    }
  }
  if (!averaging) return { intercept: b, w };
  const n = opts.epochs - opts.averageFrom!;
  for (let i = 0; i < wSum.length; i++) wSum[i] /= n;
  return { intercept: bSum.map((v) => v / n), w: wSum };
}

export function logits(model: Trained, x: FeatureVector): number[] {
  const z = [...model.intercept];
  for (let i = 0; i < x.index.length; i++)
    for (let k = 0; k < TIER_COUNT; k++) z[k] += model.w[x.index[i] * TIER_COUNT + k] * x.value[i];
  return z;
}

/** Held-out logits for every example: each slice predicted by a model trained on all the other slices. */
export function sliceCrossValidation(
  examples: readonly Example[],
  slices: readonly string[],
  opts: TrainOptions = DEFAULT_TRAIN,
): number[][] {
  const out: number[][] = new Array(examples.length);
  for (const held of [...new Set(slices)]) {
    const model = train(
      examples.filter((_, i) => slices[i] !== held),
      opts,
    );
    examples.forEach((e, i) => {
      if (slices[i] === held) out[i] = logits(model, e.x);
    });
  }
  return out;
}

/** The temperature (0.3 to 5, steps of 0.05) that minimises the negative log-likelihood of held-out logits. */
export function fitTemperature(heldOut: readonly number[][], labels: readonly number[]): number {
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let t = 0.3; t <= 5.0001; t += 0.05) {
    const temp = Math.round(t * 100) / 100;
    let loss = 0;
    heldOut.forEach((z, i) => {
      loss -= Math.log(Math.max(softmax(z, temp)[labels[i]], 1e-12));
    });
    if (loss < bestLoss) (bestLoss = loss), (best = temp);
  }
  return best;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** The model file: non-zero weights only, rounded to 4 decimals (what inference uses, so evaluation loads this). */
export function serialize(
  model: Trained,
  meta: Omit<ModelFile, "format" | "hashBits" | "denseNames" | "intercept" | "index" | "weights">,
): ModelFile {
  const index: number[] = [];
  const weights: number[][] = [[], [], []];
  for (let i = 0; i < FEATURE_DIM; i++) {
    const row = [0, 1, 2].map((k) => round(model.w[i * TIER_COUNT + k]));
    if (row.every((v) => v === 0)) continue;
    index.push(i);
    for (let k = 0; k < TIER_COUNT; k++) weights[k].push(row[k]);
  }
  return {
    format: "smartroute-router/1",
    seed: meta.seed,
    spec: meta.spec,
    hashBits: HASH_BITS,
    denseNames: [...DENSE_NAMES],
    temperature: meta.temperature,
    biasPresets: meta.biasPresets,
    heldOut: meta.heldOut,
    intercept: model.intercept.map(round),
    index,
    weights,
  };
}

export type { FeatureSpec };
