/**
 * Login throttling (password and TOTP attempts), counted per account and per client address
 * separately: the account counter stops a distributed guesser aiming at one account, the address
 * counter stops one client trying many accounts. In memory, behind `AttemptLimiter` so a shared
 * store (Redis, DESIGN §12) can replace it when several processes serve logins.
 */

/** What one attempt is counted against. Either may be missing (e.g. no address behind some adapters). */
export interface AttemptKeys {
  /** The username as submitted, normalised by the caller (e.g. lower-cased), whether or not it exists. */
  account?: string;
  /** The client address; see `addressKey`. */
  address?: string;
}

/** Whether an attempt may be checked now. */
export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; reason: "delay" | "locked" };

type MaybePromise<T> = T | Promise<T>;

/** The contract a shared implementation must keep. Times are ms since the epoch. */
export interface AttemptLimiter {
  /** Call before checking credentials; when not allowed, refuse without checking them. */
  check(keys: AttemptKeys, now: number): MaybePromise<AttemptVerdict>;
  /** Call after wrong credentials (password or code). */
  fail(keys: AttemptKeys, now: number): MaybePromise<void>;
  /** Call after a complete login: clears the account's counter (not the address's). */
  succeed(keys: AttemptKeys, now: number): MaybePromise<void>;
}

/** Limits for one kind of key. */
export interface ThrottleLimits {
  /** Failures that lock the key. */
  maxFailures: number;
  /** How long a lockout lasts, in ms. Failures also are forgotten after this long without a new one. */
  lockoutMs: number;
}

/** `LoginThrottle` options; every field has a default. */
export interface LoginThrottleOptions {
  /** @default { maxFailures: 10, lockoutMs: 15 min } */
  account?: Partial<ThrottleLimits>;
  /** @default { maxFailures: 30, lockoutMs: 15 min } */
  address?: Partial<ThrottleLimits>;
  /** Failures allowed before delays start. @default 2 */
  freeFailures?: number;
  /** First delay in ms; each further failure doubles it. @default 1000 */
  baseDelayMs?: number;
  /** Longest delay in ms. @default 30000 */
  maxDelayMs?: number;
  /** Entries kept per kind of key; beyond it, expired then least recently failed entries go. @default 10000 */
  maxEntries?: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** The in-process `AttemptLimiter`: delays that grow with each failure, then a lockout that expires. */
export class LoginThrottle implements AttemptLimiter {
  private readonly tables: Record<keyof AttemptKeys, { limits: ThrottleLimits; entries: Map<string, Entry> }>;
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxEntries: number;

  constructor(options: LoginThrottleOptions = {}) {
    this.tables = {
      account: { limits: { maxFailures: 10, lockoutMs: FIFTEEN_MINUTES, ...options.account }, entries: new Map() },
      address: { limits: { maxFailures: 30, lockoutMs: FIFTEEN_MINUTES, ...options.address }, entries: new Map() },
    };
    this.freeFailures = options.freeFailures ?? 2;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Locked keys win over delayed ones; the longest wait of that kind is reported. */
  check(keys: AttemptKeys, now: number): AttemptVerdict {
    let locked = 0;
    let delayed = 0;
    for (const [kind, key] of this.keysOf(keys)) {
      const entry = this.live(kind, key, now);
      if (!entry) continue;
      if (entry.lockedUntil > now) locked = Math.max(locked, entry.lockedUntil - now);
      else delayed = Math.max(delayed, entry.lastFailureAt + this.delayAfter(entry.failures) - now);
    }
    if (locked > 0) return { allowed: false, retryAfterMs: locked, reason: "locked" };
    if (delayed > 0) return { allowed: false, retryAfterMs: delayed, reason: "delay" };
    return { allowed: true };
  }

  fail(keys: AttemptKeys, now: number): void {
    for (const [kind, key] of this.keysOf(keys)) {
      const { limits, entries } = this.tables[kind];
      const entry = this.live(kind, key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
      entry.failures += 1;
      entry.lastFailureAt = now;
      if (entry.failures >= limits.maxFailures) entry.lockedUntil = now + limits.lockoutMs;
      // Re-inserting moves the key to the end, so the map's order is least recently failed first.
      entries.delete(key);
      entries.set(key, entry);
      this.bound(kind, now);
    }
  }

  /** Only the account is cleared: one valid login must not wipe an address's record of guessing others. */
  succeed(keys: AttemptKeys, _now: number): void {
    if (keys.account !== undefined) this.tables.account.entries.delete(keys.account);
  }

  /** The wait after `failures` failures: none for the first few, then doubling up to the cap. */
  private delayAfter(failures: number): number {
    if (failures <= this.freeFailures) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (failures - this.freeFailures - 1));
  }

  private keysOf(keys: AttemptKeys): [keyof AttemptKeys, string][] {
    const pairs: [keyof AttemptKeys, string][] = [];
    if (keys.account !== undefined) pairs.push(["account", keys.account]);
    if (keys.address !== undefined) pairs.push(["address", keys.address]);
    return pairs;
  }

  /** The key's entry, dropping it first if its lockout ended or its failures are old enough to forget. */
  private live(kind: keyof AttemptKeys, key: string, now: number): Entry | undefined {
    const { entries } = this.tables[kind];
    const entry = entries.get(key);
    if (entry && this.expired(kind, entry, now)) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expired(kind: keyof AttemptKeys, entry: Entry, now: number): boolean {
    if (entry.lockedUntil > 0) return entry.lockedUntil <= now; // a lockout served wipes the slate
    return now - entry.lastFailureAt >= this.tables[kind].limits.lockoutMs;
  }

  /** Keeps memory bounded: sweep expired entries, then evict the least recently failed. */
  private bound(kind: keyof AttemptKeys, now: number): void {
    const { entries } = this.tables[kind];
    if (entries.size <= this.maxEntries) return;
    for (const [key, entry] of entries) if (this.expired(kind, entry, now)) entries.delete(key);
    for (const key of entries.keys()) {
      if (entries.size <= this.maxEntries) break;
      entries.delete(key);
    }
  }

  /** Entries held for one kind of key (for tests and metrics). */
  size(kind: keyof AttemptKeys): number {
    return this.tables[kind].entries.size;
  }
}

/**
 * The throttle key for a client address. IPv6 clients usually hold a whole /64, so they are counted
 * per /64, not per address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as the IPv4 address.
 */
export function addressKey(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1];
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mappedHex) {
    const [hi, lo] = [parseInt(mappedHex[1], 16), parseInt(mappedHex[2], 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  if (!address.includes(":")) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") && tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
