/**
 * Health of each target ("provider/model"): a failure penalty that decays with time, a success reward,
 * latency and time-to-first-token averages, and a circuit per target:
 *   closed ──(cooldown: 429 / 401 / N failures in a row)──▶ open ──(cooldown over)──▶ half_open
 *   half_open ──(probe succeeds)──▶ closed;  half_open ──(probe fails)──▶ open (cooldown doubled)
 * Old failures fade: the penalty halves every `decayHalfLifeMs`, so no failure bans a model for good.
 * Behind an interface so a shared store (Redis) can replace this in-process one (DESIGN §12).
 */
import type { Logger } from "../plugin/types.ts";

export type CircuitState = "closed" | "open" | "half_open";

export interface HealthSettings {
  /** The failure penalty halves every this many ms (default 300 000). */
  decayHalfLifeMs: number;
  /** Consecutive failures that open the circuit (default 5; 0 = never by count). */
  openAfterFailures: number;
  /** Cooldown when failures in a row open the circuit; doubled after each failed probe (default 30 000). */
  openCooldownMs: number;
  /** Longest cooldown a failed probe can grow to (default 600 000). */
  maxCooldownMs: number;
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = { decayHalfLifeMs: 300_000, openAfterFailures: 5, openCooldownMs: 30_000, maxCooldownMs: 600_000 };

/** One target's record; what is persisted and restored. */
export interface HealthRecord {
  failureScore: number;
  scoredAt: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  cooldownUntil: number;
  cooldownReason?: string;
  /** Length of the last cooldown, doubled when a probe fails. */
  lastCooldownMs: number;
  /** True once a cooldown was set and no attempt has closed it yet (half-open after it ends). */
  tripped: boolean;
  latencyEwmaMs?: number;
  ttftEwmaMs?: number;
  recentErrors: { at: number; reason: string }[];
}

export interface HealthView {
  target: string;
  /** 0 (in cooldown or failing constantly) to 100 (healthy). */
  score: number;
  state: CircuitState;
  failureScore: number;
  cooldownUntil?: number;
  cooldownReason?: string;
  latencyMs?: number;
  ttftMs?: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  recentErrors: { at: number; reason: string }[];
}

/** What an attempt did to its target's health. */
export interface AttemptEffect {
  ok: boolean;
  /** Penalty added on failure (0: not the target's fault, e.g. a client error). */
  penalty: number;
  /** Put the target in cooldown for this long. */
  cooldownMs?: number;
  reason: string;
  latencyMs?: number;
  ttftMs?: number;
}

export interface HealthRegistry {
  view(ref: string, now: number): HealthView;
  /** For ordering: "ready" (closed), "probe" (half-open, probe free: try it), "cooling" (open or probe taken). */
  availability(ref: string, now: number): "ready" | "probe" | "cooling";
  /** An attempt on `ref` starts: a half-open target's probe is now taken. */
  beginAttempt(ref: string, now: number): void;
  record(ref: string, now: number, effect: AttemptEffect): void;
  /** The target's cooldown, if it is in one at `now`. */
  cooldownOf(ref: string, now: number): { until: number; reason: string } | undefined;
  coolDown(ref: string, until: number, reason: string, now?: number): void;
  /** Forgets a target's failures and closes its circuit (admin action). */
  reset(ref: string): void;
  /** Every record, for persistence. */
  records(): [string, HealthRecord][];
  restore(records: [string, HealthRecord][]): void;
}

const EWMA = 0.2;
const SUCCESS_REWARD = 1;
const RECENT_ERRORS = 5;

function fresh(now: number): HealthRecord {
  return { failureScore: 0, scoredAt: now, successes: 0, failures: 0, consecutiveFailures: 0, cooldownUntil: 0, lastCooldownMs: 0, tripped: false, recentErrors: [] };
}

const ewma = (previous: number | undefined, sample: number) => (previous === undefined ? sample : previous + EWMA * (sample - previous));

export class MemoryHealthRegistry implements HealthRegistry {
  private readonly map = new Map<string, HealthRecord>();
  private readonly probing = new Set<string>();
  /** Called after every change (persistence); never on the read path. */
  onChange?: (ref: string) => void;

  constructor(
    private readonly settings: () => HealthSettings = () => DEFAULT_HEALTH_SETTINGS,
    private readonly log?: Logger,
  ) {}

  private get(ref: string, now: number): HealthRecord {
    let record = this.map.get(ref);
    if (!record) this.map.set(ref, (record = fresh(now)));
    this.decay(record, now);
    return record;
  }

  private decay(record: HealthRecord, now: number): void {
    const elapsed = now - record.scoredAt;
    if (elapsed <= 0 || record.failureScore === 0) {
      record.scoredAt = Math.max(record.scoredAt, now);
      return;
    }
    record.failureScore *= Math.pow(0.5, elapsed / this.settings().decayHalfLifeMs);
    if (record.failureScore < 0.01) record.failureScore = 0;
    record.scoredAt = now;
  }

