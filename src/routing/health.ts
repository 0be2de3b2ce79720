/**
 * Health of each target ("provider/model"): its failure rate over a decaying window (the score), a
 * severity penalty, latency and time-to-first-token averages, and a circuit per target:
 *   closed ──(cooldown: 429 / 401 / N failures in a row)──▶ open ──(cooldown over)──▶ half_open
 *   half_open ──(probe succeeds)──▶ closed;  half_open ──(probe fails)──▶ open (cooldown doubled, capped)
 * A success does not erase failures: a model failing a third of its attempts keeps a third of its
 * window failed, whatever it answers in between. Old attempts fade, so no failure bans a model for good.
 * Behind an interface so a shared store (Redis) can replace this in-process one (DESIGN §12).
 */

import { DEFAULTS } from "../config/defaults.ts";
import type { Logger } from "../plugin/types.ts";
import {
  addTransition,
  type CircuitState,
  type CircuitTransition,
  countAttempt,
  decayRecord,
  errorRate,
  ewma,
  freshRecord,
  type HealthRecord,
  migrateRecord,
  reliabilityScore,
  type SavedHealthRecord,
} from "./health-record.ts";

export type { CircuitState, CircuitTransition, HealthRecord, SavedHealthRecord } from "./health-record.ts";

interface HealthSettings {
  /** The severity penalty (`failureScore`) halves every this many ms (default 300 000). */
  decayHalfLifeMs: number;
  /** Time constant of the failure-rate window: an attempt counts with weight e^(−age / windowMs) (default 300 000). */
  windowMs: number;
  /** Consecutive failures that open the circuit (default 5; 0 = never by count). */
  openAfterFailures: number;
  /** Cooldown when failures in a row open the circuit; doubled after each failed probe (default 10 000). */
  openCooldownMs: number;
  /** Longest cooldown the gateway sets by itself (failures in a row, failed probes) (default 20 000). */
  maxCooldownMs: number;
}

/** The config's defaults (`config/defaults.ts`), for a registry built without a config. */
export const DEFAULT_HEALTH_SETTINGS: HealthSettings = DEFAULTS.health;

export interface HealthView {
  target: string;
  /** 0 (in cooldown, or failing constantly) to 100 (healthy): from the failure rate of the window. */
  score: number;
  state: CircuitState;
  /** Severity-weighted recent failures (decaying penalty). */
  failureScore: number;
  /** Failed share of the attempts in the window, 0 to 1. */
  errorRate: number;
  /** The window's time constant (`health.windowMs`). */
  windowMs: number;
  /** Attempts in the window (decay-weighted: about those of the last `windowMs`). */
  attemptsInWindow: number;
  /** Failed attempts in the window, weighted the same way. */
  failuresInWindow: number;
  cooldownUntil?: number;
  cooldownReason?: string;
  latencyMs?: number;
  ttftMs?: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  recentErrors: { at: number; reason: string }[];
  /** The circuit's last changes (opened, half-open, closed), oldest first. */
  transitions: CircuitTransition[];
}

/** What an attempt did to its target's health. */
export interface AttemptEffect {
  ok: boolean;
  /** Penalty added on failure (0: not the target's fault, e.g. a client error; not counted in the rate). */
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
  /**
   * An attempt on `ref` starts. True when it is the half-open target's probe (now taken: the others
   * wait for its verdict); the caller must then `record` its outcome, a penalty-0 one if it has none.
   * A cluster's registry answers asynchronously: the probe is taken by an atomic lock in Redis.
   */
  beginAttempt(ref: string, now: number): boolean | Promise<boolean>;
  record(ref: string, now: number, effect: AttemptEffect): void;
  /** The target's cooldown, if it is in one at `now`. */
  cooldownOf(ref: string, now: number): { until: number; reason: string } | undefined;
  coolDown(ref: string, until: number, reason: string, now: number): void;
  /** Forgets a target's failures and closes its circuit (admin action); its circuit timeline is kept. */
  reset(ref: string, now: number): void;
  /** Every record, for persistence. */
  records(): [string, HealthRecord][];
  /** Loads saved records; ones from older versions are migrated (`migrateRecord`). */
  restore(records: [string, SavedHealthRecord][]): void;
}

