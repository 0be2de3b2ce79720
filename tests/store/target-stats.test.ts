/**
 * Per-target figures count attempts: a failover's failed attempt counts against the model that failed,
 * its rescue for the model that answered, over minute and day ranges alike (real writer, real SQLite).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openStore, type Store } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { queryStats } from "../../src/store/queries/stats.ts";
import { targetWindows } from "../../src/store/queries/target-stats.ts";
import { SqliteRowSink } from "../../src/store/row-sink.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
let store: Store;
const config = storeConfig();

/** A request that failed over from a/small (503) to b/small, which answered. */
function failover(ts: number) {
  return summary({
    ts,
    tier: "t1",
    model: "b/small",
    ttftMs: 130,
    attempts: [
      { target: "a/small", startedAt: ts, durationMs: 40, outcome: "failover", status: 503, reason: "503" },
      { target: "b/small", startedAt: ts + 40, durationMs: 200, outcome: "accepted", status: 200, reason: "ok" },
    ],
  });
}

beforeAll(async () => {
  store = openStore(":memory:");
  const writer = new LogWriter({ sink: new SqliteRowSink(store.sqlite), log: silentLogger(), flushIntervalMs: 10_000 });
  // In the last hour: 6 failovers a/small → b/small, 4 requests a/small answered first time, and one
  // retried on a/medium before it answered.
  for (let i = 0; i < 6; i++) writer.enqueue(failover(NOW - 50 * MINUTE + i * MINUTE), config);
  for (let i = 0; i < 4; i++) writer.enqueue(summary({ ts: NOW - 30 * MINUTE + i * MINUTE, model: "a/small" }), config);
  const ts = NOW - 10 * MINUTE;
  writer.enqueue(
    summary({
      ts,
      tier: "t2",
      model: "a/medium",
      attempts: [
        { target: "a/medium", startedAt: ts, durationMs: 30, outcome: "retry", status: 500, reason: "500" },
        { target: "a/medium", startedAt: ts + 30, durationMs: 90, outcome: "accepted", status: 200, reason: "ok" },
      ],
    }),
    config,
  );
  await writer.close();
});
afterAll(() => store.close());

const byTarget = (stats: ReturnType<typeof queryStats>, target: string) =>
  stats.byTarget.find((t) => t.target === target);

describe("byTarget", () => {
  for (const [name, from] of [
    ["an hour (minute rollup)", NOW - HOUR],
    ["a week (day rollup)", NOW - 7 * DAY],
  ] as const) {
    test(`over ${name}, the failed attempt counts against a/small and the rescue for b/small`, () => {
      const stats = queryStats(store, { from, to: NOW });
      expect(stats.resolution).toBe(from === NOW - HOUR ? "minute" : "day");
      const failing = byTarget(stats, "a/small")!;
      expect(failing).toMatchObject({ attempts: 10, failures: 6, failovers: 6, retries: 0, answered: 4 });
      expect(failing.errorRate).toBeCloseTo(0.6);
      const rescuer = byTarget(stats, "b/small")!;
      expect(rescuer).toMatchObject({ attempts: 6, failures: 0, errorRate: 0, failovers: 0, answered: 6 });
      // First token of the rescue measured from its own attempt's start (130 ms from the request's).
      expect(rescuer.ttftMs.avg).toBeCloseTo(90);
      const retried = byTarget(stats, "a/medium")!;
      expect(retried).toMatchObject({ attempts: 2, failures: 1, retries: 1, failovers: 0, answered: 1 });
      // The per-request view still credits each request to the model that answered it.
      expect(stats.byModel.find((m) => m.model === "b/small")?.requests).toBe(6);
      expect(stats.byModel.find((m) => m.model === "a/small")?.requests).toBe(4);
    });
  }

  test("the tier and model filters narrow the attempts", () => {
    const t2 = queryStats(store, { from: NOW - HOUR, to: NOW, tier: "t2" });
    expect(t2.byTarget.map((t) => t.target)).toEqual(["a/medium"]);
    const one = queryStats(store, { from: NOW - HOUR, to: NOW, model: "a/small" });
    expect(one.byTarget.map((t) => t.target)).toEqual(["a/small"]);
  });
});

describe("targetWindows", () => {
  test("a window's series puts each attempt in its bucket, with empty buckets as zeros", () => {
    const windows = targetWindows(store, { from: NOW - HOUR, to: NOW, bucketMs: 5 * MINUTE });
    const failing = windows.get("a/small")!;
    expect(failing.totals.attempts).toBe(10);
    expect(failing.series).toHaveLength(12);
    // Failovers at minutes -50…-45 fall in the buckets starting at -50 (5 of them) and -45 (1).
    expect(failing.series[2]).toMatchObject({ t: NOW - 50 * MINUTE, attempts: 5, failures: 5, errorRate: 1 });
    expect(failing.series[3]).toMatchObject({ attempts: 1, failures: 1 });
    expect(failing.series[0]).toMatchObject({ attempts: 0, failures: 0, errorRate: 0 });
    expect(windows.has("b/large")).toBe(false);
  });
});
