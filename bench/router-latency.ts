/**
 * The learned router's cost: model file size, load time (parse + spread into the weight array, in a
 * fresh process so nothing is cached), and classification latency, median and p99, on a 6,000-character
 * prompt in English and in Chinese and on a short one. Writes bench/results/router-latency.json.
 *
 *   bun bench/router-latency.ts
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadModel, type ModelFile } from "../plugins/classifiers/learned/model.ts";
import { complexityClassifier } from "../plugins/index.ts";
import { requestContext } from "../tests/helpers/run-hooks.ts";

const MODEL = fileURLToPath(new URL("../plugins/classifiers/learned/router-model.json", import.meta.url));
const OUT = fileURLToPath(new URL("./results/router-latency.json", import.meta.url));

const t0 = performance.now();
const loaded = loadModel(JSON.parse(readFileSync(MODEL, "utf8")) as ModelFile);
const loadMs = performance.now() - t0;

const en =
  "We run a payments service in Go behind an API gateway; requests fan out to a ledger, a fraud check and a notification worker. ";
const zh = "我们的订单系统在高峰期出现超时，数据库连接池经常被占满，日志里能看到大量重试和锁等待。";
const prompts = {
  "en 6000 chars": `${en.repeat(Math.ceil(6000 / en.length)).slice(0, 5900)}\n\nWhat should we change first, and why?`,
  "zh 6000 chars": `${zh.repeat(Math.ceil(6000 / zh.length)).slice(0, 5950)}\n\n应该先改哪里？为什么？`,
  short: "Translate into French: the train leaves at nine.",
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const classifier = complexityClassifier();
const latency: Record<string, { medianMs: number; p99Ms: number }> = {};
for (const [name, text] of Object.entries(prompts)) {
  const ctx = requestContext({ text });
  for (let i = 0; i < 200; i++) await classifier.classify(ctx); // JIT warm-up
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const s = performance.now();
    await classifier.classify(ctx);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  latency[name] = {
    medianMs: Math.round(percentile(times, 0.5) * 1000) / 1000,
    p99Ms: Math.round(percentile(times, 0.99) * 1000) / 1000,
  };
}
const result = {
  modelBytes: statSync(MODEL).size,
  features: loaded.file.index.length,
  loadMs: Math.round(loadMs * 10) / 10,
  latency,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
