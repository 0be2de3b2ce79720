/**
 * Measures the built-in local classifiers on the labelled dev set (../shared/data/routing-dev.jsonl):
 * the keyword classifier with `defaultKeywordRules`, the complexity scorer, and the two chained
 * (keyword first, as a config would list them). Prints accuracy overall / per language / per tier, the
 * confusion matrix and severe mistakes (a t3 request sent to t1), and writes the figures to
 * scripts/results/classifier-accuracy.json.
 *
 *   bun scripts/classifier-accuracy.ts            (or: npm run classifier-accuracy)
 *   bun scripts/classifier-accuracy.ts --mistakes (also list every misrouted item)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { complexityClassifier, defaultKeywordRules, keywordClassifier } from "../plugins/index.ts";
import type { Classifier } from "../src/index.ts";
import { evaluate, type LabelledItem, loadRoutingSet, offlineContext, type Report, TIERS } from "./lib/routing-eval.ts";

const DATA = new URL("../../shared/data/routing-dev.jsonl", import.meta.url);
const RESULTS = new URL("./results/classifier-accuracy.json", import.meta.url);

function table(name: string, r: Report): string {
  const lines = [
    `== ${name}`,
    `overall   ${r.overall.percent.toFixed(1)}%  (${r.overall.correct}/${r.overall.total})` +
      (r.answered < r.overall.total
        ? `   answered ${r.answered}/${r.overall.total} (the rest got the default tier t1)`
        : ""),
    `language  ${Object.entries(r.byLanguage)
      .map(([k, a]) => `${k} ${a.percent.toFixed(1)}% (${a.correct}/${a.total})`)
      .join("   ")}`,
    `tier      ${TIERS.map((t) => `${t} ${r.byTier[t].percent.toFixed(1)}% (${r.byTier[t].correct}/${r.byTier[t].total})`).join("   ")}`,
    `confusion (rows: label, columns: routed to)`,
    `          ${TIERS.map((t) => t.padStart(4)).join("")}`,
    ...TIERS.map((label) => `      ${label}  ${TIERS.map((p) => String(r.confusion[label][p]).padStart(4)).join("")}`),
    `SEVERE (t3 sent to t1): ${r.severe}`,
  ];
  return lines.join("\n");
}

/** Mean microseconds per classification over the set, and over the item with the most text. */
async function latency(classifier: Classifier, items: readonly LabelledItem[]) {
  const contexts = items.map((i) => offlineContext(i.messages));
  const size = (i: LabelledItem) => i.messages.reduce((n, m) => n + JSON.stringify(m.content ?? "").length, 0);
  const longest = items.reduce((a, b) => (size(b) > size(a) ? b : a));
  const longestCtx = offlineContext(longest.messages);
  for (let i = 0; i < 3; i++) for (const ctx of contexts) await classifier.classify(ctx); // warm up the JIT
  const rounds = 20;
  let t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (const ctx of contexts) await classifier.classify(ctx);
  const meanUs = ((performance.now() - t0) * 1000) / (rounds * contexts.length);
  t0 = performance.now();
  for (let i = 0; i < 1000; i++) await classifier.classify(longestCtx);
  const longestUs = performance.now() - t0; // 1000 runs in ms = µs per run
  return { meanUs: Math.round(meanUs * 10) / 10, longestItem: longest.id, longestUs: Math.round(longestUs * 10) / 10 };
}

async function main() {
  let items: LabelledItem[];
  try {
    items = loadRoutingSet(DATA);
  } catch (error) {
    console.error(`classifier-accuracy: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  const keyword = keywordClassifier({ rules: defaultKeywordRules });
  const complexity = complexityClassifier();
  const runs = { keyword: [keyword], complexity: [complexity], combined: [keyword, complexity] } as const;

  const results: Record<string, Report & { precisionWhenAnswered?: number }> = {};
  for (const [name, chain] of Object.entries(runs)) {
    const report = await evaluate(chain, items);
    results[name] = report;
    const label =
      name === "combined"
        ? "keyword (defaultKeywordRules) then complexity"
        : name === "keyword"
          ? "keyword (defaultKeywordRules)"
          : "complexity";
    console.log(table(label, report));
    if (name === "keyword") {
      const wrongAnswered = report.mistakes.filter((m) => m.reason !== "default tier").length;
      const precision = report.answered
        ? Math.round((1000 * (report.answered - wrongAnswered)) / report.answered) / 10
        : 0;
      results[name].precisionWhenAnswered = precision;
      console.log(`precision when it answers: ${precision}% (${report.answered - wrongAnswered}/${report.answered})`);
    }
    if (process.argv.includes("--mistakes"))
      for (const m of report.mistakes) console.log(`  ${m.id} ${m.lang} ${m.label} → ${m.predicted}: ${m.reason}`);
    console.log("");
  }
  const timing = await latency(complexity, items);
  console.log(
    `complexity latency: ${timing.meanUs} µs per classification on average, ${timing.longestUs} µs on the largest item (${timing.longestItem})`,
  );

  mkdirSync(new URL("./", RESULTS), { recursive: true });
  const out = {
    dataset: "../shared/data/routing-dev.jsonl",
    items: items.length,
    runs: Object.fromEntries(
      Object.entries(results).map(([k, r]) => [
        k,
        { ...r, mistakes: r.mistakes.map((m) => ({ id: m.id, label: m.label, predicted: m.predicted })) },
      ]),
    ),
    complexityLatency: timing,
  };
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`written to ${fileURLToPath(RESULTS)}`);
}

await main();
