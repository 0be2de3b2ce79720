/**
 * The shared requests-per-minute counter on the real Redis: its Lua script counts atomically under
 * concurrent callers (several limiters standing for several processes), and the window slides on the
 * caller's clock.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { RedisRateLimiter } from "../../src/cluster/redis-rate-limit.ts";
import type { SharedState } from "../../src/cluster/shared-state.ts";
import { dropKeys, redisAnswers, sharedState, uniquePrefix, unreachable } from "../helpers/redis.ts";

const NOW = 1_800_000_000_000;
let prefix = "";
const open: SharedState[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await dropKeys(prefix);
});

async function limiters(n: number) {
  prefix = uniquePrefix();
  const states = await Promise.all(Array.from({ length: n }, () => sharedState(prefix)));
  open.push(...states);
  return states.map((s) => new RedisRateLimiter(s));
}

describe.skipIf(!redisAnswers)("RedisRateLimiter", () => {
  test("300 concurrent takes from three limiters on a 10/minute key: exactly 10 counted", async () => {
    const three = await limiters(3);
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => three[i % 3].take("k1", 10, NOW + i)));
    expect(answers.filter((a) => a === undefined)).toHaveLength(10);
    // The refused wait for the oldest of the ten to leave the window.
    for (const a of answers.filter((x) => x !== undefined)) expect(a).toBeLessThanOrEqual(60_000);
  });

  test("the window slides: a request leaves it a minute after it came", async () => {
    const [limiter] = await limiters(1);
    expect(await limiter.take("k", 2, NOW)).toBeUndefined();
    expect(await limiter.take("k", 2, NOW + 30_000)).toBeUndefined();
    expect(await limiter.take("k", 2, NOW + 59_000)).toBe(1000);
    expect(await limiter.take("k", 2, NOW + 60_001)).toBeUndefined();
    expect(await limiter.take("k", 2, NOW + 60_002)).toBe(29_998);
    // Another key has its own window.
    expect(await limiter.take("other", 2, NOW + 60_002)).toBeUndefined();
  });

  test("Redis unreachable: degraded; open counts locally, closed refuses with 503", async () => {
    prefix = uniquePrefix();
    const { openState, closedState } = await unreachable(prefix);
    open.push(openState, closedState);
    expect(openState.degraded).toBe(true);
    const local = new RedisRateLimiter(openState);
    expect(await local.take("k", 1, NOW)).toBeUndefined();
    expect(await local.take("k", 1, NOW + 1)).toBe(59_999);
    const refusal = await new RedisRateLimiter(closedState).take("k", 1, NOW).catch((e) => e);
    expect(refusal).toMatchObject({ status: 503, clientCode: "limits_unavailable" });
  });
});
