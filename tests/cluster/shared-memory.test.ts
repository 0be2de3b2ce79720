/**
 * Conversation memory shared through Redis: what one process remembers about a conversation (its tier,
 * a tool-calling turn) is known to its siblings, to a process started later, and routes the next turn
 * on another gateway of the cluster.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { SharedConversationMemory } from "../../src/cluster/shared-memory.ts";
import type { SharedState } from "../../src/cluster/shared-state.ts";
import { conversationKey } from "../../src/routing/conversations.ts";
import { type Cluster, startCluster } from "../helpers/cluster.ts";
import { dropKeys, REDIS_URL, redisAnswers, sharedState, uniquePrefix } from "../helpers/redis.ts";

const NOW = 1_800_000_000_000;
let prefix = "";
let cluster: Cluster | undefined;
const opened: { memory: SharedConversationMemory; shared: SharedState }[] = [];

async function replica(): Promise<SharedConversationMemory> {
  const shared = await sharedState(prefix);
  const memory = new SharedConversationMemory(shared, { blockMs: 200 });
  await memory.replayed;
  opened.push({ memory, shared });
  return memory;
}

async function until(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check() && Date.now() - started < 2_000) await Bun.sleep(5);
}

afterEach(async () => {
  for (const { memory, shared } of opened.splice(0)) {
    memory.close();
    await shared.close();
  }
  await cluster?.stop();
  cluster = undefined;
  await dropKeys(prefix);
});

describe.skipIf(!redisAnswers)("conversation memory shared through Redis", () => {
  test("a write on one process is read on its sibling and by a process started later", async () => {
    prefix = uniquePrefix();
    const [a, b] = [await replica(), await replica()];
    a.set("c:abc", "t3", NOW);
    await until(() => b.get("c:abc", NOW + 1) === "t3");
    expect(b.get("c:abc", NOW + 1)).toBe("t3");
    expect(b.get("c:other", NOW + 1)).toBeUndefined();
    // The memory's lifetime still holds on the sibling: an hour later it has expired there too.
    expect(b.get("c:abc", NOW + 3_600_001)).toBeUndefined();
    const late = await replica();
    expect(late.get("c:abc", NOW + 2)).toBe("t3");
  });

  test("a sticky conversation on gateway A keeps its tier when gateway B serves the next turn", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(2, {
      redisUrl: REDIS_URL,
      prefix,
      tiers: `{ t1: { models: ["sim/m1"] }, t2: { models: ["sim/m2"] } }`,
      routing: `{ sticky: true }`,
    });
    const [a, b] = cluster.nodes;
    const messages = [{ role: "user" as const, content: "plan the migration" }];
    // A routed this conversation to t2 (recorded in its memory as the sticky refiner does).
    a.gateway.sharedMemory!.set(conversationKey(messages), "t2", Date.now());
    await until(() => b.gateway.sharedMemory!.get(conversationKey(messages), Date.now()) === "t2");
    const response = await fetch(`${b.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "auto",
        messages: [...messages, { role: "assistant", content: "Step one..." }, { role: "user", content: "ok" }],
      }),
    });
    expect(response.status).toBe(200);
    await response.text();
    expect(response.headers.get("x-gateway-model")).toBe("sim/m2");
  });
});
