/**
 * Drives plugin hooks the way the pipeline does (through the real runner in src/plugin/runner.ts), with
 * everything a hook can observe injected: a fixed clock, seeded randomness, a recording logger and a
 * signal that never aborts. Unit tests of plugins use these instead of building contexts by hand.
 */

import type {
  AttemptInfo,
  AttemptOutcome,
  BodyPatch,
  ChatMessage,
  ChatRequest,
  Clock,
  Decision,
  Logger,
  Plugin,
  RequestContext,
  Target,
  Verdict,
} from "../../src/index.ts";
import { applyPatch as applyPipelinePatch } from "../../src/pipeline/adapt.ts";
import { healthView, usageView } from "../../src/pipeline/context-views.ts";
import { classifierView } from "../../src/pipeline/message-text.ts";
import { firstAnswer, firstAnswerAsync } from "../../src/plugin/runner.ts";
import { type HealthRegistry, MemoryHealthRegistry } from "../../src/routing/health.ts";
import { UsageTracker } from "../../src/routing/usage.ts";

/** 2025-01-15T12:00:00Z: the default "now" of a fixed clock. */
export const FIXED_NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export interface FixedClock extends Clock {
  /** Moves `now()` forward (`localTime()` stays fixed). */
  advance(ms: number): void;
}

/**
 * A clock that does not move on its own: `localTime()` is always `at` ("HH:MM"), `now()` starts at
 * `nowMs` and only moves by `advance()` or `sleep()`, which returns at once after advancing the clock.
 */
export function fixedClock(at: string, nowMs: number = FIXED_NOW): FixedClock {
  if (!/^\d\d:\d\d$/.test(at)) throw new Error(`fixedClock: "at" must be "HH:MM", got "${at}"`);
  let now = nowMs;
  return {
    now: () => now,
    localTime: () => at,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      now += ms;
      return Promise.resolve();
    },
    // Hooks never wait on budget timers; a timer of this clock never fires (use VirtualClock for that).
    setTimer: () => () => {},
  };
}

export interface LogEntry {
  level: "info" | "warn" | "error";
  message: string;
  data?: Record<string, unknown>;
}

export interface RecordingLogger extends Logger {
  /** Every message logged, in order. */
  readonly messages: LogEntry[];
}

/** A logger that prints nothing and records every message so tests can assert on them. */
export function silentLogger(): RecordingLogger {
  const messages: LogEntry[] = [];
  const at = (level: LogEntry["level"]) => (message: string, data?: Record<string, unknown>) => {
    messages.push({ level, message, data });
  };
  return { messages, info: at("info"), warn: at("warn"), error: at("error") };
}

/** mulberry32: a tiny seeded PRNG with uniform output in [0, 1). Same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ContextOptions {
  /** `ctx.text`: the latest user text, what classifiers look at. */
  text: string;
  /** Local time "HH:MM" the clock reports (default "12:00"). */
  at?: string;
  /** `ctx.body.messages` (default: one user message whose content is `text`). */
  messages?: ChatMessage[];
  /** The model the client asked for (default "auto"). */
  model?: string;
  nowMs?: number;
  seed?: number;
  log?: Logger;
  /** What `ctx.complete` answers (default: rejects, as with no model to ask). */
  complete?: RequestContext["complete"];
  /** `ctx.cache` (default: holds nothing, as outside a cluster). */
  cache?: RequestContext["cache"];
}

/** A request context as the pipeline builds it, with injected clock, randomness and logger. */
export function requestContext(options: ContextOptions): RequestContext {
  const model = options.model ?? "auto";
  const messages = options.messages ?? [{ role: "user", content: options.text }];
  return {
    id: "req_test",
    body: { model, messages },
    text: options.text,
    messages: classifierView(messages).messages,
    requestedModel: model,
    clock: fixedClock(options.at ?? "12:00", options.nowMs),
    random: seededRandom(options.seed ?? 1),
    log: options.log ?? silentLogger(),
    signal: new AbortController().signal,
    complete: options.complete ?? (async () => Promise.reject(new Error("no model in this test context"))),
    health: () => ({ score: 100, state: "closed", availability: "ready", errorRate: 0, attemptsInWindow: 0 }),
    usage: { recentUses: () => 0, recentPicks: () => [] },
    tiers: ["t1", "t2", "t3"],
    memory: { get: () => undefined, set() {} },
    cache: options.cache ?? { get: async () => undefined, set() {} },
    client: {},
  };
}

