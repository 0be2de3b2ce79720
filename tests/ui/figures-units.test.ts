/** The dashboard's rate units and the points a sparse latency line draws. */
import { expect, test } from "bun:test";
import { pointRadii } from "../../ui/src/components/chart-points.ts";
import { bucketRateUnit, fmtRate } from "../../ui/src/components/rate-units.ts";

test("a bucket's rate reads per second for minutes, per minute up to 15 min, per hour, then per day", () => {
  expect(bucketRateUnit(60_000).name).toBe("s");
  expect(bucketRateUnit(5 * 60_000).name).toBe("min");
  expect(bucketRateUnit(15 * 60_000).name).toBe("min");
  expect(bucketRateUnit(3_600_000).name).toBe("h");
  expect(bucketRateUnit(6 * 3_600_000).name).toBe("h");
  expect(bucketRateUnit(86_400_000).name).toBe("day");
  expect(bucketRateUnit(7 * 86_400_000).name).toBe("day");
});

test("a rate is shown in the smallest unit where it reaches 1, never as 0.0005 / s", () => {
  expect(fmtRate(12.5)).toBe("12.50 / s");
  expect(fmtRate(0.5)).toBe("30.00 / min");
  expect(fmtRate(6 / 3600)).toBe("6.00 / h");
  expect(fmtRate(6 / (30 * 86_400))).toBe("0.200 / day");
  expect(fmtRate(0)).toBe("0 / s");
  expect(fmtRate(undefined)).toBe("–");
});

test("a sparse series gets a dot on every value; a dense one only where a value has no neighbour", () => {
  const sparse = [null, 120, null, null, 80, 90, null, null, null, null];
  expect(pointRadii(sparse, true)).toEqual([0, 3, 0, 0, 3, 3, 0, 0, 0, 0]);
  const dense = [100, 110, null, 90, 95, 100];
  expect(pointRadii(dense, false)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(pointRadii([100, null, 90, null, 95, 96], false)).toEqual([3, 0, 3, 0, 0, 0]);
  // Gaps joined: a value between gaps is on the line already.
  expect(pointRadii([100, null, 90, null, 95, 96], true)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(pointRadii([null, null, 5], true)).toEqual([0, 0, 3]);
});
