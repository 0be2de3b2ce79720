/**
 * The health page's windows (last 15 min, 1 h, 24 h) and the verdict a target's card shows. The health
 * score follows a decaying window of recent outcomes; the verdict also reads the counted window, so a
 * model failing a third of its attempts is never called healthy however its last outcomes went.
 */

import type { HealthView } from "./health.ts";

/** What the verdict reads of a counted window (the store's per-target totals have these fields). */
export interface CountedWindow {
  attempts: number;
  failures: number;
}

const MINUTE = 60_000;

/** Each window's length and the bucket of its charts. */
export const HEALTH_WINDOWS = {
  "15m": { ms: 15 * MINUTE, bucketMs: MINUTE },
  "1h": { ms: 60 * MINUTE, bucketMs: 5 * MINUTE },
  "24h": { ms: 24 * 60 * MINUTE, bucketMs: 60 * MINUTE },
} as const;
export type HealthWindowKey = keyof typeof HEALTH_WINDOWS;

export interface HealthWindowRange {
  key: HealthWindowKey;
  /** Whole minutes: the window ends at the end of the current minute. */
  from: number;
  to: number;
  bucketMs: number;
}

export function healthWindowRange(key: HealthWindowKey, now: number): HealthWindowRange {
  const { ms, bucketMs } = HEALTH_WINDOWS[key];
  const to = Math.ceil((now + 1) / MINUTE) * MINUTE;
  return { key, from: to - ms, to, bucketMs };
}

/** Attempts a window needs before its error rate alone can call a model failing or degraded. */
export const VERDICT_MIN_ATTEMPTS = 5;
/** Window error rate from which a model is "failing" (red). */
export const FAILING_RATE = 0.2;
/** Window error rate from which a model is "degraded" (amber). */
export const DEGRADED_RATE = 0.05;

export interface HealthVerdict {
  level: "ok" | "warn" | "bad" | "idle";
  label: "healthy" | "degraded" | "failing" | "no traffic";
  /** Why, in a sentence the card shows. */
  why: string;
}

const pct = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

/**
 * The card's verdict. Failing (red): circuit open, or at least `FAILING_RATE` of the window's attempts
 * failed (with at least `VERDICT_MIN_ATTEMPTS` of them). Degraded (amber): circuit half-open, at least
 * `DEGRADED_RATE` failed, failures among too few attempts to judge, or a score under 80. Otherwise
 * healthy, or "no traffic" when the window holds no attempt and the circuit is closed.
 * `window` is the counted window (the request log); without one, the score's decaying window is used.
 */
export function healthVerdict(view: HealthView, window: CountedWindow | undefined): HealthVerdict {
  const attempts = window ? window.attempts : view.attemptsInWindow;
  const failures = window ? window.failures : view.failuresInWindow;
  const rate = attempts > 0 ? failures / attempts : 0;
  const counted = `${pct(rate)} of ${Math.round(attempts)} attempts failed`;
  const open = view.state === "open";
  if (attempts >= VERDICT_MIN_ATTEMPTS && rate >= FAILING_RATE)
    return { level: "bad", label: "failing", why: open ? `${counted}; circuit open` : counted };
  if (open) return { level: "bad", label: "failing", why: "circuit open: cooling down" };
  if (view.state === "half_open") return { level: "warn", label: "degraded", why: "circuit half-open: probing" };
  if (attempts >= VERDICT_MIN_ATTEMPTS && rate >= DEGRADED_RATE)
    return { level: "warn", label: "degraded", why: counted };
  if (failures > 0 && attempts < VERDICT_MIN_ATTEMPTS) return { level: "warn", label: "degraded", why: counted };
  if (view.score < 80) return { level: "warn", label: "degraded", why: `health score ${view.score}` };
  if (attempts === 0) return { level: "idle", label: "no traffic", why: "no attempt in the window" };
  return { level: "ok", label: "healthy", why: counted };
}
