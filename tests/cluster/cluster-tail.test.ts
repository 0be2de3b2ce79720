/**
 * The live tail across a cluster: a tail open on gateway A shows the requests gateway B serves (and A's
 * own, once each), and while no tail is open anywhere no row is published on Redis at all.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Redis } from "ioredis";
import type { SharedTail } from "../../src/cluster/shared-tail.ts";
import type { TailRow } from "../../src/store/log-writer.ts";
import { type Cluster, startCluster } from "../helpers/cluster.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

let cluster: Cluster | undefined;
let prefix = "";
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await dropKeys(prefix);
});

async function ask(url: string, text: string): Promise<void> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "t1", max_tokens: 4, messages: [{ role: "user", content: text }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const started = Date.now();
  while (!check() && Date.now() - started < ms) await Bun.sleep(10);
}

async function startTwo(): Promise<Cluster> {
  prefix = uniquePrefix();
  const started = await startCluster(2, { redisUrl: REDIS_URL, prefix });
  for (const node of started.nodes) await (node.gateway.tail as SharedTail).ready;
  return started;
}

describe.skipIf(!redisAnswers)("live tail across a cluster", () => {
  test("a tail open on A shows what B serves, and A's own rows once", async () => {
    cluster = await startTwo();
    const [a, b] = cluster.nodes;
    const seen: TailRow[] = [];
    const stop = a.gateway.tail!.subscribe((rows) => seen.push(...rows));
    await Bun.sleep(50); // B hears the announcement
    await ask(b.url, "served by B");
    await ask(a.url, "served by A");
    const previews = () => seen.map((r) => r.promptPreview);
    await until(() => previews().includes("served by B") && previews().includes("served by A"));
    stop();
    expect(previews().filter((p) => p === "served by B")).toHaveLength(1);
    expect(previews().filter((p) => p === "served by A")).toHaveLength(1);
  });

  test("with no tail open anywhere, nothing is published", async () => {
    cluster = await startTwo();
    const listener = new Redis(REDIS_URL);
    const messages: string[] = [];
    await listener.subscribe(`${prefix}tail:rows`);
    listener.on("message", (_channel, message) => messages.push(message));
    try {
      await ask(cluster.nodes[1].url, "nobody watches");
      await cluster.nodes[1].gateway.writer!.flush();
      await Bun.sleep(100);
      expect(messages).toEqual([]);
      // Once a tail opens on A, B's next rows are published.
      const stop = cluster.nodes[0].gateway.tail!.subscribe(() => {});
      await Bun.sleep(50);
      await ask(cluster.nodes[1].url, "now someone does");
      await until(() => messages.length > 0);
      stop();
      expect(messages.join("")).toContain("now someone does");
    } finally {
      listener.disconnect();
    }
  });
});
