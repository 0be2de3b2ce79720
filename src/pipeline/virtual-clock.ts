/**
 * A clock that moves only when a test says so. Every budget timer of the request path (connect, first
 * token, idle, total, backoff, the relay's finish grace) and every delay of a scripted upstream is one of
 * its timers, so a test of a 30-second stall runs in microseconds and gives the same answer every time.
 */
import type { Clock } from "../plugin/types.ts";

interface PendingTimer {
  at: number;
  /** Order of creation: timers due at the same time run in the order they were set. */
  seq: number;
  fn: () => void;
}

/** 2026-01-01T00:00:00Z: where a virtual clock starts unless told otherwise. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

/** Macrotask turns given to the code under test after each timer: enough for promise and stream chains. */
const SETTLE_TURNS = 4;

const pad = (n: number) => String(n).padStart(2, "0");

const nextTurn = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Lets everything that is ready run (promise callbacks, stream pulls) without moving virtual time. */
async function settle(turns = SETTLE_TURNS): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

/**
 * A deterministic `Clock` for tests (`createGateway({ clock })`). `advance(ms)` runs the timers that fall
 * due, in time order, letting the code under test run between them; `run(promise)` advances from timer
 * to timer until the promise settles. `localTime()` is the UTC time of `now()`, so it does not depend on
 * the machine's time zone.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  /** Sorted by due time, then creation. */
  private timers: PendingTimer[] = [];

  /** `start`: epoch ms of the clock's first reading (default 2026-01-01T00:00:00Z). */
  constructor(start: number = VIRTUAL_EPOCH) {
    this.t = start;
  }

  // Arrow properties: the pipeline passes `clock.now` around detached from the clock.
  /** Virtual epoch milliseconds. */
  now = (): number => this.t;

  /** "HH:MM" of `now()` in UTC. */
  localTime = (): string => {
    const d = new Date(this.t);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };

  /** Calls `fn` when virtual time reaches `now() + ms`; returns its cancel function. */
  setTimer = (ms: number, fn: () => void): (() => void) => {
    const timer: PendingTimer = { at: this.t + Math.max(0, ms), seq: ++this.seq, fn };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  };

  /** Resolves when virtual time has moved `ms` on; rejects with the signal's reason if it aborts first. */
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => (cancel(), reject(signal?.reason));
      const cancel = this.setTimer(ms, () => (signal?.removeEventListener("abort", onAbort), resolve()));
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  /** Timers set and not yet run or cancelled (a finished request should leave none behind). */
  get pending(): number {
    return this.timers.length;
  }

  /** When the next timer is due (epoch ms), or undefined when none is set. */
  get nextAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /** Moves time `ms` forward, running each timer due on the way at its own time, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + Math.max(0, ms);
    await settle();
    for (let next = this.timers[0]; next && next.at <= end; next = this.timers[0]) {
      this.fire(next);
      await settle();
    }
    this.t = end;
    await settle();
  }

  /**
   * Advances from timer to timer until `promise` settles, and returns (or throws) what it does. Rejects
   * when nothing is left that could settle it (no timer set: the code under test waits for something
   * that will never come) or when more than `maxMs` of virtual time would pass (default one day).
   */
  async run<T>(promise: Promise<T>, options: { maxMs?: number } = {}): Promise<T> {
    const limit = this.t + (options.maxMs ?? 86_400_000);
    let state: "pending" | "settled" = "pending";
    const watched = promise.finally(() => {
      state = "settled";
    });
    watched.catch(() => {}); // the caller gets the rejection from the returned promise
    await settle();
    while (state === "pending") {
      const next = this.timers[0];
      if (!next) {
        await settle(SETTLE_TURNS * 4); // a last chance for work that is ready but slow to chain
        if ((state as string) === "pending")
          throw new Error(
            "VirtualClock.run: the promise is still pending and no timer is set: it waits for something that never comes",
          );
        break;
      }
      if (next.at > limit)
        throw new Error(`VirtualClock.run: still pending after ${options.maxMs ?? 86_400_000} ms of virtual time`);
      this.fire(next);
      await settle();
    }
    return watched;
  }

  private fire(timer: PendingTimer): void {
    this.timers.shift();
    this.t = Math.max(this.t, timer.at);
    timer.fn();
  }
}
