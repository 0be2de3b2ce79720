/**
 * Login throttling: passwords, TOTP and recovery codes, and the password checks of sensitive actions.
 * An attempt is reserved (counted as a failure) before its credentials are checked, in the same step
 * as the check of the limits, so a burst of parallel attempts cannot all pass before the first failure
 * is recorded; a success, or an attempt that was neither right nor wrong, gives its reservation back.
 *
 * Three counters, so that a lock hurts the attacker rather than the owner:
 * - pair (one account from one address): growing delays, then a lockout of that pair only;
 * - address (whatever the account): growing delays, then a lockout of that address (one client trying
 *   many accounts);
 * - account (from every address): a slowdown, never a lock, and only for addresses that have failed.
 *   An address with no failure (the owner at home, on a phone) is always let through to the check, so
 *   guessers cannot lock the owner out; each fresh address they use buys them one guess.
 *
 * In memory, behind `AttemptLimiter`, so a shared store (Redis, DESIGN §12) can replace it: `reserve`
 * reads three counters and increments them, one Lua script there; `release` and `succeed` are plain
 * decrements and a delete.
 */

/** What one attempt is counted against. Either may be missing (e.g. no address behind some adapters). */
export interface AttemptKeys {
  /** The username as submitted, normalised by the caller (e.g. lower-cased), whether or not it exists. */
  account?: string;
  /** The client address; see `addressKey` (src/auth/address-key.ts). */
  address?: string;
}

/** Which counter refused an attempt. */
type ThrottleScope = "pair" | "address" | "account";

/**
 * Whether an attempt may be checked now. Allowed means it is reserved (counted as failed until
 * `succeed` or `release`); `accountSlowed` says the account is under attack and this address got
 * through only because it has not failed.
 */
export type AttemptVerdict =
  | { allowed: true; accountSlowed?: boolean }
  | { allowed: false; retryAfterMs: number; reason: "delay" | "locked"; scope: ThrottleScope };

type MaybePromise<T> = T | Promise<T>;

/** The contract a shared implementation must keep. Times are ms since the epoch. */
export interface AttemptLimiter {
  /**
   * Before checking credentials, atomically: refuse (counting nothing), or count the attempt as a
   * failure and let it be checked. A wrong password or code then needs no further call.
   */
  reserve(keys: AttemptKeys, now: number): MaybePromise<AttemptVerdict>;
  /** The reserved attempt was neither right nor wrong (a correct password awaiting its code): uncount it. */
  release(keys: AttemptKeys, now: number): MaybePromise<void>;
  /**
   * The reserved attempt succeeded: uncount it, and forget this account's failures from this address.
   * The account's and the address's other failures stay: one valid login must not end the slowdown of
   * an attack, nor wipe an address's record of guessing other accounts.
   */
  succeed(keys: AttemptKeys, now: number): MaybePromise<void>;
}

/** Limits for a counter that locks. */
interface ThrottleLimits {
  /** Failures that lock the key. */
  maxFailures: number;
  /** How long a lockout lasts, in ms. Failures also are forgotten after this long without a new one. */
  lockoutMs: number;
}

