/** Health transitions with an injected clock: decay, reward, circuit open → half-open probe → closed. */
import { describe, expect, test } from "bun:test";
import { DEFAULT_HEALTH_SETTINGS, MemoryHealthRegistry } from "../../src/routing/health.ts";
import { openStore } from "../../src/store/db.ts";
import { persistHealth } from "../../src/store/health-store.ts";
import { silentLogger } from "../helpers/run-hooks.ts";

const T0 = 1_800_000_000_000;
const settings = {
  ...DEFAULT_HEALTH_SETTINGS,
  decayHalfLifeMs: 60_000,
  openAfterFailures: 3,
  openCooldownMs: 10_000,
  maxCooldownMs: 40_000,
};
const fail = (reason = "503", penalty = 2, cooldownMs?: number) => ({ ok: false, penalty, reason, cooldownMs });
const ok = (latencyMs?: number, ttftMs?: number) => ({ ok: true, penalty: 0, reason: "answered", latencyMs, ttftMs });
const registry = (log = silentLogger()) => ({ health: new MemoryHealthRegistry(() => settings, log), log });

describe("scores", () => {
  test("a target never seen is fully healthy and ready", () => {
    const { health } = registry();
    expect(health.view("p/a", T0)).toMatchObject({ score: 100, state: "closed" });
    expect(health.availability("p/a", T0)).toBe("ready");
  });

  test("failures lower the score by the window's failure rate; the penalty halves every half-life", () => {
    const { health } = registry();
    health.record("p/a", T0, fail());
    health.record("p/a", T0, fail());
    // Two failed attempts, plus the five successes the score assumes: a rate of 2/7.
    expect(health.view("p/a", T0)).toMatchObject({
      failureScore: 4,
      errorRate: 1,
      attemptsInWindow: 2,
      score: Math.floor(100 * (5 / 7) ** 2),
    });
    expect(health.view("p/a", T0 + 60_000).failureScore).toBeCloseTo(2, 5);
    expect(health.view("p/a", T0 + 3_600_000).score).toBe(100); // an old failure does not ban a model for good
  });

  test("a success resets the failure streak, not the failures before it", () => {
    const { health } = registry();
    health.record("p/a", T0, fail());
    health.record("p/a", T0, fail());
    health.record("p/a", T0, ok());
    expect(health.view("p/a", T0)).toMatchObject({
      failureScore: 4,
      consecutiveFailures: 0,
      successes: 1,
      failures: 2,
      attemptsInWindow: 3,
      failuresInWindow: 2,
    });
    expect(health.view("p/a", T0).score).toBe(Math.floor(100 * (6 / 8) ** 2));
  });

  test("a failure that is not the target's fault costs nothing", () => {
    const { health } = registry();
    health.record("p/a", T0, fail("content policy", 0));
    expect(health.view("p/a", T0)).toMatchObject({ score: 100, failures: 0, attemptsInWindow: 0 });
  });

  test("latency and time to first token are smoothed averages", () => {
    const { health } = registry();
    health.record("p/a", T0, ok(1000, 100));
    health.record("p/a", T0, ok(2000, 300));
    expect(health.view("p/a", T0).latencyMs).toBeCloseTo(1200, 5);
    expect(health.view("p/a", T0).ttftMs).toBeCloseTo(140, 5);
  });

  test("recent errors are kept, newest first, five at most", () => {
    const { health } = registry();
    for (let i = 0; i < 7; i++) health.record("p/a", T0 + i, fail(`e${i}`, 1));
    expect(health.view("p/a", T0 + 7).recentErrors.map((e) => e.reason)).toEqual(["e6", "e5", "e4", "e3", "e2"]);
  });
});

