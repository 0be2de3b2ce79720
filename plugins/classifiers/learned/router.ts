/**
 * The learned router as the complexity classifier uses it: features, the model, the bias, the
 * context-window rule, and the reason string. Kept apart from the plugin so the evaluation runs exactly
 * this code on every held-out item.
 */
import { SIGNAL_LABELS } from "../complexity/weights.ts";
import { extractFeatures, type RequestView } from "./features.ts";
import { decide, type LoadedModel, logitsOf, softmax, topContributions } from "./model.ts";
import { scriptCounts, totalChars } from "./shape.ts";

export type Bias = "quality" | "balanced" | "savings" | number;

export interface RouterDecision {
  /** 0: t1, 1: t2, 2: t3. */
  level: number;
  /** The calibrated probability of the chosen tier. */
  confidence: number;
  probabilities: number[];
  reason: string;
}

export function biasValue(model: LoadedModel, bias: Bias = "balanced"): number {
  return typeof bias === "number" ? bias : model.file.biasPresets[bias];
}

const SHAPE_LABELS: Record<string, string> = {
  toolsOffered: "tools offered",
  toolCount: "number of tools",
  lastIsTool: "tool result last",
  toolMessages: "tool results",
  toolCalls: "tool calls",
  effortLow: "reasoning_effort low",
  effortMedium: "reasoning_effort medium",
  effortHigh: "reasoning_effort high",
  thinking: "thinking requested",
  images: "images",
  contextSize: "context size",
  userTurns: "earlier turns",
  hasSystem: "system prompt",
  structuredOutput: "structured output",
  chineseShare: "Chinese text",
};
const CONTEXT_NS: Record<string, string> = {
  s: "system",
  h: "earlier turn",
  a: "assistant",
  r: "tool result",
  b: "opening",
  e: "closing",
  i: "ask",
};

/** A feature's name as a person reads it: a signal's label, a request-shape fact, or the quoted word. */
export function featureLabel(name: string): string {
  const [kind, rest] = [name.slice(0, name.indexOf(":")), name.slice(name.indexOf(":") + 1)];
  if (kind === "signal") return SIGNAL_LABELS[rest as keyof typeof SIGNAL_LABELS] ?? rest;
  if (kind === "shape") return SHAPE_LABELS[rest] ?? rest;
  if (kind === "hand") return rest === "score" ? "hand score" : `hand scorer ${rest}`;
  if (kind === "rule") return `rule: ${rest}`;
  if (kind === "u") return `"${rest}"`;
  return `${CONTEXT_NS[kind] ?? kind} "${rest}"`;
}

/** Classifies one request view with the model (no context-window rule: see `windowFloor`). */
export function route(model: LoadedModel, view: RequestView, bias: number): RouterDecision {
  const x = extractFeatures(view, model.file.spec);
  const p = softmax(logitsOf(model, x), model.file.temperature);
  const level = decide(p, bias);
  const top = topContributions(model, x, level);
  const named = top.map((c) => `${featureLabel(c.name)} +${c.effect.toFixed(1)}`).join(", ");
  const reason = `learned t${level + 1} p=${p[level].toFixed(2)}${named ? `: ${named}` : ""}`;
  return { level, confidence: p[level], probabilities: p, reason };
}

/**
 * A deliberately high estimate of the request's tokens: about 4 characters a token for Latin text and
 * 1 for Chinese, the Chinese share read on the bounded latest message and applied to the whole body.
 * High on purpose: the rule it feeds must never send a request to a window it overflows.
 */
export function estimateTokens(view: RequestView): number {
  const sample = Math.min(view.text.length, 4000);
  const share = sample ? scriptCounts(view.text).cjk / sample : 0;
  return Math.ceil(totalChars(view.body) * (share + (1 - share) / 4));
}

/** The lowest level (0, 1, 2) whose declared window holds `tokens`; a level without a window holds any size. */
export function windowFloor(tokens: number, windows: readonly (number | undefined)[]): number {
  for (let k = 0; k < windows.length; k++) if (windows[k] === undefined || tokens <= windows[k]!) return k;
  return windows.length - 1;
}