/** `LoginThrottle` options; every field has a default. */
interface LoginThrottleOptions {
  /** One account from one address. @default { maxFailures: 10, lockoutMs: 15 min } */
  pair?: Partial<ThrottleLimits>;
  /** One address, whatever the account. @default { maxFailures: 30, lockoutMs: 15 min } */
  address?: Partial<ThrottleLimits>;
  /** Failures of an account (from every address) from which addresses that have failed are slowed. @default 10 */
  accountSlowAfter?: number;
  /** How long an account's failures are remembered without a new one, in ms. @default 15 min */
  accountForgetMs?: number;
  /** Failures of a pair or an address allowed before delays start. @default 2 */
  freeFailures?: number;
  /** First delay in ms; each further failure doubles it. @default 1000 */
  baseDelayMs?: number;
  /** Longest delay in ms. @default 30000 */
  maxDelayMs?: number;
  /** Entries kept per counter; beyond it, expired then least recently failed entries go. @default 10000 */
  maxEntries?: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** One counter: failures per key, forgotten after `forgetMs`, locked at `maxFailures` (never when Infinity). */
class Counter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: { maxFailures: number; forgetMs: number; maxEntries: number }) {}

  /** The key's entry, dropping it first if its lockout ended or its failures are old enough to forget. */
  live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.expired(entry, now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  add(key: string, now: number): void {
    const entry = this.live(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailureAt = now;
    if (entry.failures >= this.limits.maxFailures) entry.lockedUntil = now + this.limits.forgetMs;
    // Re-inserting moves the key to the end, so the map's order is least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.bound(now);
  }

  /** Gives one reserved failure back (a lock it caused goes with it). */
  undo(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.failures -= 1;
    if (entry.failures <= 0) this.entries.delete(key);
    else if (entry.failures < this.limits.maxFailures) entry.lockedUntil = 0;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private expired(entry: Entry, now: number): boolean {
    if (entry.lockedUntil > 0) return entry.lockedUntil <= now; // a lockout served wipes the slate
    return now - entry.lastFailureAt >= this.limits.forgetMs;
  }

  /** Keeps memory bounded: sweep expired entries, then evict the least recently failed. */
  private bound(now: number): void {
    if (this.entries.size <= this.limits.maxEntries) return;
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

type Refusal = Extract<AttemptVerdict, { allowed: false }>;

/** The in-process `AttemptLimiter`. */
export class LoginThrottle implements AttemptLimiter {
  private readonly counters: Record<ThrottleScope, Counter>;
  private readonly accountSlowAfter: number;
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: LoginThrottleOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    const locking = (limits: Partial<ThrottleLimits> | undefined, maxFailures: number) => {
      const { maxFailures: max, lockoutMs } = { maxFailures, lockoutMs: FIFTEEN_MINUTES, ...limits };
      return new Counter({ maxFailures: max, forgetMs: lockoutMs, maxEntries });
    };
    this.counters = {
      pair: locking(options.pair, 10),
      address: locking(options.address, 30),
      account: new Counter({ maxFailures: Infinity, forgetMs: options.accountForgetMs ?? FIFTEEN_MINUTES, maxEntries }),
    };
    this.accountSlowAfter = options.accountSlowAfter ?? 10;
    this.freeFailures = options.freeFailures ?? 2;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  reserve(keys: AttemptKeys, now: number): AttemptVerdict {
    const refusal = this.refusal(keys, now);
    if (refusal) return refusal;
    const slowed =
      keys.account !== undefined &&
      (this.counters.account.live(keys.account, now)?.failures ?? 0) >= this.accountSlowAfter;
    for (const [scope, key] of this.keysOf(keys)) this.counters[scope].add(key, now);
    return slowed ? { allowed: true, accountSlowed: true } : { allowed: true };
  }

  release(keys: AttemptKeys, _now: number): void {
    for (const [scope, key] of this.keysOf(keys)) this.counters[scope].undo(key);
  }

  succeed(keys: AttemptKeys, _now: number): void {
    for (const [scope, key] of this.keysOf(keys)) {
      if (scope === "pair") this.counters.pair.delete(key);
      else this.counters[scope].undo(key);
    }
  }

  /** Entries held by one counter (for tests and metrics). */
  size(scope: ThrottleScope): number {
    return this.counters[scope].size;
  }

  /** The refusal with the longest wait, locks before delays; undefined when the attempt may go on. */
  private refusal(keys: AttemptKeys, now: number): Refusal | undefined {
    const refusals: Refusal[] = [];
    for (const [scope, key] of this.keysOf(keys)) {
      const entry = this.counters[scope].live(key, now);
      if (!entry) continue;
      if (entry.lockedUntil > now)
        refusals.push({ allowed: false, retryAfterMs: entry.lockedUntil - now, reason: "locked", scope });
      else if (scope !== "account" || !this.fresh(keys.address, now)) {
        const wait = entry.lastFailureAt + this.delayAfter(scope, entry.failures) - now;
        if (wait > 0) refusals.push({ allowed: false, retryAfterMs: wait, reason: "delay", scope });
      }
    }
    const worst = (reason: Refusal["reason"]) =>
      refusals.filter((r) => r.reason === reason).sort((a, b) => b.retryAfterMs - a.retryAfterMs)[0];
    return worst("locked") ?? worst("delay");
  }

  /** An address with no failure anywhere: the account's slowdown does not apply to it. */
  private fresh(address: string | undefined, now: number): boolean {
    return address !== undefined && this.counters.address.live(address, now) === undefined;
  }

  /** The wait after `failures` failures: none for the first few, then doubling up to the cap. */
  private delayAfter(scope: ThrottleScope, failures: number): number {
    const free = scope === "account" ? this.accountSlowAfter - 1 : this.freeFailures;
    if (failures <= free) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (failures - free - 1));
  }

  private keysOf(keys: AttemptKeys): [ThrottleScope, string][] {
    const pairs: [ThrottleScope, string][] = [];
    if (keys.account !== undefined) {
      // A missing address shares one pair per account: there is nothing better to tell clients apart by.
      pairs.push(["pair", `${keys.account}\u0000${keys.address ?? ""}`], ["account", keys.account]);
    }
    if (keys.address !== undefined) pairs.push(["address", keys.address]);
    return pairs;
  }
}
