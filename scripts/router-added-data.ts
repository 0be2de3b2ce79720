/**
 * Does training on a slice of added data help on unseen requests of its kind? Slice-CV cannot say (the
 * slice is only ever a held-out fold), so this splits one of our files into two halves by near-miss group
 * (a pair never straddles the halves), and predicts each half with a model trained on the rest of the
 * corpus, once without the file's other half and once with it. Never reads the dev set.
 *
 *   bun scripts/router-added-data.ts [slice]      (default own-short-asks)
 */

import { readFileSync } from "node:fs";
import { DEFAULT_FEATURE_SPEC, extractFeatures } from "../plugins/classifiers/learned/features.ts";
import { corpusFiles, loadCorpus } from "./lib/router-data.ts";
import { decisionsOf } from "./lib/router-eval.ts";
import { type Decision, figures } from "./lib/router-report.ts";
import { DEFAULT_TRAIN, logits, type TrainOptions, train } from "./lib/router-train.ts";

const slice = process.argv[2] ?? "own-short-asks";
const file = corpusFiles().find((f) => f.endsWith(`${slice}.jsonl`));
if (!file) throw new Error(`no corpus file for slice ${slice}`);
const items = loadCorpus();
const examples = items.map((it) => ({ x: extractFeatures(it.view, DEFAULT_FEATURE_SPEC), label: it.label }));

// The group of an item: the smallest id among it and its pair (pairs point at the group's first item).
const pairOf = new Map<string, string>();
for (const line of readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim())) {
  const raw = JSON.parse(line) as { id: string; pair?: string };
  pairOf.set(raw.id, raw.pair && raw.pair < raw.id ? raw.pair : raw.id);
}
const groups = [...new Set(pairOf.values())].sort();
const half = (id: string) => groups.indexOf(pairOf.get(id)!) % 2;

function run(opts: TrainOptions, withOtherHalf: boolean): Decision[] {
  const heldLogits: number[][] = [];
  const heldItems: typeof items = [];
  for (const h of [0, 1]) {
    const trainSet = examples.filter((_, i) => items[i].slice !== slice || (withOtherHalf && half(items[i].id) !== h));
    const model = train(trainSet, opts);
    items.forEach((it, i) => {
      if (it.slice === slice && half(it.id) === h) heldItems.push(it), heldLogits.push(logits(model, examples[i].x));
    });
  }
  return decisionsOf(heldItems, heldLogits, 1);
}

const opts = { ...DEFAULT_TRAIN, ...(process.argv[3] ? { labelWeight: process.argv[3].split(",").map(Number) } : {}) };
for (const withOther of [false, true]) {
  const f = figures(run(opts, withOther));
  const u = f.underRouting;
  console.log(
    `${slice}, ${withOther ? "trained with its other half" : "trained without it"}: ${f.exact.percent}% exact (en ${f.byLanguage.en?.percent}%, zh ${f.byLanguage.zh?.percent}%), t3 → t1 ${u.t3ToT1.percent}%, t3 → t2 ${u.t3ToT2.percent}%, t1 sent higher ${f.overRouting.t1Higher.percent}%`,
  );
}
