/**
 * Per-key requests per minute, behind an interface a shared store implements too (src/cluster/: one Lua
 * script on Redis, so every process of a cluster counts against the same window). The window slides: a
 * request counts for the minute after it, as the in-process counter has always done.
 */

export const RATE_WINDOW_MS = 60_000;

export interface RateLimiter {
  /** Counts one request of `key` if fewer than `limit` were counted in the window before `now`; else the ms to wait. */
  take(key: string, limit: number, now: number): Promise<number | undefined>;
}

/** In process: the times of each key's requests in the last window. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, number[]>();

  /** The synchronous check, for callers that want no promise (and the Redis limiter's fallback). */
  takeNow(key: string, limit: number, now: number): number | undefined {
    const window = (this.windows.get(key) ?? []).filter((t) => t > now - RATE_WINDOW_MS);
    this.windows.set(key, window);
    if (window.length >= limit) return window[0] + RATE_WINDOW_MS - now;
    window.push(now);
    return undefined;
  }

  async take(key: string, limit: number, now: number): Promise<number | undefined> {
    return this.takeNow(key, limit, now);
  }
}
