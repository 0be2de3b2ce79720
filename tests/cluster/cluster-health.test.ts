/**
 * Two gateways on one Redis share what they learn about upstreams: after one of them has seen a model fail
 * until its circuit opened, the other sends its very first request straight to the fallback, without
 * trying the failing model, and both show the circuit open on their health view.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { type Cluster, startCluster } from "../helpers/cluster.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

let cluster: Cluster | undefined;
let prefix = "";
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await dropKeys(prefix);
});

async function ask(url: string): Promise<{ model: string | null; attempts: number }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "t1", max_tokens: 4, messages: [{ role: "user", content: "hello" }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return {
    model: response.headers.get("x-gateway-model"),
    attempts: Number(response.headers.get("x-gateway-attempts")),
  };
}

describe.skipIf(!redisAnswers)("health across a cluster", () => {
  test("a circuit opened on one gateway keeps the other from trying that model", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(2, {
      redisUrl: REDIS_URL,
      prefix,
      tiers: `{ t1: { models: ["down/m1", "sim/m1"] } }`,
    });
    const [a, b] = cluster.nodes;
    // Each request on A fails on down/m1 (with its retry) before sim/m1 answers; the circuit opens.
    for (let i = 0; i < 3 && a.gateway.health.view("down/m1", Date.now()).state !== "open"; i++)
      expect((await ask(a.url)).model).toBe("sim/m1");
    expect(a.gateway.health.view("down/m1", Date.now()).state).toBe("open");
    const started = Date.now();
    while (b.gateway.health.view("down/m1", Date.now()).state !== "open" && Date.now() - started < 2_000)
      await Bun.sleep(5);
    expect(b.gateway.health.view("down/m1", Date.now()).state).toBe("open");
    // B never saw down/m1 fail itself, yet its first request goes to the fallback in one attempt.
    expect(await ask(b.url)).toEqual({ model: "sim/m1", attempts: 1 });
  });
});