  private state(ref: string, record: HealthRecord, now: number): CircuitState {
    if (record.cooldownUntil > now) return "open";
    return record.tripped ? "half_open" : "closed";
  }

  view(ref: string, now: number): HealthView {
    const record = this.get(ref, now);
    const state = this.state(ref, record, now);
    return {
      target: ref,
      score: state === "open" ? 0 : Math.floor(100 / (1 + 0.2 * record.failureScore)),
      state,
      failureScore: Math.round(record.failureScore * 100) / 100,
      cooldownUntil: state === "open" ? record.cooldownUntil : undefined,
      cooldownReason: record.tripped ? record.cooldownReason : undefined,
      latencyMs: record.latencyEwmaMs,
      ttftMs: record.ttftEwmaMs,
      successes: record.successes,
      failures: record.failures,
      consecutiveFailures: record.consecutiveFailures,
      recentErrors: record.recentErrors,
    };
  }

  availability(ref: string, now: number): "ready" | "probe" | "cooling" {
    const record = this.map.get(ref);
    if (!record) return "ready";
    const state = this.state(ref, record, now);
    if (state === "closed") return "ready";
    if (state === "half_open" && !this.probing.has(ref)) return "probe";
    return "cooling";
  }

  beginAttempt(ref: string, now: number): void {
    const record = this.map.get(ref);
    if (record && this.state(ref, record, now) === "half_open" && !this.probing.has(ref)) {
      this.probing.add(ref);
      this.log?.info(`circuit ${ref}: probing`, { after: record.cooldownReason });
    }
  }

  record(ref: string, now: number, effect: AttemptEffect): void {
    const record = this.get(ref, now);
    const wasProbe = this.probing.delete(ref);
    if (effect.ok) {
      record.successes += 1;
      record.consecutiveFailures = 0;
      record.failureScore = Math.max(0, record.failureScore - SUCCESS_REWARD);
      if (effect.latencyMs !== undefined) record.latencyEwmaMs = ewma(record.latencyEwmaMs, effect.latencyMs);
      if (effect.ttftMs !== undefined) record.ttftEwmaMs = ewma(record.ttftEwmaMs, effect.ttftMs);
      if (record.tripped || record.cooldownUntil > now) {
        this.log?.info(`circuit ${ref}: closed`, { reason: wasProbe ? "probe succeeded" : "answered" });
        record.tripped = false;
        record.cooldownUntil = 0;
        record.lastCooldownMs = 0;
      }
      this.onChange?.(ref);
      return;
    }
    if (effect.penalty > 0) {
      record.failures += 1;
      record.consecutiveFailures += 1;
      record.failureScore += effect.penalty;
      record.recentErrors = [{ at: now, reason: effect.reason }, ...record.recentErrors].slice(0, RECENT_ERRORS);
    }
    const settings = this.settings();
    let cooldownMs = effect.cooldownMs;
    if (wasProbe && effect.penalty > 0) cooldownMs = Math.max(cooldownMs ?? 0, Math.min(settings.maxCooldownMs, Math.max(record.lastCooldownMs, settings.openCooldownMs) * 2));
    else if (settings.openAfterFailures > 0 && record.consecutiveFailures >= settings.openAfterFailures && !record.tripped) cooldownMs = Math.max(cooldownMs ?? 0, settings.openCooldownMs);
    if (cooldownMs && cooldownMs > 0) this.open(ref, record, now, now + cooldownMs, wasProbe ? `probe failed: ${effect.reason}` : effect.reason);
    this.onChange?.(ref);
  }

  private open(ref: string, record: HealthRecord, now: number, until: number, reason: string): void {
    if (record.cooldownUntil >= until) return;
    const wasOpen = record.cooldownUntil > now;
    record.cooldownUntil = until;
    record.cooldownReason = reason;
    record.lastCooldownMs = until - now;
    record.tripped = true;
    if (!wasOpen) this.log?.warn(`circuit ${ref}: opened for ${Math.round(until - now)} ms`, { reason });
  }

  cooldownOf(ref: string, now: number): { until: number; reason: string } | undefined {
    const record = this.map.get(ref);
    return record && record.cooldownUntil > now ? { until: record.cooldownUntil, reason: record.cooldownReason ?? "" } : undefined;
  }

  coolDown(ref: string, until: number, reason: string, now = Date.now()): void {
    this.open(ref, this.get(ref, now), now, until, reason);
    this.onChange?.(ref);
  }

  reset(ref: string): void {
    this.map.delete(ref);
    this.probing.delete(ref);
    this.log?.info(`circuit ${ref}: closed`, { reason: "reset by an admin" });
    this.onChange?.(ref);
  }

  records(): [string, HealthRecord][] {
    return [...this.map.entries()];
  }

  restore(records: [string, HealthRecord][]): void {
    for (const [ref, record] of records) this.map.set(ref, { ...fresh(record.scoredAt), ...record });
  }
}
