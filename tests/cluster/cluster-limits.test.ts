/**
 * Three gateways started in-process on one Redis behave as one for a key's limits: a 10/minute key admits
 * 10 of 30 requests sent round-robin. With Redis unreachable they serve on local state and say so in
 * /metrics (`smartroute_shared_state_degraded 1`), limits refused (closed, the default) or local (open).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { budgetWindow } from "../../src/pricing/spend-ledger.ts";
import { type Cluster, chat, gauge, startCluster } from "../helpers/cluster.ts";
import { closedPort, dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

let cluster: Cluster | undefined;
let prefix = "";
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await dropKeys(prefix);
});

describe.skipIf(!redisAnswers)("cluster limits through Redis", () => {
  test("a 10/minute key across three gateways admits 10 of 30", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(3, { redisUrl: REDIS_URL, prefix });
    const { key } = await cluster.createKey({ requestsPerMinute: 10 });
    const nodes = cluster.nodes;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(nodes[i % 3].url, key)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429 && a.code === "rate_limited")).toHaveLength(20);
    for (const node of nodes) expect(await gauge(node.url, "smartroute_shared_state_degraded")).toBe(0);
  });

  test("a $0.10 day budget across three gateways: what they spend together never passes it", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(3, { redisUrl: REDIS_URL, prefix });
    const { key, id } = await cluster.createKey({ budgetUsd: 0.1, budgetPeriod: "day" });
    const nodes = cluster.nodes;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(nodes[i % 3].url, key)));
    const served = answers.filter((a) => a.status === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(answers.filter((a) => a.code === "budget_exceeded")).toHaveLength(30 - served);
    await Bun.sleep(20); // settles are sent without being awaited
    const usage = await nodes[1].gateway.spend.ledger.usage(id, budgetWindow("day", 0.1, Date.now()));
    expect(usage.reservedMicros).toBe(0);
    expect(usage.spentMicros).toBeGreaterThan(0);
    expect(usage.spentMicros).toBeLessThanOrEqual(100_000);
  });

  test("Redis unreachable, closed (default): a key without limits is served, a limited key gets 503", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(1, { redisUrl: `redis://127.0.0.1:${closedPort()}`, prefix });
    const [node] = cluster.nodes;
    expect(await gauge(node.url, "smartroute_shared_state_degraded")).toBe(1);
    expect((await chat(node.url, (await cluster.createKey({})).key)).status).toBe(200);
    expect(await chat(node.url, (await cluster.createKey({ requestsPerMinute: 10 })).key)).toEqual({
      status: 503,
      code: "limits_unavailable",
    });
  });

  test("Redis unreachable, open: served on this gateway's own counter", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(1, { redisUrl: `redis://127.0.0.1:${closedPort()}`, prefix, whenDown: "open" });
    const [node] = cluster.nodes;
    const { key } = await cluster.createKey({ requestsPerMinute: 3 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => chat(node.url, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 429, 429]);
    expect(await gauge(node.url, "smartroute_shared_state_degraded")).toBe(1);
  });
});

test("without GATEWAY_REDIS_URL there is no shared-state gauge", async () => {
  const single = await startCluster(1, { redisUrl: "", prefix: "" });
  try {
    expect(await gauge(single.nodes[0].url, "smartroute_shared_state_degraded")).toBeUndefined();
  } finally {
    await single.stop();
  }
});
