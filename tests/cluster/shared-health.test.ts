/**
 * Target health shared through Redis by the processes of a cluster (`src/cluster/shared-health.ts`), on
 * the real Redis: a circuit opened by failures seen on one process is open on its siblings, exactly one
 * process takes the half-open probe, a process that starts later replays the recent past, and entries
 * made while Redis was cut reach the siblings once it is back.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { SharedHealthRegistry } from "../../src/cluster/shared-health.ts";
import type { SharedState } from "../../src/cluster/shared-state.ts";
import { type AttemptEffect, MemoryHealthRegistry } from "../../src/routing/health.ts";
import { dropKeys, REDIS_URL, redisAnswers, sharedState, uniquePrefix } from "../helpers/redis.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

const T0 = 1_800_000_000_000;
const FAIL: AttemptEffect = { ok: false, penalty: 2, reason: "HTTP 503" };
const OK: AttemptEffect = { ok: true, penalty: 0, reason: "answered", latencyMs: 40 };
const SETTINGS = {
  decayHalfLifeMs: 300_000,
  windowMs: 300_000,
  openAfterFailures: 5,
  openCooldownMs: 10_000,
  maxCooldownMs: 20_000,
};

let prefix = "";
const opened: { registry: SharedHealthRegistry; shared: SharedState }[] = [];
const proxies: TcpProxy[] = [];

/** A process's registry on the test Redis (or on `url`). */
async function replica(url = REDIS_URL, probeLockMs?: number): Promise<SharedHealthRegistry> {
  const shared = await sharedState(prefix, { url });
  const registry = new SharedHealthRegistry(new MemoryHealthRegistry(() => SETTINGS), shared, {
    blockMs: 200,
    probeLockMs,
  });
  await registry.replayed;
  opened.push({ registry, shared });
  return registry;
}

/** Waits (at most 2 s) until `check` holds; returns how long it took. */
async function until(check: () => boolean): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > 2_000) throw new Error("not within 2 s");
    await Bun.sleep(5);
  }
  return performance.now() - started;
}

afterEach(async () => {
  for (const { registry, shared } of opened.splice(0)) {
    registry.close();
    await shared.close();
  }
  for (const proxy of proxies.splice(0)) await proxy.close();
  await dropKeys(prefix);
});

describe.skipIf(!redisAnswers)("health shared through Redis", () => {
  test("five failures counted on one process open the circuit on its sibling", async () => {
    prefix = uniquePrefix();
    const [a, b] = [await replica(), await replica()];
    for (let i = 0; i < 5; i++) a.record("p/flaky", T0 + i, FAIL);
    expect(a.view("p/flaky", T0 + 10).state).toBe("open");
    await until(() => b.view("p/flaky", T0 + 10).state === "open");
    const seen = b.view("p/flaky", T0 + 10);
    expect(seen.failures).toBe(5);
    expect(seen.cooldownUntil).toBe(a.view("p/flaky", T0 + 10).cooldownUntil);
    expect(b.availability("p/flaky", T0 + 10)).toBe("cooling");
    // A target the sibling never saw fail is untouched.
    expect(b.view("p/other", T0 + 10).state).toBe("closed");
  });

  test("exactly one process takes the half-open probe; its verdict closes the circuit everywhere", async () => {
    prefix = uniquePrefix();
    const nodes = [await replica(), await replica(), await replica()];
    for (let i = 0; i < 5; i++) nodes[0].record("p/flaky", T0 + i, FAIL);
    await until(() => nodes.every((n) => n.view("p/flaky", T0 + 10).state === "open"));
    const later = T0 + 60_000; // past the cooldown: half-open on all three
    expect(nodes.map((n) => n.availability("p/flaky", later))).toEqual(["probe", "probe", "probe"]);
    const claims = await Promise.all(nodes.map((n) => n.beginAttempt("p/flaky", later)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const prober = nodes[claims.indexOf(true)];
    const others = nodes.filter((n) => n !== prober);
    // The others wait for the prober's verdict rather than probing themselves.
    for (const other of others) {
      expect(other.availability("p/flaky", later)).toBe("cooling");
      expect(await other.beginAttempt("p/flaky", later + 1)).toBe(false);
    }
    prober.record("p/flaky", later + 50, OK);
    await until(() => others.every((n) => n.view("p/flaky", later + 60).state === "closed"));
    for (const node of nodes) expect(node.availability("p/flaky", later + 60)).toBe("ready");
  });

  test("a process started later replays the recent past: it knows the circuit is open", async () => {
    prefix = uniquePrefix();
    const a = await replica();
    for (let i = 0; i < 5; i++) a.record("p/flaky", T0 + i, FAIL);
    await Bun.sleep(20); // the entries are sent without waiting
    const late = await replica();
    expect(late.view("p/flaky", T0 + 10).state).toBe("open");
    expect(late.view("p/flaky", T0 + 10).failures).toBe(5);
  });

  test("entries made while Redis is cut reach the siblings when it is back", async () => {
    prefix = uniquePrefix();
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(REDIS_URL).port || 6379) });
    proxies.push(proxy);
    const cutOff = await replica(proxy.url);
    const sibling = await replica();
    await proxy.cut();
    await until(() => opened[0].shared.degraded);
    for (let i = 0; i < 5; i++) cutOff.record("p/flaky", T0 + i, FAIL);
    // Alone, the cut-off process still decides on its own records.
    expect(cutOff.view("p/flaky", T0 + 10).state).toBe("open");
    await Bun.sleep(100);
    expect(sibling.view("p/flaky", T0 + 10).state).toBe("closed");
    await proxy.restore();
    await until(() => sibling.view("p/flaky", T0 + 10).state === "open");
    // And the cut-off process reads what it missed: a sibling's success on another target.
    sibling.record("p/fine", T0 + 20, OK);
    await until(() => cutOff.view("p/fine", T0 + 30).successes === 1);
  });

  test("a process killed while it holds the probe lock: the lock lapses and a sibling probes", async () => {
    prefix = uniquePrefix();
    const [a, b] = [await replica(REDIS_URL, 300), await replica(REDIS_URL, 300)];
    for (let i = 0; i < 5; i++) a.record("p/flaky", T0 + i, FAIL);
    await until(() => b.view("p/flaky", T0 + 10).state === "open");
    const later = T0 + 60_000;
    expect(await a.beginAttempt("p/flaky", later)).toBe(true);
    // A dies without a verdict (no release): its connection is simply gone.
    const dead = opened.find((o) => o.registry === a)!;
    a.close();
    dead.shared.redis.disconnect();
    expect(await b.beginAttempt("p/flaky", later + 1)).toBe(false);
    expect(b.availability("p/flaky", later + 1)).toBe("cooling");
    // After the lock's lifetime (300 ms, on Redis's clock and on B's), B takes the probe.
    await Bun.sleep(350);
    expect(b.availability("p/flaky", later + 301)).toBe("probe");
    expect(await b.beginAttempt("p/flaky", later + 301)).toBe(true);
  });
});
