/**
 * Training the learned router: the same seed gives the same model file byte for byte (on a small subset,
 * to stay fast), and the held-out accuracy recorded at training (leave-one-slice-out cross-validation,
 * scripts/results/router-eval.json) may not drop more than 2 points below the baseline set here. The
 * results must belong to the committed model (its sha256), so a retrained model cannot ship without
 * its re-evaluation, and when ../shared is there one fold is re-run to check the recorded figure is real.
 */
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_FEATURE_SPEC } from "../../../plugins/classifiers/learned/features.ts";
import { corpusFiles, loadCorpus, OWN_DATA_DIR, SHARED_DATA_DIR } from "../../../scripts/lib/router-data.ts";
import { DEFAULT_TRAIN, logits, serialize, train } from "../../../scripts/lib/router-train.ts";
import { examplesOf, modelText } from "../../../scripts/train-router.ts";

/**
 * Slice-CV exact agreement (%) when this baseline was set (issue 13's fifth round: 2,076 items, 13 slices;
 * it was 84.3% on 1,830 items and 83.7% on the first 1,229); lower it only on purpose, with a reason.
 */
const BASELINE_SLICE_CV = 84.4;
const MAX_DROP = 2;

const MODEL = fileURLToPath(new URL("../../../plugins/classifiers/learned/router-model.json", import.meta.url));
const RESULTS = fileURLToPath(new URL("../../../scripts/results/router-eval.json", import.meta.url));

const meta = (seed: number) => ({
  seed,
  spec: DEFAULT_FEATURE_SPEC,
  temperature: 1,
  biasPresets: { quality: 0.5, balanced: 0, savings: -0.5 },
  heldOut: { sliceCvExact: 0, items: 0, trainedOn: [] },
});

describe("router training", () => {
  const small = loadCorpus([`${OWN_DATA_DIR}own-near-miss.jsonl`]).slice(0, 80);
  const examples = examplesOf(small);
  const fast = { ...DEFAULT_TRAIN, epochs: 3 };

  test("the same seed gives a byte-identical model file; another seed a different one", () => {
    const a = modelText(serialize(train(examples, fast), meta(7)));
    const b = modelText(serialize(train(examples, fast), meta(7)));
    const c = modelText(serialize(train(examples, { ...fast, seed: 8 }), meta(8)));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  test("the committed results belong to the committed model", () => {
    const results = JSON.parse(readFileSync(RESULTS, "utf8"));
    const sha = createHash("sha256").update(readFileSync(MODEL, "utf8")).digest("hex");
    expect(results.model.sha256).toBe(sha);
    const file = JSON.parse(readFileSync(MODEL, "utf8"));
    expect(file.heldOut.sliceCvExact).toBe(results.sliceCv.exact.percent);
  });

  test(`held-out (slice-CV) exact agreement stays within ${MAX_DROP} points of ${BASELINE_SLICE_CV}%`, () => {
    const results = JSON.parse(readFileSync(RESULTS, "utf8"));
    expect(results.sliceCv.exact.percent).toBeGreaterThanOrEqual(BASELINE_SLICE_CV - MAX_DROP);
  });

  // One fold re-run with the code as it is now: the recorded figure is what this code does, not a stale number.
  test.skipIf(!existsSync(SHARED_DATA_DIR))(
    "re-running the fold that holds out routing-train-math reproduces the recorded figure",
    () => {
      const results = JSON.parse(readFileSync(RESULTS, "utf8"));
      const items = loadCorpus(corpusFiles());
      const all = examplesOf(items);
      const held = "routing-train-math";
      const model = train(
        all.filter((_, i) => items[i].slice !== held),
        { ...DEFAULT_TRAIN, seed: results.model.seed },
      );
      let right = 0;
      let total = 0;
      all.forEach((e, i) => {
        if (items[i].slice !== held) return;
        const z = logits(model, e.x);
        right += z.indexOf(Math.max(...z)) === e.label ? 1 : 0;
        total++;
      });
      const percent = Math.round((1000 * right) / total) / 10;
      expect(percent).toBeGreaterThanOrEqual(results.sliceCv.bySlice[held].percent - MAX_DROP);
    },
    60_000,
  );
});
