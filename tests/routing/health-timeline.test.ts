/**
 * The circuit's timeline (opened, half-open, closed, reset) with an injected clock, kept across a
 * restart; and the health card's verdict, which reads the counted window, not only the score.
 */
import { describe, expect, test } from "bun:test";
import { DEFAULT_HEALTH_SETTINGS, type HealthView, MemoryHealthRegistry } from "../../src/routing/health.ts";
import { TRANSITIONS_KEPT } from "../../src/routing/health-record.ts";
import { healthVerdict, healthWindowRange } from "../../src/routing/health-window.ts";
import { openStore } from "../../src/store/db.ts";
import { persistHealth } from "../../src/store/health-store.ts";
import { silentLogger } from "../helpers/run-hooks.ts";

const T0 = 1_800_000_000_000;
const settings = { ...DEFAULT_HEALTH_SETTINGS, openAfterFailures: 3, openCooldownMs: 10_000, maxCooldownMs: 40_000 };
const fail = { ok: false, penalty: 2, reason: "503" };
const ok = { ok: true, penalty: 0, reason: "answered" };
const states = (view: HealthView) => view.transitions.map((t) => [t.at - T0, t.state]);

describe("circuit timeline", () => {
  test("open after failures in a row, half-open when the cooldown ends, open again on a failed probe, closed on a good one", () => {
    const health = new MemoryHealthRegistry(() => settings, silentLogger());
    for (let i = 0; i < 3; i++) health.record("p/a", T0 + i, fail);
    expect(states(health.view("p/a", T0 + 3))).toEqual([[2, "open"]]);
    // The first probe after the cooldown: half-open from the cooldown's end; it fails, cooldown doubled.
    expect(health.beginAttempt("p/a", T0 + 20_000)).toBe(true);
    health.record("p/a", T0 + 20_100, fail);
    expect(health.beginAttempt("p/a", T0 + 60_200)).toBe(true);
    health.record("p/a", T0 + 60_300, ok);
    const view = health.view("p/a", T0 + 60_300);
    expect(states(view)).toEqual([
      [2, "open"],
      [10_002, "half_open"],
      [20_100, "open"],
      [40_100, "half_open"],
      [60_300, "closed"],
    ]);
    expect(view.transitions[2].reason).toBe("probe failed: 503");
    expect(view.transitions[4].reason).toBe("probe succeeded");
  });

  test("a reset forgets the failures but not the timeline: the reset is its last change", () => {
    const health = new MemoryHealthRegistry(() => settings, silentLogger());
    for (let i = 0; i < 3; i++) health.record("p/a", T0, fail);
    health.reset("p/a", T0 + 5);
    const view = health.view("p/a", T0 + 5);
    expect(view).toMatchObject({ state: "closed", failures: 0, score: 100 });
    expect(view.transitions.map((t) => [t.state, t.reason])).toEqual([
      ["open", "503"],
      ["closed", "reset by an admin"],
    ]);
    // A target with no history leaves no record behind.
    health.reset("p/never", T0);
    expect(health.records().map(([ref]) => ref)).toEqual(["p/a"]);
  });

  test("the timeline keeps the last changes only, and survives a restart through the store", () => {
    const store = openStore(":memory:");
    const first = new MemoryHealthRegistry(() => settings);
    const stop = persistHealth(store, first, silentLogger(), { everyMs: 60_000 });
    // Each round: opened by an upstream's cooldown, closed by an answer (two changes).
    for (let i = 0; i < TRANSITIONS_KEPT; i++) {
      first.record("p/a", T0 + i * 1000, { ...fail, cooldownMs: 100 });
      first.record("p/a", T0 + i * 1000 + 500, ok);
    }
    stop();
    const second = new MemoryHealthRegistry(() => settings);
    const stopAgain = persistHealth(store, second, silentLogger(), { everyMs: 60_000 });
    const transitions = second.view("p/a", T0 + 60_000).transitions;
    expect(transitions).toHaveLength(TRANSITIONS_KEPT);
    expect(transitions.at(-1)).toMatchObject({ state: "closed", at: T0 + (TRANSITIONS_KEPT - 1) * 1000 + 500 });
    expect(transitions[0]).toMatchObject({ state: "open", at: T0 + (TRANSITIONS_KEPT / 2) * 1000 });
    stopAgain();
    store.close();
  });
});

describe("verdict", () => {
  const view = (over: Partial<HealthView> = {}): HealthView => ({
    ...new MemoryHealthRegistry(() => settings).view("p/a", T0),
    ...over,
  });
  const counted = (attempts: number, failures: number) => ({ attempts, failures });

  test("a model failing 32 % of its window's attempts is failing, even with a score of 100 and a closed circuit", () => {
    const v = healthVerdict(view({ score: 100 }), counted(100, 32));
    expect(v).toMatchObject({ level: "bad", label: "failing" });
    expect(v.why).toBe("32 % of 100 attempts failed");
  });

  test("degraded from 5 %, healthy under it, no traffic without attempts; an open circuit is failing", () => {
    expect(healthVerdict(view(), counted(100, 6)).label).toBe("degraded");
    expect(healthVerdict(view(), counted(100, 4)).label).toBe("healthy");
    expect(healthVerdict(view(), counted(0, 0)).label).toBe("no traffic");
    expect(healthVerdict(view(), counted(2, 1)).label).toBe("degraded");
    expect(healthVerdict(view({ state: "open" }), counted(100, 0)).label).toBe("failing");
    expect(healthVerdict(view({ state: "half_open" }), counted(100, 0)).label).toBe("degraded");
    // Without a request log the score's decaying window is read instead.
    expect(healthVerdict(view({ attemptsInWindow: 10, failuresInWindow: 3 }), undefined).label).toBe("failing");
  });

  test("windows end with the current minute", () => {
    expect(healthWindowRange("15m", T0 + 61_000)).toEqual({
      key: "15m",
      from: T0 + 120_000 - 15 * 60_000,
      to: T0 + 120_000,
      bucketMs: 60_000,
    });
  });
});