/** Runs `plugin`'s classify hook through the real "first answer wins" runner: its verdict, or undefined. */
export async function classifyWith(plugin: Plugin, options: ContextOptions): Promise<Verdict | undefined> {
  const ctx = requestContext(options);
  const answer = await firstAnswerAsync([plugin], "classify", (p) => p.classify?.(ctx), ctx.log);
  return answer?.value;
}

/** A target as config resolution builds it ("provider/model"), with overridable fields. */
export function target(ref: string, extra: Partial<Target> = {}): Target {
  const slash = ref.indexOf("/");
  return {
    ref,
    provider: ref.slice(0, slash),
    model: ref.slice(slash + 1),
    weight: 1,
    vision: true,
    prefill: false,
    ...extra,
  };
}

/** A failed or healthy attempt outcome; everything not given is a plain 200 without text. */
export function outcome(fields: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return { ok: false, status: 200, headers: new Headers(), timings: { totalMs: 10 }, ...fields };
}

export interface AttemptOptions {
  target?: Target;
  /** 1-based attempt number on this target (default 1). */
  onTarget?: number;
  number?: number;
  /** The fixed backoff `backoffMs()` returns (default 250). */
  backoffMs?: number;
  /** Epoch ms of the request deadline (default: 10 minutes after `nowMs`). */
  deadline?: number;
  nowMs?: number;
  stream?: boolean;
  log?: Logger;
  /** The request's latest user text (default "hello"). */
  prompt?: string;
}

/** An attempt on a target, with a fixed backoff and deadline, inside a request whose clock reads `nowMs`. */
export function attempt(options: AttemptOptions = {}): AttemptInfo {
  const nowMs = options.nowMs ?? FIXED_NOW;
  const backoff = options.backoffMs ?? 250;
  const request = requestContext({ text: options.prompt ?? "hello", nowMs, log: options.log });
  return {
    target: options.target ?? target("openai/gpt-4o-mini"),
    number: options.number ?? options.onTarget ?? 1,
    onTarget: options.onTarget ?? 1,
    stream: options.stream ?? false,
    request,
    deadline: options.deadline ?? nowMs + 600_000,
    backoffMs: () => backoff,
  };
}

/** Runs `plugin`'s judge hook through the real "first answer wins" runner: its decision, or undefined. */
export function judgeWith(plugin: Plugin, result: AttemptOutcome, info: AttemptInfo): Decision | undefined {
  return firstAnswer([plugin], "judge", (p) => p.judge?.(result, info), info.request.log)?.value;
}

/** Runs `plugin`'s (synchronous) adapt hook: its patch, or undefined (no change). */
export function adaptWith(plugin: Plugin, body: ChatRequest, info: AttemptInfo): BodyPatch | undefined {
  const result = plugin.adapt?.(body, info);
  if (result instanceof Promise) throw new Error("this adapter is asynchronous: await plugin.adapt() instead");
  return result ?? undefined;
}

/** Applies a patch exactly as the pipeline does (the pipeline's own function). */
export function applyPatch(body: ChatRequest, patch: BodyPatch | undefined): ChatRequest {
  return patch ? applyPipelinePatch(body, patch) : { ...body };
}

/** What scoring reads, over real registries at `now` (as the pipeline's context gives it). */
export function scoreInput(options: {
  tier: string;
  health: HealthRegistry;
  usage: UsageTracker;
  now: number;
  random: () => number;
}) {
  const clock = fixedClock("12:00", options.now);
  return {
    tier: options.tier,
    random: options.random,
    health: healthView(options.health, clock),
    usage: usageView(options.usage, clock),
  };
}

/** A request context for a strategy (`orderTargets`) over real registries at `now`. */
export function strategyContext(options: {
  tier?: string;
  health?: HealthRegistry;
  usage?: UsageTracker;
  now: number;
  random: () => number;
}): RequestContext {
  const input = scoreInput({
    tier: options.tier ?? "t1",
    health: options.health ?? new MemoryHealthRegistry(),
    usage: options.usage ?? new UsageTracker(),
    now: options.now,
    random: options.random,
  });
  return {
    ...requestContext({ text: "hello", nowMs: options.now }),
    random: input.random,
    health: input.health,
    usage: input.usage,
    tier: input.tier,
  };
}