describe("circuit", () => {
  test("N failures in a row open it; it goes last until the cooldown ends", () => {
    const { health, log } = registry();
    for (let i = 0; i < 3; i++) health.record("p/a", T0, fail());
    expect(health.view("p/a", T0 + 1)).toMatchObject({ state: "open", score: 0, cooldownUntil: T0 + 10_000 });
    expect(health.availability("p/a", T0 + 9_999)).toBe("cooling");
    expect(log.messages.some((m) => m.message === "circuit p/a: opened for 10000 ms")).toBe(true);
  });

  test("after the cooldown one probe is let through; a success closes the circuit", () => {
    const { health, log } = registry();
    health.record("p/a", T0, fail("429", 1, 5_000));
    expect(health.availability("p/a", T0 + 5_000)).toBe("probe");
    health.beginAttempt("p/a", T0 + 5_000);
    expect(health.availability("p/a", T0 + 5_001)).toBe("cooling"); // the probe is taken: others wait
    health.record("p/a", T0 + 5_100, ok(100));
    expect(health.view("p/a", T0 + 5_100).state).toBe("closed");
    expect(health.availability("p/a", T0 + 5_100)).toBe("ready");
    expect(
      log.messages.filter((m) => m.message.startsWith("circuit p/a")).map((m) => `${m.level} ${m.message}`),
    ).toEqual(["warn circuit p/a: opened for 5000 ms", "info circuit p/a: probing", "info circuit p/a: closed"]);
  });

  test("a failed probe opens it again for twice as long, up to the maximum", () => {
    const { health } = registry();
    for (let i = 0; i < 3; i++) health.record("p/a", T0, fail());
    let now = T0 + 10_000;
    for (const expected of [20_000, 40_000, 40_000]) {
      health.beginAttempt("p/a", now);
      health.record("p/a", now, fail());
      expect(health.view("p/a", now).cooldownUntil).toBe(now + expected);
      now += expected;
    }
  });

  test("a cooldown asked for by the upstream (Retry-After) is honoured as is", () => {
    const { health } = registry();
    health.record("p/a", T0, fail("429", 1, 60_000));
    expect(health.cooldownOf("p/a", T0 + 59_999)?.reason).toBe("429");
  });

  test("reset forgets everything", () => {
    const { health } = registry();
    for (let i = 0; i < 3; i++) health.record("p/a", T0, fail());
    health.reset("p/a", T0);
    expect(health.view("p/a", T0)).toMatchObject({ state: "closed", score: 100, failures: 0 });
  });
});

test("health survives a restart through the store", () => {
  const store = openStore(":memory:");
  const first = new MemoryHealthRegistry(() => settings);
  const stop = persistHealth(store, first, silentLogger(), { everyMs: 60_000 });
  for (let i = 0; i < 3; i++) first.record("p/a", T0, fail());
  first.record("p/b", T0, ok(500));
  stop(); // shutdown writes what changed
  const second = new MemoryHealthRegistry(() => settings);
  const stopAgain = persistHealth(store, second, silentLogger(), { everyMs: 60_000 });
  expect(second.view("p/a", T0 + 1)).toMatchObject({ state: "open", failures: 3, cooldownUntil: T0 + 10_000 });
  expect(second.view("p/b", T0 + 1).latencyMs).toBe(500);
  expect(second.availability("p/a", T0 + 10_000)).toBe("probe");
  stopAgain();
  store.close();
});

test("a row saved before the failure-rate window loads, seeded with its lifetime ratio", () => {
  const store = openStore(":memory:");
  // The shape older versions wrote: lifetime counts and a penalty that successes had washed out.
  const old = {
    failureScore: 0,
    scoredAt: T0,
    successes: 68,
    failures: 32,
    consecutiveFailures: 0,
    cooldownUntil: 0,
    lastCooldownMs: 0,
    tripped: false,
    latencyEwmaMs: 900,
    recentErrors: [],
  };
  store.sqlite
    .prepare("INSERT INTO health_state (target, state, updated_at) VALUES (?, ?, ?)")
    .run("p/old", JSON.stringify(old), T0);
  const health = new MemoryHealthRegistry(() => settings);
  const stop = persistHealth(store, health, silentLogger(), { everyMs: 60_000 });
  expect(health.view("p/old", T0)).toMatchObject({
    attemptsInWindow: 20,
    failuresInWindow: 6.4,
    errorRate: 0.32,
    latencyMs: 900,
    successes: 68,
    state: "closed",
  });
  expect(health.view("p/old", T0).score).toBeLessThan(80);
  health.record("p/old", T0, ok(500));
  stop();
  const saved = JSON.parse(
    (store.sqlite.query("SELECT state FROM health_state WHERE target = 'p/old'").get() as { state: string }).state,
  );
  expect(saved).toMatchObject({ windowAttempts: 21, successes: 69 });
  store.close();
});
