/**
 * Trains the learned router and re-evaluates it: `npm run train:router` (bun scripts/train-router.ts).
 *
 *   1. reads the corpus (../shared/data/routing-train-*.jsonl when present, datasets/routing/*.jsonl always;
 *      never routing-dev.jsonl),
 *   2. leave-one-slice-out cross-validation: each slice predicted by a model trained on the others,
 *   3. fits the temperature on those held-out predictions (calibration),
 *   4. trains on the whole corpus with the seed and writes plugins/classifiers/learned/router-model.json,
 *   5. writes scripts/results/router-eval.json and router-eval.md: slice-CV, dev set, calibration, bias and
 *      abstain tables, the hand-tuned scorer beside it.
 *
 * `--seed N` changes the seed; `--out PATH` writes the model elsewhere (the determinism check).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { assessConversation } from "../plugins/classifiers/complexity/score.ts";
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from "../plugins/classifiers/complexity/weights.ts";
import { DEFAULT_FEATURE_SPEC, extractFeatures } from "../plugins/classifiers/learned/features.ts";
import { loadModel, type ModelFile } from "../plugins/classifiers/learned/model.ts";
import { route } from "../plugins/classifiers/learned/router.ts";
import { type CorpusItem, corpusFiles, loadCorpus, loadDevSet } from "./lib/router-data.ts";
import { abstainTable, biasTable, decisionsOf, type EvalSummary, markdown } from "./lib/router-eval.ts";
import { type Decision, figures, reliability } from "./lib/router-report.ts";
import { DEFAULT_TRAIN, fitTemperature, serialize, sliceCrossValidation, train } from "./lib/router-train.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MODEL_PATH = fileURLToPath(new URL("../plugins/classifiers/learned/router-model.json", import.meta.url));
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

/** Log-odds per tier step of the named bias settings (chosen from the bias table: see README). */
export const BIAS_PRESETS = { quality: 0.5, balanced: 0, savings: -0.5 };

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The model file's text: compact JSON (the file is data, not read by people; the format is in model.ts). */
export function modelText(file: ModelFile): string {
  return `${JSON.stringify(file)}\n`;
}

export function examplesOf(items: readonly CorpusItem[]) {
  return items.map((it) => ({ x: extractFeatures(it.view, DEFAULT_FEATURE_SPEC), label: it.label }));
}

function handDecisions(items: readonly CorpusItem[]): Decision[] {
  const tuning = { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS };
  return items.map((it) => ({
    id: it.id,
    lang: it.lang,
    slice: it.slice,
    label: it.label,
    predicted: assessConversation(it.view.text, it.view.messages, tuning).level - 1,
    confidence: 1,
  }));
}

async function main() {
  const seed = Number(argValue("--seed") ?? DEFAULT_TRAIN.seed);
  const out = argValue("--out") ?? MODEL_PATH;
  const files = corpusFiles();
  const items = loadCorpus(files);
  const opts = { ...DEFAULT_TRAIN, seed };
  console.log(`corpus: ${items.length} items from ${files.length} files`);
  const examples = examplesOf(items);
  const t0 = performance.now();
  const heldOut = sliceCrossValidation(
    examples,
    items.map((i) => i.slice),
    opts,
  );
  const temperature = fitTemperature(
    heldOut,
    items.map((i) => i.label),
  );
  const cv = decisionsOf(items, heldOut, temperature);
  const cvFigures = figures(cv);
  console.log(
    `slice-CV: ${cvFigures.exact.percent}% exact, t3 → t1 ${cvFigures.underRouting.t3ToT1.percent}%, temperature ${temperature} (${Math.round(performance.now() - t0)} ms)`,
  );

  const model = train(examples, opts);
  const file = serialize(model, {
    seed,
    spec: DEFAULT_FEATURE_SPEC,
    temperature,
    biasPresets: BIAS_PRESETS,
    heldOut: {
      sliceCvExact: cvFigures.exact.percent,
      items: items.length,
      trainedOn: files.map((f) => relative(ROOT, f)),
    },
  });
  const text = modelText(file);
  writeFileSync(out, text);
  const sha256 = createHash("sha256").update(text).digest("hex");
  console.log(
    `model: ${relative(ROOT, out)}, ${(text.length / 1024).toFixed(0)} KiB, ${file.index.length} features, sha256 ${sha256.slice(0, 12)}`,
  );
  if (out !== MODEL_PATH) return; // a determinism check: no results

  // The dev set, through the same code the classifier runs, on the model as written (rounded weights).
  const loaded = loadModel(JSON.parse(text) as ModelFile);
  const devItems = loadDevSet();
  const dev = devItems.map((it): Decision => {
    const d = route(loaded, it.view, 0);
    return { id: it.id, lang: it.lang, slice: it.slice, label: it.label, predicted: d.level, confidence: d.confidence };
  });
  const summary: EvalSummary = {
    sliceCv: cvFigures,
    dev: dev.length ? figures(dev) : undefined,
    calibration: reliability(cv),
    bias: biasTable(items, heldOut, temperature, { ...BIAS_PRESETS, "+1": 1, "+2": 2, "-1": -1 }),
    abstain: abstainTable(cv),
    handBaseline: {
      sliceCvCorpus: figures(handDecisions(items)),
      dev: devItems.length ? figures(handDecisions(devItems)) : undefined,
    },
  };
  if (summary.dev)
    console.log(`dev set: ${summary.dev.exact.percent}% exact, t3 → t1 ${summary.dev.underRouting.t3ToT1.percent}%`);
  mkdirSync(RESULTS, { recursive: true });
  const misses = cv
    .filter((d) => d.predicted !== d.label)
    .map((d) => ({ ...d, confidence: Math.round(d.confidence * 100) / 100 }));
  writeFileSync(
    `${RESULTS}router-eval.json`,
    `${JSON.stringify({ model: { path: relative(ROOT, MODEL_PATH), sha256, bytes: text.length, seed, temperature, train: opts }, ...summary, heldOutMistakes: misses, devMistakes: dev.filter((d) => d.predicted !== d.label) }, null, 2)}\n`,
  );
  const header = `Model \`${relative(ROOT, MODEL_PATH)}\` (sha256 ${sha256.slice(0, 12)}, seed ${seed}), trained on ${items.length} items: ${files.map((f) => relative(ROOT, f)).join(", ")}. Temperature ${temperature}. Written by \`npm run train:router\`.`;
  writeFileSync(`${RESULTS}router-eval.md`, markdown(summary, header));
  console.log(`results: scripts/results/router-eval.json, scripts/results/router-eval.md`);
}

if (import.meta.main) await main();
