/**
 * Money and in-flight counts per gateway key, behind an interface small enough to live in a shared store
 * (the cluster issue puts it in Redis: `reserve` is one atomic check-and-add, `settle` one add). Amounts
 * are integer micro-dollars. A reservation holds the worst case until the request settles at its real cost,
 * so however many requests run at once, spent + reserved never passes the budget.
 */

/** One budget period of a key: from `start` (inclusive) to `resetAt` (exclusive; absent for "total"). */
export interface BudgetWindow {
  start: number;
  resetAt?: number;
  limitMicros: number;
}

export interface Reservation {
  key: string;
  start: number;
  micros: number;
  /** The hold's id in a shared store (absent: held in process). */
  id?: string;
}

/** A request counted in flight. */
export interface Flight {
  key: string;
  /** Its id in a shared store (absent: counted in process). */
  id?: string;
}

/** A value, or its promise: the in-process ledger answers at once, a shared one over the network. */
export type Awaitable<T> = T | Promise<T>;

export interface SpendLedger {
  /** Reserves `micros` when spent + reserved + micros stays within the window's limit; undefined: refused. */
  reserve(key: string, window: BudgetWindow, micros: number): Awaitable<Reservation | undefined>;
  /** Replaces a reservation by the real cost (which may be below or, rarely, above it). Never throws. */
  settle(reservation: Reservation, micros: number): Awaitable<void>;
  /** What a key spent and holds in its window. */
  usage(key: string, window: BudgetWindow): Awaitable<{ spentMicros: number; reservedMicros: number }>;
  /** Counts a request in flight when fewer than `max` are; undefined: refused. */
  enter(key: string, max: number): Awaitable<Flight | undefined>;
  /** Ends what `enter` counted. Never throws. */
  leave(flight: Flight): Awaitable<void>;
  inFlight(key: string): Awaitable<number>;
}

interface Account {
  start: number;
  spent: number;
  reserved: number;
}

/**
 * In process (one gateway). `seed` gives a key's spend already in the request log for a window, read
 * once per key and window, so a restart keeps what was spent.
 */
export class MemoryLedger implements SpendLedger {
  private readonly accounts = new Map<string, Account>();
  private readonly flying = new Map<string, number>();

  constructor(private readonly seed: (key: string, since: number) => number = () => 0) {}

  private account(key: string, start: number): Account {
    let account = this.accounts.get(key);
    // A new period starts from nothing spent; reservations made in the old one settle there (ignored).
    if (!account || account.start !== start) {
      account = { start, spent: this.seed(key, start), reserved: 0 };
      this.accounts.set(key, account);
    }
    return account;
  }

  reserve(key: string, window: BudgetWindow, micros: number): Reservation | undefined {
    const account = this.account(key, window.start);
    if (account.spent + account.reserved + micros > window.limitMicros) return undefined;
    account.reserved += micros;
    return { key, start: window.start, micros };
  }

  settle(reservation: Reservation, micros: number): void {
    const account = this.accounts.get(reservation.key);
    if (!account || account.start !== reservation.start) return;
    account.reserved -= reservation.micros;
    account.spent += micros;
  }

  usage(key: string, window: BudgetWindow): { spentMicros: number; reservedMicros: number } {
    const account = this.account(key, window.start);
    return { spentMicros: account.spent, reservedMicros: account.reserved };
  }

  enter(key: string, max: number): Flight | undefined {
    const n = this.flying.get(key) ?? 0;
    if (n >= max) return undefined;
    this.flying.set(key, n + 1);
    return { key };
  }

  leave({ key }: Flight): void {
    const n = (this.flying.get(key) ?? 0) - 1;
    if (n > 0) this.flying.set(key, n);
    else this.flying.delete(key);
  }

  inFlight(key: string): number {
    return this.flying.get(key) ?? 0;
  }
}

export type BudgetPeriod = "day" | "month" | "total";

/** The UTC window `now` falls in. */
export function budgetWindow(period: BudgetPeriod, limitUsd: number, now: number): BudgetWindow {
  const limitMicros = Math.round(limitUsd * 1_000_000);
  const d = new Date(now);
  if (period === "total") return { start: 0, limitMicros };
  if (period === "day") {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { start, resetAt: start + 86_400_000, limitMicros };
  }
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { start, resetAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1), limitMicros };
}
