/**
 * Compares feature settings and training options of the learned router by leave-one-slice-out
 * cross-validation on the corpus (never the dev set), and the hand-tuned scorer beside them: the
 * measurements the defaults were chosen on. Slow (a full cross-validation per row, several minutes):
 *
 *   bun scripts/router-compare.ts            writes scripts/results/router-method-comparison.md
 *   bun scripts/router-compare.ts NAME...    only the rows named
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { assessConversation } from "../plugins/classifiers/complexity/score.ts";
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from "../plugins/classifiers/complexity/weights.ts";
import { DEFAULT_FEATURE_SPEC, extractFeatures, type FeatureSpec } from "../plugins/classifiers/learned/features.ts";
import { softmax } from "../plugins/classifiers/learned/model.ts";
import { loadCorpus } from "./lib/router-data.ts";
import { decisionsOf } from "./lib/router-eval.ts";
import { type Decision, figures } from "./lib/router-report.ts";
import {
  DEFAULT_TRAIN,
  type Example,
  fitTemperature,
  logits,
  sliceCrossValidation,
  type TrainOptions,
  train,
} from "./lib/router-train.ts";

const OUT = fileURLToPath(new URL("./results/router-method-comparison.md", import.meta.url));

interface Variant {
  name: string;
  spec?: Partial<FeatureSpec>;
  train?: Partial<TrainOptions>;
  /** Keep only the features whose name passes. */
  keep?: (name: string) => boolean;
  /**
   * Ordinal (Frank & Hall): two binary models, "above t1" and "above t2", each trained with the same
   * code (labels collapsed onto t1/t3), combined as P(t1) = 1 - P(>t1), P(t3) = P(>t2), P(t2) = the rest.
   */
  ordinal?: boolean;
}

