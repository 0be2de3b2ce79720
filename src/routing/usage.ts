/**
 * Recent use of each target, what the adaptive strategy balances on: successful uses in the last minute
 * per target, and per tier the last few targets chosen (to spread consecutive requests).
 */
const WINDOW_MS = 60_000;

export class UsageTracker {
  private readonly uses = new Map<string, number[]>();
  private readonly recent = new Map<string, string[]>();

  constructor(private readonly historySize = 3) {}

  record(tier: string, ref: string, now: number): void {
    const list = this.uses.get(ref) ?? [];
    list.push(now);
    this.uses.set(ref, this.prune(list, now));
    const history = this.recent.get(tier) ?? [];
    history.push(ref);
    if (history.length > this.historySize) history.shift();
    this.recent.set(tier, history);
  }

  /** Successful uses of `ref` in the last minute. */
  recentUses(ref: string, now: number): number {
    const list = this.uses.get(ref);
    if (!list) return 0;
    const pruned = this.prune(list, now);
    this.uses.set(ref, pruned);
    return pruned.length;
  }

  /** The last targets chosen in `tier`, oldest first. */
  history(tier: string): readonly string[] {
    return this.recent.get(tier) ?? [];
  }

  private prune(list: number[], now: number): number[] {
    let i = 0;
    while (i < list.length && list[i] <= now - WINDOW_MS) i++;
    return i === 0 ? list : list.slice(i);
  }
}
