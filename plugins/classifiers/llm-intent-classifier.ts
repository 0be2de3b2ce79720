import {
  type ChatMessage,
  type Classifier,
  definePlugin,
  type RequestContext,
  type Static,
  Type,
  type Verdict,
} from "../../src/index.ts";
import { messageText } from "./needles.ts";

/**
 * The default prompt: tier definitions in English (small models follow English instructions best, and
 * the definitions say the messages may be in another language), then the conversation, then the
 * answer format. `{history}` becomes one "User: …" line per recent user message, oldest first.
 */
export const DEFAULT_INTENT_PROMPT = `You route chat requests to one of three model tiers. Below are the user's most recent messages, oldest first. They may be in any language (often Chinese or English). Decide which tier the LAST message needs.

t1 = cheap and fast: greetings, small talk, thanks, light role-play, one fact, yes/no questions, unit conversions, one-line definitions, translating, rewriting or summarising a short text, finding one detail in pasted text.
t2 = capable: writing, explaining or fixing ordinary code, SQL or config files; emails, essays and stories; explaining standard concepts; small data analyses; school-level math and textbook proofs; a single tool call (search the web, read a file); extracting structured data from a text.
t3 = frontier: long chains of reasoning where weaker models go wrong: competition math and real proofs, system or architecture design with trade-offs, subtle concurrency or distributed-systems bugs, security audits, high-stakes medical, legal or financial analysis, multi-step agentic jobs (research, then write, then ...), large refactors and migrations.

Judge the work the last message asks for, read in the context of the earlier ones: "continue" in the middle of a hard proof is t3, "thanks, that fixed it" is t1. Length and words such as "architecture", "design", "prove", 架构, 证明 do not decide the tier on their own.

Messages:
{history}

Answer with exactly one word: t1, t2 or t3.`;