/** Issue 13, fourth round: what misrouting costs, rows the label (t1, t2, t3), columns the tier routed to. */
const MISROUTE_COST = [
  [0, 0.25, 0.5],
  [0.5, 0, 0.25],
  [2, 1, 0],
];
const AGENT_GRAMS: Partial<FeatureSpec> = { agentLatest: true, toolCallChars: 300 };
const isDense = (n: string) => /^(signal|hand|rule|shape):/.test(n);
const VARIANTS: Variant[] = [
  { name: "default" },
  { name: "hand signals and shape only", keep: isDense },
  { name: "grams only", keep: (n) => !isDense(n) },
  { name: "no shape", keep: (n) => !n.startsWith("shape:") },
  { name: "no hand signals", keep: (n) => !/^(signal|hand|rule):/.test(n) },
  { name: "word bigrams", spec: { latest: { words: 2, chars: 3 } } },
  { name: "CJK 1-2-grams", spec: { latest: { words: 1, chars: 2 } } },
  { name: "no context grams", spec: { context: { words: 0, chars: 0 } } },
  { name: "ends 300", spec: { ends: 300 } },
  { name: "instruction grams", spec: { instruction: true } },
  { name: "ends 300 + instruction", spec: { ends: 300, instruction: true } },
  { name: "instruction, floor 16", spec: { instruction: true, normFloor: 16 } },
  { name: "instruction, floor 64", spec: { instruction: true, normFloor: 64 } },
  { name: "instruction instead of whole message", spec: { instruction: true }, keep: (n) => !n.startsWith("u:") },
  { name: "instruction, 50 epochs", spec: { instruction: true }, train: { epochs: 50 } },
  { name: "L2 1e-5", train: { l2: 1e-5 } },
  { name: "10 epochs", train: { epochs: 10 } },
  // Cost-sensitive training: a t3 example's gradient weighs more (issue 13, under-routing). The default
  // is now t3 weight 1.5; "unweighted" is the training before that change.
  { name: "unweighted", train: { labelWeight: [1, 1, 1] } },
  { name: "t3 weight 1.5", train: { labelWeight: [1, 1, 1.5] } },
  { name: "t3 weight 2", train: { labelWeight: [1, 1, 2] } },
  { name: "t3 weight 3", train: { labelWeight: [1, 1, 3] } },
  { name: "t2 1.25, t3 1.5", train: { labelWeight: [1, 1.25, 1.5] } },
  { name: "floor 8", spec: { normFloor: 8 } },
  { name: "floor 8, t3 weight 1.5", spec: { normFloor: 8 }, train: { labelWeight: [1, 1, 1.5] } },
  { name: "averaged from epoch 15", train: { averageFrom: 15 } },
  { name: "averaged from 15, t3 weight 1.5", train: { averageFrom: 15, labelWeight: [1, 1, 1.5] } },
  { name: "3 seeds bagged", train: { seeds: 3 } },
  { name: "3 seeds bagged, from seed 20", train: { seeds: 3, seed: 20 } },
  { name: "5 seeds bagged", train: { seeds: 5 } },
  { name: "3 seeds bagged, unweighted", train: { seeds: 3, labelWeight: [1, 1, 1] } },
  // Issue 13, fourth round: the latest message's words meeting the request shape, and the agent's own calls.
  { name: "agent-turn grams", spec: { agentLatest: true } },
  { name: "tool-call grams", spec: { toolCallChars: 300 } },
  { name: "agent-turn and tool-call grams", spec: AGENT_GRAMS },
  // Expected misrouting cost beside the log loss: t3 → t1 costs most (rows: label t1, t2, t3).
  { name: "misroute cost (t3→t1 2, t3→t2 1, t2→t1 0.5)", train: { misrouteCost: MISROUTE_COST } },
  { name: "agent grams, misroute cost", spec: AGENT_GRAMS, train: { misrouteCost: MISROUTE_COST } },
  { name: "agent-turn and tool-call grams, seeds 20–22", spec: AGENT_GRAMS, train: { seed: 20 } },
  { name: "context word bigrams", spec: { context: { words: 2, chars: 2 } } },
  { name: "short-message grams (under 300 chars)", spec: { shortLatest: 300 } },
  { name: "short-message grams (under 300 chars), seeds 20–22", spec: { shortLatest: 300 }, train: { seed: 20 } },
  { name: "default, seeds 20–22", train: { seed: 20 } },
  { name: "misroute cost, seeds 20–22", train: { seed: 20, misrouteCost: MISROUTE_COST } },
  {
    name: "agent grams, misroute cost, seeds 20–22",
    spec: AGENT_GRAMS,
    train: { seed: 20, misrouteCost: MISROUTE_COST },
  },
  { name: "ordinal", ordinal: true },
  { name: "ordinal, t3 weight 1.5", ordinal: true, train: { labelWeight: [1, 1, 1.5] } },
];

/** Held-out log-probabilities of the ordinal variant (see `Variant.ordinal`). */
function ordinalHeldOut(examples: Example[], slices: string[], opts: TrainOptions): number[][] {
  const binary = (above: number) => {
    // Collapsed labels: 0 (at or below), 2 (above); the label weights follow the original label.
    const weighted = examples.map((e) => ({
      x: e.x,
      label: e.label > above ? 2 : 0,
      cost: opts.labelWeight?.[e.label] ?? 1,
    }));
    const out: number[][] = new Array(examples.length);
    for (const held of [...new Set(slices)]) {
      const train_ = weighted.filter((_, i) => slices[i] !== held);
      // Per-example cost, through the label weight of the collapsed label: approximate by the mean cost of each side.
      const side = (l: number) => {
        const c = train_.filter((e) => e.label === l);
        return c.length ? c.reduce((a, e) => a + e.cost, 0) / c.length : 1;
      };
      const model = train(train_, { ...opts, labelWeight: [side(0), 1, side(2)] });
      weighted.forEach((e, i) => {
        if (slices[i] !== held) return;
        const p = softmax(logits(model, e.x));
        out[i] = [p[0], p[2]];
      });
    }
    return out;
  };
  const a = binary(0);
  const b = binary(1);
  return examples.map((_, i) => {
    const up1 = a[i][1] / (a[i][0] + a[i][1]);
    const up2 = b[i][1] / (b[i][0] + b[i][1]);
    const p = [1 - up1, Math.max(up1 - up2, 1e-6), Math.min(up2, up1)];
    return p.map((v) => Math.log(Math.max(v, 1e-9)));
  });
}

