/**
 * `ctx.cache` in a cluster (`RedisSharedCache`), on the real Redis: a value set by one process is read by
 * another until its TTL ends; while Redis is unreachable the cache simply holds nothing.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { RedisSharedCache } from "../../src/cluster/shared-cache.ts";
import type { SharedState } from "../../src/cluster/shared-state.ts";
import { closedPort, dropKeys, redisAnswers, sharedState, uniquePrefix } from "../helpers/redis.ts";

let prefix = "";
const states: SharedState[] = [];
afterEach(async () => {
  for (const state of states.splice(0)) await state.close();
  await dropKeys(prefix);
});

async function process_(url?: string): Promise<RedisSharedCache> {
  const state = await sharedState(prefix, { url });
  states.push(state);
  return new RedisSharedCache(state);
}

describe.skipIf(!redisAnswers)("the cluster's shared cache", () => {
  test("set on one process, read on another, gone after its TTL", async () => {
    prefix = uniquePrefix();
    const [a, b] = [await process_(), await process_()];
    a.set("llm-intent:42", "t2", 150);
    await Bun.sleep(20); // the write is not awaited
    expect(await b.get("llm-intent:42")).toBe("t2");
    expect(await b.get("llm-intent:43")).toBeUndefined();
    await Bun.sleep(200);
    expect(await b.get("llm-intent:42")).toBeUndefined();
  });

  test("Redis unreachable: nothing is kept, nothing is found, nothing throws", async () => {
    prefix = uniquePrefix();
    const down = await process_(`redis://127.0.0.1:${closedPort()}`);
    down.set("k", "v", 1000);
    expect(await down.get("k")).toBeUndefined();
  });
});
