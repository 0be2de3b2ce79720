/**
 * The learned router's feature vector for one request: dense named features (the hand-made complexity
 * signals and the hand scorer's verdict, and the request shape) followed by hashed text n-grams. The
 * latest user message is read with words and CJK character n-grams; the context around it (the
 * system prompt, earlier user turns, the last assistant and tool messages) with unigrams only, in
 * namespaces of their own, so "continue" after a proof and "continue" after small talk differ.
 */
import { type ChatMessage, type ChatRequest, textOf } from "../../../src/index.ts";
import { messageFeatures } from "../complexity/features.ts";
import { assessConversation, type Tuning } from "../complexity/score.ts";
import { SIGNAL_NAMES } from "../complexity/signals.ts";
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from "../complexity/weights.ts";
import { SHAPE_NAMES, shapeFeatures } from "./shape.ts";
import { addGrams, type GramSpec, Grams } from "./text-features.ts";

const HAND_TUNING: Tuning = { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS };
/** The rules of the hand scorer, each a feature when it set the level. */
const HAND_RULES = [
  "school-level math",
  "code",
  "evidence of work",
  "tool loop",
  "continues the earlier work",
  "follow-up to earlier work",
] as const;

export const DENSE_NAMES: readonly string[] = [
  ...SIGNAL_NAMES.map((n) => `signal:${n}`),
  "hand:t1",
  "hand:t2",
  "hand:t3",
  "hand:score",
  ...HAND_RULES.map((r) => `rule:${r}`),
  ...SHAPE_NAMES.map((n) => `shape:${n}`),
];
const DENSE_INDEX = new Map(DENSE_NAMES.map((n, i) => [n, i]));

/** Which text evidence to extract; the trainer compares settings, the model file records the one it used. */
export interface FeatureSpec {
  /** Grams of the latest user message. */
  latest: GramSpec;
  /** Grams of the context (system prompt, earlier user turns, last assistant and tool messages); 0 words: none. */
  context: GramSpec;
  /** Characters of each context message read (its start). */
  contextChars: number;
  /**
   * Grams of the latest message's first and last this many characters, in namespaces of their own: the
   * ask sits at one end of a paste, and "translate" there means more than "translate" inside it. 0: none.
   */
  ends?: number;
  /** Grams of the instruction alone (the message without fenced code, quotes and pasted material the ask points at). */
  instruction?: boolean;
  /** Grams are scaled by 1/sqrt(max(count, normFloor)), so the few words of a very short message do not each weigh like a sentence. */
  normFloor?: number;
  /**
   * In an agent turn (tools offered, or a tool result last), the latest message's grams again in a namespace
   * of their own: "find out why" over a goroutine dump is not the same ask as in plain chat, and a linear
   * model sees that only when the words and the shape meet in one feature.
   */
  agentLatest?: boolean;
  /** Grams of the latest assistant tool calls' names and arguments (what the agent already did), this many characters. 0: none. */
  toolCallChars?: number;
  /**
   * A latest message shorter than this many characters has its grams again in a namespace of their own: in
   * a one-liner "is that ok?" carries the whole ask, in a long message it is filler. 0: none.
   */
  shortLatest?: number;
}

export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  latest: { words: 2, chars: 3 },
  context: { words: 1, chars: 2 },
  contextChars: 1500,
  instruction: true,
  normFloor: 16,
};

/** What the extractor reads: the classifier view of the request, and its body for the shape. */
export interface RequestView {
  text: string;
  messages: readonly ChatMessage[];
  body: ChatRequest;
}

/** A sparse vector: `index[i]` has `value[i]`; dense features first, gram buckets after them. `nameOf(i)` says what each is. */
export interface FeatureVector {
  index: number[];
  value: number[];
  nameOf: (i: number) => string;
}

/**
 * How much of a long latest message the hand-made signals read: its start and its end, where the ask
 * sits (a paste in between counts through the size features). Their cue patterns cost about 0.13 ms per
 * 1,000 characters.
 */
const SIGNAL_READ = { head: 600, tail: 300 };
/** The same for the latest message's grams (0.03 ms per 1,000 characters). */
const GRAM_READ = { head: 1500, tail: 600 };

function headAndTail(text: string, read: { head: number; tail: number }): string {
  if (text.length <= read.head + read.tail) return text;
  return `${text.slice(0, read.head)}\n\n${text.slice(-read.tail)}`;
}

/** How many user turns before the latest one are read as context. */
const CONTEXT_TURNS = 3;

