/**
 * Requests per minute per key, counted in Redis by one Lua script, so the check and the count are one
 * step for every process of the cluster: a 10/minute key admits 10 across all of them, never 10 each.
 * The window slides like the in-process one (a sorted set of request times per key, expiring with its
 * last entry). Times are the caller's clock (the injected one), so tests drive the window.
 */
import { MemoryRateLimiter, RATE_WINDOW_MS, type RateLimiter } from "../auth/rate-limit.ts";
import type { SharedState } from "./shared-state.ts";

// KEYS[1]: the key's window. ARGV: now, window ms, limit, a unique member. Returns -1 (counted) or the ms
// until the oldest request leaves the window.
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window))
return '-1'
`;

type WithTake = {
  srTakeRate(key: string, now: number, window: number, limit: number, member: string): Promise<string>;
};

export class RedisRateLimiter implements RateLimiter {
  /** Counts while Redis is down, when the policy serves on local state. */
  readonly local = new MemoryRateLimiter();
  private seq = 0;
  /** Members must be unique across processes: two requests of one key can share a millisecond. */
  private readonly self = crypto.randomUUID().slice(0, 8);

  constructor(private readonly shared: SharedState) {
    shared.redis.defineCommand("srTakeRate", { numberOfKeys: 1, lua: TAKE });
  }

  take(key: string, limit: number, now: number): Promise<number | undefined> {
    return this.shared.run(
      async () => {
        const redis = this.shared.redis as unknown as WithTake;
        const member = `${this.self}:${++this.seq}`;
        const answer = Number(await redis.srTakeRate(`rate:${key}`, now, RATE_WINDOW_MS, limit, member));
        return answer < 0 ? undefined : answer;
      },
      () => this.local.takeNow(key, limit, now),
    );
  }
}
