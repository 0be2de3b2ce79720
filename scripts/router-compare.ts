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
import { loadCorpus } from "./lib/router-data.ts";
import { decisionsOf } from "./lib/router-eval.ts";
import { type Decision, figures } from "./lib/router-report.ts";
import { DEFAULT_TRAIN, fitTemperature, sliceCrossValidation, type TrainOptions } from "./lib/router-train.ts";

const OUT = fileURLToPath(new URL("./results/router-method-comparison.md", import.meta.url));

interface Variant {
  name: string;
  spec?: Partial<FeatureSpec>;
  train?: Partial<TrainOptions>;
  /** Keep only the features whose name passes. */
  keep?: (name: string) => boolean;
}

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
];

function row(name: string, ds: Decision[]): string {
  const f = figures(ds);
  const u = f.underRouting;
  return `| ${name} | ${f.exact.percent}% | ${f.byLanguage.en.percent}% | ${f.byLanguage.zh.percent}% | ${u.t3ToT1.percent}% | ${u.t3ToT2.percent}% | ${f.overRouting.t1Higher.percent}% |`;
}

const items = loadCorpus();
const only = process.argv.slice(2);
const lines = [
  "# Learned router: method comparison (leave-one-slice-out CV on the corpus)",
  "",
  `${items.length} items; each row is a full cross-validation. Written by \`bun scripts/router-compare.ts\`.`,
  "",
  "| setting | exact | en | zh | t3 → t1 | t3 → t2 | t1 sent higher |",
  "|---|---:|---:|---:|---:|---:|---:|",
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
  const heldOut = sliceCrossValidation(
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
