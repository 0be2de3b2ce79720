/**
 * Measures classifiers on a labelled routing set (../shared/data/routing-dev.jsonl): accuracy overall,
 * per language and per tier, the confusion matrix, and severe mistakes (a t3 request sent to t1).
 * Shared by scripts/classifier-accuracy.ts and the accuracy test, so both report the same figures.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ChatMessage, type Classifier, classifierView, type RequestContext } from "../../src/index.ts";

export const TIERS = ["t1", "t2", "t3"] as const;
export type Tier = (typeof TIERS)[number];

export interface LabelledItem {
  id: string;
  lang: string;
  tier: Tier;
  messages: ChatMessage[];
  note?: string;
}

/** The dev set, next to the repository: <repo>/../shared/data/routing-dev.jsonl. */
export const DEV_SET_URL = new URL("../../../shared/data/routing-dev.jsonl", import.meta.url);

/** Reads a JSON Lines routing set; fails with a message saying where it looked. */
export function loadRoutingSet(url: URL = DEV_SET_URL): LabelledItem[] {
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(
      `routing set not found at ${path}: the repository's parent directory must hold shared/data/routing-dev.jsonl`,
    );
  }
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const item = JSON.parse(line) as LabelledItem;
      if (!TIERS.includes(item.tier) || !Array.isArray(item.messages))
        throw new Error(`${path}:${i + 1}: not a labelled routing item`);
      return item;
    });
}

/** A request context for an offline run: fixed clock, fixed randomness, silent log, no model to ask, all targets healthy. */
export function offlineContext(messages: ChatMessage[]): RequestContext {
  const now = Date.UTC(2025, 0, 15, 12);
  return {
    id: "eval",
    body: { model: "auto", messages },
    ...classifierView(messages),
    requestedModel: "auto",
    clock: { now: () => now, localTime: () => "12:00", sleep: () => Promise.resolve(), setTimer: () => () => {} },
    random: () => 0.5,
    log: { info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
    complete: () => Promise.reject(new Error("no model in an offline evaluation")),
    health: () => ({ score: 100, state: "closed", availability: "ready", errorRate: 0, attemptsInWindow: 0 }),
    usage: { recentUses: () => 0, recentPicks: () => [] },
    tiers: ["t1", "t2", "t3"],
    memory: { get: () => undefined, set() {} },
    cache: { get: async () => undefined, set() {} },
    client: {},
  };
}

/** Runs classifiers in order, as the pipeline does: the first answer wins; none gives `defaultTier`. */
export async function classifyChain(chain: readonly Classifier[], messages: ChatMessage[], defaultTier = "t1") {
  const ctx = offlineContext(messages);
  for (const c of chain) {
    const verdict = await c.classify(ctx);
    if (verdict) return { tier: verdict.tier, reason: verdict.reason, answered: true };
  }
  return { tier: defaultTier, reason: "default tier", answered: false };
}

export interface Accuracy {
  correct: number;
  total: number;
  /** Percentage, one decimal. */
  percent: number;
}

export interface Report {
  overall: Accuracy;
  byLanguage: Record<string, Accuracy>;
  byTier: Record<Tier, Accuracy>;
  /** confusion[label][predicted] = count. */
  confusion: Record<Tier, Record<Tier, number>>;
  /** t3 requests sent to t1. */
  severe: number;
  /** Items a classifier of the chain answered (the rest got the default tier). */
  answered: number;
  mistakes: { id: string; lang: string; label: Tier; predicted: string; reason: string }[];
}

const pct = (correct: number, total: number): Accuracy => ({
  correct,
  total,
  percent: total ? Math.round((1000 * correct) / total) / 10 : 0,
});

/** Classifies every item with `chain` and tallies the figures. */
export async function evaluate(chain: readonly Classifier[], items: readonly LabelledItem[]): Promise<Report> {
  const confusion = Object.fromEntries(
    TIERS.map((t) => [t, Object.fromEntries(TIERS.map((p) => [p, 0]))]),
  ) as Report["confusion"];
  const lang: Record<string, [number, number]> = {};
  const tier = Object.fromEntries(TIERS.map((t) => [t, [0, 0]])) as Record<Tier, [number, number]>;
  const mistakes: Report["mistakes"] = [];
  let correct = 0;
  let answered = 0;
  for (const item of items) {
    const verdict = await classifyChain(chain, item.messages);
    if (verdict.answered) answered++;
    const ok = verdict.tier === item.tier;
    if (ok) correct++;
    else
      mistakes.push({
        id: item.id,
        lang: item.lang,
        label: item.tier,
        predicted: verdict.tier,
        reason: verdict.reason,
      });
    if ((TIERS as readonly string[]).includes(verdict.tier)) confusion[item.tier][verdict.tier as Tier]++;
    lang[item.lang] ??= [0, 0];
    lang[item.lang][0] += ok ? 1 : 0;
    lang[item.lang][1]++;
    tier[item.tier][0] += ok ? 1 : 0;
    tier[item.tier][1]++;
  }
  return {
    overall: pct(correct, items.length),
    byLanguage: Object.fromEntries(Object.entries(lang).map(([k, [c, n]]) => [k, pct(c, n)])),
    byTier: Object.fromEntries(TIERS.map((t) => [t, pct(tier[t][0], tier[t][1])])) as Record<Tier, Accuracy>,
    confusion,
    severe: confusion.t3.t1,
    answered,
    mistakes,
  };
}
