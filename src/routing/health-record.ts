/**
 * One target's health record and the arithmetic on it: the failure rate over a decaying window, the
 * severity penalty, the latency averages, and the score derived from them. Plain data and pure
 * functions, so a shared store (Redis) can keep the same record and reuse the same math (DESIGN §12).
 */

export type CircuitState = "closed" | "open" | "half_open";

/** A change of a target's circuit: when, to which state, and why. */
export interface CircuitTransition {
  at: number;
  state: CircuitState;
  reason: string;
}

/** Circuit changes kept per target (a ring: the oldest go first). */
export const TRANSITIONS_KEPT = 20;

/** One target's record; what is persisted and restored. */
export interface HealthRecord {
  /** Severity-weighted failures (a silent upstream 3, a 5xx 2, a 429 1...), halving every `decayHalfLifeMs`. */
  failureScore: number;
  /** When `failureScore` and the window counts were last decayed. */
  scoredAt: number;
  /** Lifetime counts. */
  successes: number;
  failures: number;
  consecutiveFailures: number;
  /** Attempts that say something about the target, each weighted e^(−age / windowMs). */
  windowAttempts: number;
  /** The failed ones among them, weighted the same way. */
  windowFailures: number;
  cooldownUntil: number;
  cooldownReason?: string;
  /** Length of the last cooldown, doubled when a probe fails. */
  lastCooldownMs: number;
  /** True once a cooldown was set and no attempt has closed it yet (half-open after it ends). */
  tripped: boolean;
  latencyEwmaMs?: number;
  ttftEwmaMs?: number;
  recentErrors: { at: number; reason: string }[];
  /** The last `TRANSITIONS_KEPT` circuit changes, oldest first; saved with the record, so a restart keeps them. */
  transitions: CircuitTransition[];
}

/** Appends a circuit change, dropping the oldest beyond `TRANSITIONS_KEPT`; a repeat of the last state is not one. */
export function addTransition(record: HealthRecord, transition: CircuitTransition): void {
  if (record.transitions.at(-1)?.state === transition.state) return;
  record.transitions.push(transition);
  if (record.transitions.length > TRANSITIONS_KEPT)
    record.transitions.splice(0, record.transitions.length - TRANSITIONS_KEPT);
}

/** A record as read back from a store: older versions saved fewer fields. */
export type SavedHealthRecord = Partial<HealthRecord> & Pick<HealthRecord, "scoredAt">;

/** How fast the record forgets: the two decay constants of `HealthSettings`. */
interface DecaySettings {
  decayHalfLifeMs: number;
  windowMs: number;
}

/**
 * Successful attempts the score assumes on top of the window's, so a handful of samples cannot swing
 * it (one failure on a fresh target scores 69, not 0), and so the score recovers with time: as the
 * window's counts decay to nothing, the rate falls back to 0. Old failures never ban a model for good.
 */
const PRIOR_SUCCESSES = 5;
/** Attempts a record persisted before the window existed is seeded with (its lifetime ratio, low weight). */
const MIGRATED_ATTEMPTS = 20;
const EWMA = 0.2;

export function freshRecord(now: number): HealthRecord {
  return {
    failureScore: 0,
    scoredAt: now,
    successes: 0,
    failures: 0,
    consecutiveFailures: 0,
    windowAttempts: 0,
    windowFailures: 0,
    cooldownUntil: 0,
    lastCooldownMs: 0,
    tripped: false,
    recentErrors: [],
    transitions: [],
  };
}

export const ewma = (previous: number | undefined, sample: number) =>
  previous === undefined ? sample : previous + EWMA * (sample - previous);

/** Ages the penalty (half-life) and the window counts (time constant `windowMs`) to `now`. */
export function decayRecord(record: HealthRecord, now: number, settings: DecaySettings): void {
  const elapsed = now - record.scoredAt;
  if (elapsed <= 0) return;
  record.scoredAt = now;
  if (record.failureScore > 0) {
    record.failureScore *= 0.5 ** (elapsed / settings.decayHalfLifeMs);
    if (record.failureScore < 0.01) record.failureScore = 0;
  }
  if (record.windowAttempts > 0) {
    const keep = Math.exp(-elapsed / settings.windowMs);
    record.windowAttempts *= keep;
    record.windowFailures *= keep;
    if (record.windowAttempts < 0.001) record.windowAttempts = record.windowFailures = 0;
  }
}

/** Counts one attempt in the window; `failed` ones also count as failures. */
export function countAttempt(record: HealthRecord, failed: boolean): void {
  record.windowAttempts += 1;
  if (failed) record.windowFailures += 1;
}

/** Failed share of the window's attempts, as observed (0 with no attempts). */
export function errorRate(record: HealthRecord): number {
  return record.windowAttempts > 0 ? Math.min(1, record.windowFailures / record.windowAttempts) : 0;
}

/**
 * The health score, 0 to 100: `100 · (1 − r)²` where r is the window's failure rate with
 * `PRIOR_SUCCESSES` extra successes. Squared so that reliability is paid for steeply: 5 % failures
 * score 90, 10 % 81, 30 % 49, 50 % 25 (a third of the attempts failing costs every third request a
 * failover).
 */
export function reliabilityScore(record: HealthRecord): number {
  const rate = record.windowFailures / (record.windowAttempts + PRIOR_SUCCESSES);
  return Math.floor(100 * (1 - rate) ** 2);
}

/**
 * A record as restored from the store. Records saved before the window existed have only lifetime
 * counts: they are seeded with that ratio at the weight of `MIGRATED_ATTEMPTS` attempts, aged from
 * when they were saved, so an old failing model does not come back looking spotless.
 */
export function migrateRecord(saved: SavedHealthRecord): HealthRecord {
  const record: HealthRecord = { ...freshRecord(saved.scoredAt), ...saved };
  if (!Array.isArray(record.transitions)) record.transitions = [];
  if (saved.windowAttempts === undefined || saved.windowFailures === undefined) {
    const total = record.successes + record.failures;
    record.windowAttempts = Math.min(total, MIGRATED_ATTEMPTS);
    record.windowFailures = total > 0 ? (record.windowAttempts * record.failures) / total : 0;
  }
  return record;
}
