/**
 * The learned router's feature vector for one request: dense named features (the hand-made complexity
 * signals and the hand scorer's verdict, and the request shape) followed by hashed text n-grams. The
 * latest user message is read with words and CJK character n-grams; the context around it (the
 * system prompt, earlier user turns, the last assistant and tool messages) with unigrams only, in
 * namespaces of their own, so "continue" after a proof and "continue" after small talk differ.
 */
import { type ChatMessage, type ChatRequest, textOf } from "../../../src/index.ts";
import { assessConversation, type Tuning } from "../complexity/score.ts";
import { SIGNAL_NAMES } from "../complexity/signals.ts";
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from "../complexity/weights.ts";
import { SHAPE_NAMES, shapeFeatures } from "./shape.ts";
import { addGrams, type GramSpec, type Grams } from "./text-features.ts";

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
}

export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  latest: { words: 1, chars: 3 },
  context: { words: 1, chars: 2 },
  contextChars: 1500,
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
const SIGNAL_READ = { head: 1000, tail: 600 };
/** The same for the latest message's grams (0.03 ms per 1,000 characters). */
const GRAM_READ = { head: 2500, tail: 1000 };

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

function denseValues(view: RequestView): Map<number, number> {
  const out = new Map<number, number>();
  const put = (name: string, v: number) => {
    if (v !== 0 && Number.isFinite(v)) out.set(DENSE_INDEX.get(name)!, v);
  };
  const hand = assessConversation(headAndTail(view.text, SIGNAL_READ), view.messages, HAND_TUNING);
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
  const names: (() => string)[] = [];
  for (const [i, v] of denseValues(view)) {
    index.push(i);
    value.push(v);
    names.push(() => DENSE_NAMES[i]);
  }
  const ctx = spec.context.words > 0 ? contextTexts(view.messages, spec.contextChars) : {};
  const groups: [string, string, GramSpec][] = [
    ["u", headAndTail(view.text, GRAM_READ), spec.latest],
    ...Object.entries(ctx).map(([ns, text]): [string, string, GramSpec] => [ns, text, spec.context]),
  ];
  const at = new Map<number, number>();
  for (const [ns, text, gramSpec] of groups) {
    const grams: Grams = new Map();
    addGrams(text, ns, gramSpec, grams);
    if (grams.size === 0) continue;
    const weight = 1 / Math.sqrt(grams.size);
    for (const [bucket, name] of grams) {
      const i = DENSE_NAMES.length + bucket;
      const seen = at.get(i);
      if (seen !== undefined) {
        value[seen] += weight; // the same bucket from two namespaces (a collision): it carries both
        continue;
      }
      at.set(i, index.length);
      index.push(i);
      value.push(weight);
      names.push(name);
    }
  }
  return { index, value, nameOf: (i) => names[i]() };
}
