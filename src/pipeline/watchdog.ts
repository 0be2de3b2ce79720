/**
 * A re-armable deadline with one lazy timer. Moving the deadline (after every stream event) is a field
 * write, not a new timer: the timer wakes at the old time, sees the deadline moved and sleeps again.
 * That keeps per-chunk cost flat with thousands of concurrent streams.
 */
export class Watchdog {
  private at = Number.POSITIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending timer fires. */
  private wakeAt = Number.POSITIVE_INFINITY;
  private reason = "";

  constructor(
    private readonly onExpire: (reason: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Expires at epoch ms `at` with `reason`, replacing any earlier deadline. */
  arm(at: number, reason: string): void {
    this.at = at;
    this.reason = reason;
    if (this.timer === undefined) this.schedule();
    else if (at < this.wakeAt) {
      // Moved earlier than the pending wake-up (a first-token budget replaced by a shorter idle one).
      clearTimeout(this.timer);
      this.schedule();
    }
  }

  disarm(): void {
    this.at = Number.POSITIVE_INFINITY;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const wait = Math.max(0, this.at - this.now());
    this.wakeAt = this.now() + wait;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      if (this.at === Number.POSITIVE_INFINITY) return;
      if (this.now() >= this.at) {
        this.at = Number.POSITIVE_INFINITY;
        this.onExpire(this.reason);
      } else this.schedule();
    }, wait);
  }
}