const Options = Type.Object(
  {
    model: Type.String({
      minLength: 1,
      description: 'the model to ask, "provider/model" (a provider of this config); a small, fast one',
    }),
    prompt: Type.Optional(
      Type.String({
        pattern: "\\{history\\}",
        description:
          'prompt template; {history} is replaced by the recent user messages, one "User: ..." line each (default: DEFAULT_INTENT_PROMPT)',
      }),
    ),
    timeoutMs: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "budget for the model's answer; past it the next classifier decides (default 3000)",
      }),
    ),
    history: Type.Optional(
      Type.Integer({ minimum: 1, description: "how many of the latest user messages the model sees (default 3)" }),
    ),
    maxChars: Type.Optional(
      Type.Integer({
        minimum: 20,
        description: "each message is cut to this many characters, keeping its start and its end (default 800)",
      }),
    ),
    cacheTtlMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: "how long an answer is reused for the same messages; 0 disables the cache (default 60000)",
      }),
    ),
    cacheSize: Type.Optional(
      Type.Integer({ minimum: 1, description: "most answers kept; the least recently used go first (default 1000)" }),
    ),
    tiers: Type.Optional(
      Type.Object(
        {
          t1: Type.Optional(
            Type.String({ minLength: 1, description: 'config tier for the answer "t1" (default "t1")' }),
          ),
          t2: Type.Optional(
            Type.String({ minLength: 1, description: 'config tier for the answer "t2" (default "t2")' }),
          ),
          t3: Type.Optional(
            Type.String({ minLength: 1, description: 'config tier for the answer "t3" (default "t3")' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type LlmIntentClassifierOptions = Static<typeof Options>;
type TierLabel = "t1" | "t2" | "t3";

const TRUNCATED = " …(truncated)… ";

/**
 * Cuts `text` to at most `max` characters, keeping its start and its end: an instruction usually sits
 * before or after the material it is about ("translate the notice below", "…summarise this").
 */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - TRUNCATED.length);
  const head = Math.ceil((room * 2) / 3);
  return text.slice(0, head) + TRUNCATED + text.slice(text.length - (room - head));
}

/** The `{history}` text: the last `count` user messages, oldest first, one "User: …" line each. */
function historyLines(messages: readonly ChatMessage[], count: number, maxChars: number): string {
  const lines: string[] = [];
  for (let i = messages.length - 1; i >= 0 && lines.length < count; i--) {
    if (messages[i].role !== "user") continue;
    lines.push(
      `User: ${cutText(
        messageText(messages[i])
          .replace(/\s*\n\s*/g, " ")
          .trim(),
        maxChars,
      )}`,
    );
  }
  return lines.reverse().join("\n");
}

/** The first standalone t1/t2/t3 label: "t2", "T3", "tier 2", "Tier: 1", or JSON such as {"tier":"t2"} / {"tier":2}. */
const LABEL = /(?<![a-z0-9_])t(?:ier)?[\s_:-]*([123])(?![a-z0-9_])/i;
const JSON_OBJECT = /\{[^{}]*\}/;

/** Reads a tier label from a model's answer, or undefined when there is none. */
export function parseTierAnswer(answer: string): TierLabel | undefined {
  const json = JSON_OBJECT.exec(answer); // non-global: exec keeps no state
  if (json) {
    try {
      const value = (JSON.parse(json[0]) as { tier?: unknown }).tier;
      if (typeof value === "number" && (value === 1 || value === 2 || value === 3)) return `t${value}`;
      if (typeof value === "string") {
        const hit = LABEL.exec(value) ?? /^\s*([123])\s*$/.exec(value);
        if (hit) return `t${hit[1]}` as TierLabel;
      }
    } catch {
      // not JSON after all: read it as text below
    }
  }
  const hit = LABEL.exec(answer);
  return hit ? (`t${hit[1]}` as TierLabel) : undefined;
}

/** cyrb53: a fast 53-bit string hash, enough to key a cache of a thousand entries. */
function fingerprint(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A small LRU cache of answers with an expiry time, read with the request's clock. */
class AnswerCache {
  private readonly entries = new Map<number, { label: TierLabel; expiresAt: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly size: number,
  ) {}

  get(key: number, now: number): TierLabel | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.label;
  }

  set(key: number, label: TierLabel, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { label, expiresAt: now + this.ttlMs });
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as number);
  }
}

/**
 * Asks a small model which tier the request needs: the prompt (`DEFAULT_INTENT_PROMPT` unless given)
 * with `{history}` filled with the last `history` user messages, each cut to `maxChars`, sent through
 * `ctx.complete` with `max_tokens: 10, temperature: 0` under `timeoutMs`. A timeout, an error or an
 * answer without a t1/t2/t3 label is no answer (logged at warn, without the prompt): the next
 * classifier decides, the request never fails because of it. Answers are cached for `cacheTtlMs` by a
 * fingerprint of the model and the filled prompt, and in a cluster shared with the other processes
 * through `ctx.cache` (Redis), so one question is asked once for the whole cluster.
 */
export function llmIntentClassifier(options: LlmIntentClassifierOptions): Classifier<LlmIntentClassifierOptions> {
  const plugin = definePlugin({ name: "builtin:llm-intent", options, schema: Options, classify });
  const template = options.prompt ?? DEFAULT_INTENT_PROMPT;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const history = options.history ?? 3;
  const maxChars = options.maxChars ?? 800;
  const cacheTtlMs = options.cacheTtlMs ?? 60_000;
  const cache = new AnswerCache(cacheTtlMs, options.cacheSize ?? 1_000);
  const names: Record<TierLabel, string> = {
    t1: options.tiers?.t1 ?? "t1",
    t2: options.tiers?.t2 ?? "t2",
    t3: options.tiers?.t3 ?? "t3",
  };

  async function classify(ctx: RequestContext): Promise<Verdict | undefined> {
    const lines = historyLines(ctx.messages, history, maxChars);
    if (lines === "") return undefined;
    // split/join, not replace(): a "$&" in the user's text must stay as it is.
    const prompt = template.split("{history}").join(lines);
    const key = fingerprint(`${options.model}\u0000${prompt}`);
    const cached = cache.get(key, ctx.clock.now());
    if (cached) return { tier: names[cached], reason: `${options.model} said ${cached} (cached)` };
    // In a cluster, another process may have asked already.
    const sharedKey = `llm-intent:${key}`;
    const shared = cacheTtlMs > 0 ? parseTierAnswer((await ctx.cache.get(sharedKey)) ?? "") : undefined;
    if (shared) {
      cache.set(key, shared, ctx.clock.now());
      return { tier: names[shared], reason: `${options.model} said ${shared} (cached by the cluster)` };
    }

    const started = ctx.clock.now();
    let answer: string;
    try {
      const reply = await ctx.complete(
        { model: options.model, messages: [{ role: "user", content: prompt }], max_tokens: 10, temperature: 0 },
        { timeoutMs },
      );
      answer = reply.text;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.warn("llm intent classifier: no answer, the next classifier decides", {
        model: options.model,
        error: message.slice(0, 200),
        elapsedMs: ctx.clock.now() - started,
      });
      return undefined;
    }
    const label = parseTierAnswer(answer);
    if (!label) {
      ctx.log.warn("llm intent classifier: the answer has no tier label, the next classifier decides", {
        model: options.model,
        answerChars: answer.length,
      });
      return undefined;
    }
    cache.set(key, label, ctx.clock.now());
    if (cacheTtlMs > 0) ctx.cache.set(sharedKey, label, cacheTtlMs);
    return { tier: names[label], reason: `${options.model} said ${label}` };
  }
  return plugin;
}
