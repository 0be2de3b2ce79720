import type { Clock } from "../plugin/types.ts";

/**
 * Which budget a watchdog enforces: no headers within connectMs, no first content within firstTokenMs,
 * no event within idleMs (stall), the request's total deadline, and the short wait for `[DONE]` after
 * every choice finished.
 */
export type BudgetReason = "timeout_connect" | "timeout_first_token" | "stall" | "deadline" | "finish_grace";

/** Why an attempt's upstream call was aborted: a budget, the client leaving, or the gateway done with it. */
export type AbortReason = BudgetReason | "client" | "done";

/**
 * A re-armable deadline with one lazy timer. Moving the deadline (after every stream event) is a field
 * write, not a new timer: the timer wakes at the old time, sees the deadline moved and sleeps again.
 * That keeps per-chunk cost flat with thousands of concurrent streams. The timer is the clock's, so a
 * virtual clock drives every budget in tests.
 */
export class Watchdog {
  private at = Number.POSITIVE_INFINITY;
  /** Cancels the pending timer; undefined when none is pending. */
  private cancel: (() => void) | undefined;
  /** When the pending timer fires. */
  private wakeAt = Number.POSITIVE_INFINITY;
  private reason: BudgetReason = "deadline";

  constructor(
    private readonly onExpire: (reason: BudgetReason) => void,
    private readonly clock: Pick<Clock, "now" | "setTimer">,
  ) {}

  /** Expires at epoch ms `at` with `reason`, replacing any earlier deadline. */
  arm(at: number, reason: BudgetReason): void {
    this.at = at;
    this.reason = reason;
    if (this.cancel === undefined) this.schedule();
    else if (at < this.wakeAt) {
      // Moved earlier than the pending wake-up (a first-token budget replaced by a shorter idle one).
      this.cancel();
      this.schedule();
    }
  }

  disarm(): void {
    this.at = Number.POSITIVE_INFINITY;
    this.cancel?.();
    this.cancel = undefined;
  }

  private schedule(): void {
    const now = this.clock.now();
    const wait = Math.max(0, this.at - now);
    this.wakeAt = now + wait;
    this.cancel = this.clock.setTimer(wait, () => {
      this.cancel = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      if (this.at === Number.POSITIVE_INFINITY) return;
      if (this.clock.now() >= this.at) {
        this.at = Number.POSITIVE_INFINITY;
        this.onExpire(this.reason);
      } else this.schedule();
    });
  }
}