const RECENT_ERRORS = 5;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The target a verdict is being recorded for, its record and the time. */
interface Recorded {
  ref: string;
  record: HealthRecord;
  now: number;
}

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
    if (!record) this.map.set(ref, (record = freshRecord(now)));
    decayRecord(record, now, this.settings());
    return record;
  }

  private state(record: HealthRecord, now: number): CircuitState {
    if (record.cooldownUntil > now) return "open";
    return record.tripped ? "half_open" : "closed";
  }

  view(ref: string, now: number): HealthView {
    const record = this.get(ref, now);
    const state = this.state(record, now);
    return {
      target: ref,
      score: state === "open" ? 0 : reliabilityScore(record),
      state,
      failureScore: round(record.failureScore, 2),
      errorRate: round(errorRate(record), 4),
      windowMs: this.settings().windowMs,
      attemptsInWindow: round(record.windowAttempts, 1),
      failuresInWindow: round(record.windowFailures, 1),
      cooldownUntil: state === "open" ? record.cooldownUntil : undefined,
      cooldownReason: record.tripped ? record.cooldownReason : undefined,
      latencyMs: record.latencyEwmaMs,
      ttftMs: record.ttftEwmaMs,
      successes: record.successes,
      failures: record.failures,
      consecutiveFailures: record.consecutiveFailures,
      recentErrors: record.recentErrors,
      transitions: record.transitions,
    };
  }

  availability(ref: string, now: number): "ready" | "probe" | "cooling" {
    const record = this.map.get(ref);
    if (!record) return "ready";
    const state = this.state(record, now);
    if (state === "closed") return "ready";
    if (state === "half_open" && !this.probing.has(ref)) return "probe";
    return "cooling";
  }

  beginAttempt(ref: string, now: number): boolean {
    const record = this.map.get(ref);
    if (!record || this.state(record, now) !== "half_open" || this.probing.has(ref)) return false;
    this.probing.add(ref);
    // The circuit became half-open when the cooldown ended; this first probe is when it is seen.
    addTransition(record, { at: record.cooldownUntil, state: "half_open", reason: "cooldown over: probing" });
    this.log?.info(`circuit ${ref}: probing`, { after: record.cooldownReason });
    return true;
  }

  record(ref: string, now: number, effect: AttemptEffect): void {
    this.apply(ref, now, effect, this.probing.delete(ref));
  }

  /**
   * Applies an attempt's verdict; `wasProbe`: it was the half-open probe's. `record` is this process's
   * own; a cluster replays its siblings' verdicts here, probe flag and all, so every replica's circuit
   * takes the same steps (`cluster/shared-health.ts`).
   */
  apply(ref: string, now: number, effect: AttemptEffect, wasProbe: boolean): void {
    const record = this.get(ref, now);
    const at: Recorded = { ref, record, now };
    if (effect.ok) this.succeeded(at, effect, wasProbe);
    else this.failed(at, effect, wasProbe);
    this.onChange?.(ref);
  }

  /** True while this process's probe of `ref` waits for its verdict. */
  isProbing(ref: string): boolean {
    return this.probing.has(ref);
  }

  /** Frees the probe slot this process took without a verdict (a sibling won the cluster's probe lock). */
  releaseProbe(ref: string): void {
    this.probing.delete(ref);
  }

  private succeeded({ ref, record, now }: Recorded, effect: AttemptEffect, wasProbe: boolean): void {
    record.successes += 1;
    record.consecutiveFailures = 0;
    countAttempt(record, false);
    if (effect.latencyMs !== undefined) record.latencyEwmaMs = ewma(record.latencyEwmaMs, effect.latencyMs);
    if (effect.ttftMs !== undefined) record.ttftEwmaMs = ewma(record.ttftEwmaMs, effect.ttftMs);
    if (record.tripped || record.cooldownUntil > now) {
      const reason = wasProbe ? "probe succeeded" : "answered";
      addTransition(record, { at: now, state: "closed", reason });
      this.log?.info(`circuit ${ref}: closed`, { reason });
      record.tripped = false;
      record.cooldownUntil = 0;
      record.lastCooldownMs = 0;
    }
  }

  private failed(at: Recorded, effect: AttemptEffect, wasProbe: boolean): void {
    const { record, now } = at;
    // A failure that is not the target's fault (penalty 0) says nothing about it: not even an attempt.
    if (effect.penalty <= 0) {
      if (effect.cooldownMs) this.open(at, now + effect.cooldownMs, effect.reason);
      return;
    }
    record.failures += 1;
    record.consecutiveFailures += 1;
    record.failureScore += effect.penalty;
    countAttempt(record, true);
    record.recentErrors = [{ at: now, reason: effect.reason }, ...record.recentErrors].slice(0, RECENT_ERRORS);
    const own = this.ownCooldownMs(record, wasProbe);
    const cooldownMs = Math.max(effect.cooldownMs ?? 0, own ?? 0);
    if (cooldownMs > 0) this.open(at, now + cooldownMs, wasProbe ? `probe failed: ${effect.reason}` : effect.reason);
  }

  /**
   * The cooldown the gateway sets by itself after a failure: doubled after a failed probe, opened after
   * N failures in a row; both capped at `maxCooldownMs`, so a target that recovers is probed again at
   * least that often (an upstream's Retry-After and the configured auth/rate-limit cooldowns are not).
   */
  private ownCooldownMs(record: HealthRecord, wasProbe: boolean): number | undefined {
    const settings = this.settings();
    if (wasProbe) return Math.min(settings.maxCooldownMs, Math.max(record.lastCooldownMs, settings.openCooldownMs) * 2);
    if (settings.openAfterFailures > 0 && record.consecutiveFailures >= settings.openAfterFailures && !record.tripped)
      return Math.min(settings.maxCooldownMs, settings.openCooldownMs);
    return undefined;
  }

  private open({ ref, record, now }: Recorded, until: number, reason: string): void {
    if (record.cooldownUntil >= until) return;
    const wasOpen = record.cooldownUntil > now;
    record.cooldownUntil = until;
    record.cooldownReason = reason;
    record.lastCooldownMs = until - now;
    record.tripped = true;
    if (wasOpen) return;
    addTransition(record, { at: now, state: "open", reason });
    this.log?.warn(`circuit ${ref}: opened for ${Math.round(until - now)} ms`, { reason });
  }

  cooldownOf(ref: string, now: number): { until: number; reason: string } | undefined {
    const record = this.map.get(ref);
    return record && record.cooldownUntil > now
      ? { until: record.cooldownUntil, reason: record.cooldownReason ?? "" }
      : undefined;
  }

  coolDown(ref: string, until: number, reason: string, now: number): void {
    this.open({ ref, record: this.get(ref, now), now }, until, reason);
    this.onChange?.(ref);
  }

  reset(ref: string, now: number): void {
    const transitions = this.map.get(ref)?.transitions ?? [];
    this.map.delete(ref);
    this.probing.delete(ref);
    // A fresh record, but the timeline stays: the reset is one of its changes.
    if (transitions.length > 0) {
      const record = freshRecord(now);
      record.transitions = transitions;
      addTransition(record, { at: now, state: "closed", reason: "reset by an admin" });
      this.map.set(ref, record);
    }
    this.log?.info(`circuit ${ref}: closed`, { reason: "reset by an admin" });
    this.onChange?.(ref);
  }

  records(): [string, HealthRecord][] {
    return [...this.map.entries()];
  }

  restore(records: [string, SavedHealthRecord][]): void {
    for (const [ref, record] of records) this.map.set(ref, migrateRecord(record));
  }
}
