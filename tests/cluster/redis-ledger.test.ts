/**
 * The shared spend ledger on the real Redis: reserves and in-flight counts from several ledgers (standing
 * for several processes) never overshoot under concurrent callers, a killed process's holds lapse after
 * their TTL while a live one's are renewed, and a settle made while Redis is away is sent when it is back.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { RedisLedger } from "../../src/cluster/redis-ledger.ts";
import type { SharedState } from "../../src/cluster/shared-state.ts";
import type { BudgetWindow } from "../../src/pricing/spend-ledger.ts";
import { dropKeys, quiet, redisAnswers, sharedState, uniquePrefix, unreachable } from "../helpers/redis.ts";

const T0 = 1_800_000_000_000;
let t = T0;
const now = () => t;
let prefix = "";
const states: SharedState[] = [];
const ledgers: RedisLedger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) l.close();
  for (const s of states.splice(0)) await s.close();
  await dropKeys(prefix);
  t = T0;
});

async function ledgersOn(n: number, options: { ttlMs?: number; seed?: () => number | Promise<number> } = {}) {
  prefix = uniquePrefix();
  for (let i = 0; i < n; i++) {
    const shared = await sharedState(prefix);
    states.push(shared);
    ledgers.push(new RedisLedger(shared, { now, log: quiet, ...options }));
  }
  return ledgers.slice();
}

const day: BudgetWindow = { start: T0 - 1000, resetAt: T0 + 86_400_000, limitMicros: 1000 };

describe.skipIf(!redisAnswers)("RedisLedger", () => {
  test("100 concurrent reserves of 30 from three ledgers against 1000: 33 held, never more", async () => {
    const three = await ledgersOn(3);
    const held = await Promise.all(Array.from({ length: 100 }, (_, i) => three[i % 3].reserve("k", day, 30)));
    const granted = held.filter((r) => r !== undefined);
    expect(granted).toHaveLength(33);
    expect(await three[1].usage("k", day)).toEqual({ spentMicros: 0, reservedMicros: 990 });
    for (const r of granted) three[0].settle(r!, 20);
    await Bun.sleep(20); // the settles are sent without being awaited
    expect(await three[2].usage("k", day)).toEqual({ spentMicros: 660, reservedMicros: 0 });
    const next = await Promise.all(Array.from({ length: 30 }, (_, i) => three[i % 3].reserve("k", day, 30)));
    expect(next.filter((r) => r !== undefined)).toHaveLength(11); // (1000 - 660) / 30
  });

  test("the window's first reserve starts from what the log says was spent", async () => {
    const [ledger] = await ledgersOn(1, { seed: () => 900 });
    expect(await ledger.usage("k", day)).toEqual({ spentMicros: 900, reservedMicros: 0 });
    expect(await ledger.reserve("k", day, 200)).toBeUndefined();
    expect(await ledger.reserve("k", day, 100)).toBeDefined();
  });

  test("a seed from PostgreSQL's log (a promise) is asked once per window, and a failed one is asked again", async () => {
    let asked = 0;
    let away = true;
    const [ledger] = await ledgersOn(1, {
      seed: async () => {
        asked++;
        if (away) throw new Error("database away");
        return 900;
      },
    });
    await expect(ledger.reserve("k", day, 100)).rejects.toThrow("database away");
    away = false;
    const together = await Promise.all([ledger.reserve("k", day, 50), ledger.reserve("k", day, 50)]);
    expect(together.every((r) => r !== undefined)).toBe(true);
    expect(await ledger.reserve("k", day, 50)).toBeUndefined(); // 900 + 100 held: the window is full
    expect(asked).toBe(2);
  });

  test("100 concurrent enters from three ledgers with a cap of 5: exactly 5 in flight", async () => {
    const three = await ledgersOn(3);
    const flights = await Promise.all(Array.from({ length: 100 }, (_, i) => three[i % 3].enter("k", 5)));
    const counted = flights.filter((f) => f !== undefined);
    expect(counted).toHaveLength(5);
    expect(await three[0].inFlight("k")).toBe(5);
    for (const f of counted) three[1].leave(f!);
    await Bun.sleep(20);
    expect(await three[2].inFlight("k")).toBe(0);
    expect(await three[2].enter("k", 5)).toBeDefined();
  });

  test("a killed process's holds lapse after their TTL; a running one's are renewed", async () => {
    const [a, b] = await ledgersOn(2, { ttlMs: 300 });
    expect(await a.enter("k", 1)).toBeDefined();
    expect(await a.reserve("k", day, 1000)).toBeDefined();
    t = T0 + 250;
    await Bun.sleep(150); // a renews (every ttl / 3, on a real timer): its holds now run to T0 + 550 or later
    t = T0 + 400;
    expect(await b.enter("k", 1)).toBeUndefined();
    expect(await b.reserve("k", day, 1)).toBeUndefined();
    a.close(); // killed: nothing renews its holds any more
    t = T0 + 2000;
    expect(await b.enter("k", 1)).toBeDefined();
    expect(await b.reserve("k", day, 1000)).toBeDefined();
  });

  test("a settle while Redis is away is sent when it is back", async () => {
    const [ledger] = await ledgersOn(1);
    const held = await ledger.reserve("k", day, 500);
    const redis = states[0].redis;
    const ended = new Promise((resolve) => redis.once("end", resolve));
    redis.disconnect();
    await ended;
    ledger.settle(held!, 120);
    expect(states[0].degraded).toBe(true);
    await redis.connect();
    expect(states[0].degraded).toBe(false);
    await Bun.sleep(20);
    expect(await ledger.usage("k", day)).toEqual({ spentMicros: 120, reservedMicros: 0 });
  });

  test("Redis unreachable: open serves on the local ledger, closed refuses with 503", async () => {
    prefix = uniquePrefix();
    const { openState, closedState } = await unreachable(prefix);
    states.push(openState, closedState);
    const local = new RedisLedger(openState, { now, log: quiet });
    const closed = new RedisLedger(closedState, { now, log: quiet });
    ledgers.push(local, closed);
    const held = await local.reserve("k", day, 600);
    expect(held?.id).toBeUndefined();
    expect(await local.reserve("k", day, 600)).toBeUndefined();
    expect(await local.enter("k", 1)).toEqual({ key: "k" });
    expect(await closed.enter("k", 1).catch((e) => e)).toMatchObject({ status: 503, clientCode: "limits_unavailable" });
    // Reads never refuse: the admin sees this process's figures.
    expect(await closed.usage("k", day)).toEqual({ spentMicros: 0, reservedMicros: 0 });
  });
});
