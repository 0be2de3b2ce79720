/**
 * A recovered primary comes back soon, and probing costs users little (issue 11, item 11). A real
 * gateway in front of the mock upstream, on an injected clock that the test moves 4 s per request (the
 * failover scorecard's s15): the mock's `flap` fault is down for 60 s of that clock, then healthy.
 * Health settings are the defaults, except that two failures in a row open a circuit (fewer requests).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { systemClock } from "../../src/pipeline/clock.ts";
import type { Clock, CompletionSummary } from "../../src/plugin/types.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
let offset = 0;
let mockTime = 0;
const clock: Clock = {
  now: () => Date.now() + offset,
  localTime: systemClock.localTime,
  sleep: systemClock.sleep,
  setTimer: systemClock.setTimer,
};
const summaries: CompletionSummary[] = [];
const CONNECT_MS = 300;
const FLAPPY = "a/primary?fault=flap&downMs=60000";
const DEAD = "a/dead?fault=status&status=503";
const SILENT = "a/silent?fault=hang";
const SLOW = "a/slow?latencyMs=600";
const SLOW_ALONE = "a/slow-alone?latencyMs=600";

beforeAll(async () => {
  h = await startHarness({
    mockNow: () => mockTime,
    deps: {
      clock,
      observers: () => [{ name: "test:summaries", onComplete: (summary) => void summaries.push(summary) }],
    },
    config: () => `
  health: { openAfterFailures: 2 },
  retry: { backoff: { baseMs: 1, maxMs: 2 } },
  timeouts: { connectMs: ${CONNECT_MS}, firstTokenMs: 1500, idleMs: 2000, totalMs: 20000 },
  tiers: {
    flap: { models: ["${FLAPPY}", "b/backup"] },
    dead: { models: ["${DEAD}", "b/backup"] },
    silent: { models: ["${SILENT}", "b/backup"] },
    slow: { models: ["${SLOW}", "b/backup"] },
    alone: { models: ["${SLOW_ALONE}"] },
  },`,
  });
});
afterAll(() => h.stop());

/** Moves the gateway's clock and the mock's together. */
const advance = (ms: number) => {
  offset += ms;
  mockTime += ms;
};

async function ask(tier: string): Promise<{ model: string | null; summary: CompletionSummary }> {
  const { response } = (await h.client.chat.completions
    .create({ model: tier, messages: [{ role: "user", content: "x" }] })
    .withResponse()) as unknown as { response: Response };
  const id = response.headers.get("x-request-id");
  return { model: response.headers.get("x-gateway-model"), summary: summaries.find((s) => s.request.id === id)! };
}

/** Waits (real time, bounded) for a probe left running in the background to decide the circuit. */
async function circuitOf(ref: string, wanted: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const state = h.running.gateway.health.view(ref, clock.now()).state;
    if (state === wanted) return state;
    await Bun.sleep(30);
  }
  return h.running.gateway.health.view(ref, clock.now()).state;
}

test("a primary down for 60 s, then healthy, serves again within 30 s of its recovery", async () => {
  const served: { at: number; model: string | null }[] = [];
  for (let at = 0; at <= 120_000; at += 4_000) {
    served.push({ at, ...(await ask("flap")) });
    advance(4_000);
  }
  expect(served.every((s) => s.model === FLAPPY || s.model === "b/backup")).toBe(true); // every request answered
  const back = served.find((s) => s.at >= 60_000 && s.model === FLAPPY);
  // Before the cap, each failed probe doubled the cooldown (30, 60, 120 s): back at 100 s at the earliest.
  expect(back?.at).toBeLessThanOrEqual(90_000);
  expect(served.filter((s) => s.at > back!.at).every((s) => s.model === FLAPPY)).toBe(true);
});

test("a primary that stays down costs at most one probe per cooldown, each a single attempt", async () => {
  const probes: number[] = [];
  for (let at = 0; at <= 600_000; at += 4_000) {
    const before = h.seen(DEAD.slice(2));
    const { model } = await ask("dead");
    expect(model).toBe("b/backup");
    const attempts = h.seen(DEAD.slice(2)) - before;
    if (at > 0 && attempts > 0) {
      expect(attempts).toBe(1); // a failed probe is not retried
      probes.push(at);
    }
    advance(4_000);
  }
  const gaps = probes.slice(1).map((at, i) => at - probes[i]);
  expect(gaps.every((gap) => gap >= 10_000)).toBe(true); // the first cooldown (openCooldownMs)
  expect(gaps.slice(1).every((gap) => gap >= 20_000)).toBe(true); // then maxCooldownMs, never longer
  expect(gaps.every((gap) => gap <= 24_000)).toBe(true);
  expect(probes.length).toBeLessThanOrEqual(Math.ceil(600_000 / 20_000) + 1);
});

test("a silent primary's probe holds the request no longer than connectMs, then decides the circuit in the background", async () => {
  h.running.gateway.health.coolDown(SILENT, clock.now() + 1_000, "test: set aside", clock.now());
  advance(1_000);
  const { model, summary } = await ask("silent");
  expect(model).toBe("b/backup");
  expect(summary.attempts.map((a) => [a.target, a.outcome])).toEqual([
    [SILENT, "failover"],
    ["b/backup", "accepted"],
  ]);
  expect(summary.attempts[0].reason).toContain(`no answer within connectMs (${CONNECT_MS} ms)`);
  expect(await circuitOf(SILENT, "open")).toBe("open"); // the probe timed out on its own budget later
});

test("a slow but healthy primary is not judged down by the probe's short wait", async () => {
  h.running.gateway.health.coolDown(SLOW, clock.now() + 1_000, "test: set aside", clock.now());
  advance(1_000);
  const first = await ask("slow");
  expect(first.model).toBe("b/backup"); // the user did not wait for the 600 ms answer
  expect(await circuitOf(SLOW, "closed")).toBe("closed"); // the probe's answer came in the background
  expect((await ask("slow")).model).toBe(SLOW);
});

test("with no other target to take over, the request waits for its probe as for any attempt", async () => {
  h.running.gateway.health.coolDown(SLOW_ALONE, clock.now() + 1_000, "test: set aside", clock.now());
  advance(1_000);
  const { model, summary } = await ask("alone");
  expect(model).toBe(SLOW_ALONE);
  expect(summary.attempts.map((a) => a.outcome)).toEqual(["accepted"]);
  expect(h.running.gateway.health.view(SLOW_ALONE, clock.now()).state).toBe("closed");
});