function contextTexts(messages: readonly ChatMessage[], maxChars: number): Record<string, string> {
  const parts: Record<string, string[]> = { s: [], h: [], a: [], r: [] };
  let latestSeen = false;
  let turns = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    const text = textOf(m.content).slice(0, maxChars);
    if (m.role === "system" || m.role === "developer") parts.s.push(text);
    else if (m.role === "user") {
      if (latestSeen && turns < CONTEXT_TURNS) parts.h.push(text), turns++;
      latestSeen = true;
    } else if (m.role === "assistant" && parts.a.length === 0) parts.a.push(text);
    else if ((m.role === "tool" || m.role === "function") && parts.r.length === 0) parts.r.push(text);
  }
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.join("\n")]));
}

/** Tools offered, or a tool result as the last message: the request is a step of an agent loop. */
function isAgentTurn(view: RequestView): boolean {
  const last = view.messages[view.messages.length - 1];
  return (
    (Array.isArray(view.body.tools) && view.body.tools.length > 0) || last?.role === "tool" || last?.role === "function"
  );
}

/** The names and arguments of the latest assistant message's tool calls ("" when it made none). */
function toolCallText(messages: readonly ChatMessage[], maxChars: number): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== "assistant") continue;
    if (!Array.isArray(m.tool_calls)) return "";
    return m.tool_calls
      .map((c) => `${c?.function?.name ?? ""} ${String(c?.function?.arguments ?? "")}`)
      .join("\n")
      .slice(0, maxChars);
  }
  return "";
}

function denseValues(view: RequestView, signalText: string): Map<number, number> {
  const out = new Map<number, number>();
  const put = (name: string, v: number) => {
    if (v !== 0 && Number.isFinite(v)) out.set(DENSE_INDEX.get(name)!, v);
  };
  const hand = assessConversation(signalText, view.messages, HAND_TUNING);
  // Counts are compressed: a sixth numbered step says less than the first.
  for (const n of SIGNAL_NAMES)
    put(`signal:${n}`, Math.sign(hand.signals[n]) * Math.log2(1 + Math.abs(hand.signals[n])));
  put(`hand:t${hand.level}`, 1);
  put("hand:score", Math.max(-3, Math.min(8, hand.score)) / 4);
  if (hand.rule) put(`rule:${hand.rule}`, 1);
  const shape = shapeFeatures(view.body, view.text);
  for (const n of SHAPE_NAMES) put(`shape:${n}`, shape[n]);
  return out;
}

/**
 * Extracts the features of one request. Grams are 0/1, scaled by 1/sqrt(number of grams) per namespace
 * so a long paste does not outvote its instruction by sheer count of words.
 */
export function extractFeatures(view: RequestView, spec: FeatureSpec = DEFAULT_FEATURE_SPEC): FeatureVector {
  const index: number[] = [];
  const value: number[] = [];
  const signalText = headAndTail(view.text, SIGNAL_READ);
  for (const [i, v] of denseValues(view, signalText)) {
    index.push(i);
    value.push(v);
  }
  const dense = index.length;
  const latest = headAndTail(view.text, GRAM_READ);
  const texts: [string, string, GramSpec][] = [["u", latest, spec.latest]];
  if (spec.ends && latest.length > spec.ends)
    texts.push(["b", latest.slice(0, spec.ends), spec.latest], ["e", latest.slice(-spec.ends), spec.latest]);
  if (spec.instruction) texts.push(["i", messageFeatures(signalText).instruction, spec.latest]);
  if (spec.context.words > 0)
    for (const [ns, text] of Object.entries(contextTexts(view.messages, spec.contextChars)))
      texts.push([ns, text, spec.context]);
  if (spec.agentLatest && isAgentTurn(view)) texts.push(["g", latest, spec.latest]);
  if (spec.shortLatest && view.text.length < spec.shortLatest) texts.push(["q", latest, spec.latest]);
  if (spec.toolCallChars) texts.push(["c", toolCallText(view.messages, spec.toolCallChars), spec.context]);
  // Two namespaces may share a bucket (a collision): the entries then simply add up in the logits.
  const groups: Grams[] = [];
  for (const [ns, text, gramSpec] of texts) {
    const grams = new Grams(ns);
    addGrams(text, gramSpec, grams);
    if (grams.size === 0) continue;
    groups.push(grams);
    const weight = 1 / Math.sqrt(Math.max(grams.size, spec.normFloor ?? 1));
    for (const bucket of grams.buckets) {
      index.push(DENSE_NAMES.length + bucket);
      value.push(weight);
    }
  }
  const nameOf = (i: number): string => {
    if (i < dense) return DENSE_NAMES[index[i]];
    let at = i - dense;
    for (const g of groups) {
      if (at < g.size) return g.name(at);
      at -= g.size;
    }
    return "";
  };
  return { index, value, nameOf };
}