/** The slices of the first corpus (the shared six and our first three): the figure comparable across data changes. */
const FIRST_SLICES = /^(routing-train-|own-agent-tools$|own-code-vision$|own-near-miss$)/;

/** The slice added in issue 13's fourth round: without it, the figure comparable with the third round's. */
const FOURTH_ROUND_SLICES = /^own-hard-asks-3$/;

function row(name: string, ds: Decision[]): string {
  const f = figures(ds);
  const u = f.underRouting;
  const t3 = (lang: string) => f.t3ByLanguage[lang] ?? { t3ToT1: { percent: 0 }, t3ToT2: { percent: 0 } };
  const first = figures(ds.filter((d) => FIRST_SLICES.test(d.slice))).exact.percent;
  const slice = (s: string) => f.bySlice[s]?.percent ?? "–";
  const before = figures(ds.filter((d) => !FOURTH_ROUND_SLICES.test(d.slice))).exact.percent;
  return `| ${name} | ${f.exact.percent}% | ${first}% | ${before}% | ${slice("own-agent-tools")}% | ${slice("own-hard-asks-3")}% | ${f.byLanguage.en.percent}% | ${f.byLanguage.zh.percent}% | ${u.t3ToT1.percent}% (en ${t3("en").t3ToT1.percent}, zh ${t3("zh").t3ToT1.percent}) | ${u.t3ToT2.percent}% (en ${t3("en").t3ToT2.percent}, zh ${t3("zh").t3ToT2.percent}) | ${f.overRouting.t1Higher.percent}% |`;
}

const items = loadCorpus();
const only = process.argv.slice(2);
const lines = [
  "# Learned router: method comparison (leave-one-slice-out CV on the corpus)",
  "",
  `${items.length} items; each row is a full cross-validation. Written by \`bun scripts/router-compare.ts\`.`,
  "",
  "| setting | exact | exact, first 9 slices | before the fourth round's slice | own-agent-tools | own-hard-asks-3 | en | zh | t3 → t1 | t3 → t2 | t1 sent higher |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
];
if (only.length === 0) {
  const tuning = { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS };
  const hand = items.map((it) => ({
    ...it,
    predicted: assessConversation(it.view.text, it.view.messages, tuning).level - 1,
    confidence: 1,
  }));
  lines.push(row("hand-tuned scorer (no training)", hand));
}
for (const v of VARIANTS.filter((x) => only.length === 0 || only.includes(x.name))) {
  const spec = { ...DEFAULT_FEATURE_SPEC, ...v.spec };
  const examples = items.map((it) => {
    const x = extractFeatures(it.view, spec);
    if (!v.keep) return { x, label: it.label };
    const keep = x.index.map((_, i) => v.keep!(x.nameOf(i)));
    const index = x.index.filter((_, i) => keep[i]);
    const value = x.value.filter((_, i) => keep[i]);
    return { x: { index, value, nameOf: () => "" }, label: it.label };
  });
  const heldOut = v.ordinal
    ? ordinalHeldOut(
        examples,
        items.map((i) => i.slice),
        { ...DEFAULT_TRAIN, ...v.train },
      )
    : sliceCrossValidation(
        examples,
        items.map((i) => i.slice),
        { ...DEFAULT_TRAIN, ...v.train },
      );
  const t = fitTemperature(
    heldOut,
    items.map((i) => i.label),
  );
  const line = row(v.name, decisionsOf(items, heldOut, t));
  console.log(line);
  lines.push(line);
}
if (only.length === 0) writeFileSync(OUT, `${lines.join("\n")}\n`);
