/**
 * Redis going away under load and coming back, for two gateways (through a TCP proxy that can cut them
 * off, without stopping the Redis other tests share): every request keeps being served (a key without
 * limits always, a limited key on local counters under `open`), the degraded gauge says so while Redis is
 * away, and once it is back the gauge clears and the key's requests are counted in Redis again.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Redis } from "ioredis";
import { type Cluster, chat, gauge, startCluster } from "../helpers/cluster.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

let cluster: Cluster | undefined;
let proxy: TcpProxy | undefined;
let prefix = "";
afterEach(async () => {
  await cluster?.stop();
  await proxy?.close();
  cluster = undefined;
  proxy = undefined;
  await dropKeys(prefix);
});

/** Waits (at most 5 s: the client reconnects every 2 s at most) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check()) && Date.now() - started < 5_000) await Bun.sleep(25);
}

/** Requests counted in Redis for the key (its sliding window's entries). */
async function counted(id: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.zcard(`${prefix}rate:${id}`);
  } finally {
    redis.disconnect();
  }
}

describe.skipIf(!redisAnswers)("Redis cut mid-load", () => {
  test("served throughout, degraded while cut, shared again after", async () => {
    prefix = uniquePrefix();
    proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(REDIS_URL).port || 6379) });
    cluster = await startCluster(2, { redisUrl: proxy.url, prefix, whenDown: "open" });
    const { key, id } = await cluster.createKey({ requestsPerMinute: 10_000 });
    const nodes = cluster.nodes;
    const round = () => Promise.all(nodes.flatMap((n) => [chat(n.url, key), chat(n.url, key)]));

    const before = await round();
    expect(before.every((a) => a.status === 200)).toBe(true);
    expect(await counted(id)).toBe(4);

    await proxy.cut();
    await until(async () => (await gauge(nodes[0].url, "smartroute_shared_state_degraded")) === 1);
    const during: { status: number }[] = [];
    for (let i = 0; i < 5; i++) during.push(...(await round()));
    expect(during.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const node of nodes) expect(await gauge(node.url, "smartroute_shared_state_degraded")).toBe(1);
    expect(await counted(id)).toBe(4); // counted locally meanwhile

    await proxy.restore();
    await until(async () => {
      const gauges = await Promise.all(nodes.map((n) => gauge(n.url, "smartroute_shared_state_degraded")));
      return gauges.every((g) => g === 0);
    });
    // A request may find the connection not yet ready: retry a round until both count in Redis again.
    await until(async () => {
      await round();
      return (await counted(id)) >= 8;
    });
    for (const node of nodes) expect(await gauge(node.url, "smartroute_shared_state_degraded")).toBe(0);
    expect(await counted(id)).toBeGreaterThanOrEqual(8);
  }, 30_000);
});
