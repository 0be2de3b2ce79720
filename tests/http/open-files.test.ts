/** The default of limits.maxInFlight, derived from the open-file limit (issue 11, item 2). */
import { expect, test } from "bun:test";
import {
  derivedMaxInFlight,
  FALLBACK_MAX_IN_FLIGHT,
  maxInFlightFor,
  parseOpenFileLimit,
} from "../../src/http/open-files.ts";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            4096                 524288               files
Max locked memory         8388608              8388608              bytes
`;

test("the soft limit is read from /proc/self/limits' text", () => {
  expect(parseOpenFileLimit(LIMITS)).toBe(4096);
  expect(parseOpenFileLimit(LIMITS.replace("4096 ", "unlimited"))).toBeUndefined();
  expect(parseOpenFileLimit("")).toBeUndefined();
});

test("two descriptors per request, and a reserve, stay within the limit", () => {
  for (const limit of [256, 1024, 4096, 20_000, 1_048_576]) {
    const max = maxInFlightFor(limit);
    expect(max).toBeGreaterThan(0);
    expect(max * 2).toBeLessThanOrEqual(limit - 64);
    expect(max * 2).toBeLessThanOrEqual(limit * 0.9);
  }
  expect(maxInFlightFor(20_000)).toBe(9000);
});

test("an unreadable or unlimited limit falls back to a constant", () => {
  expect(
    derivedMaxInFlight(() => {
      throw new Error("ENOENT");
    }),
  ).toBe(FALLBACK_MAX_IN_FLIGHT);
  expect(derivedMaxInFlight(() => LIMITS.replace("4096 ", "unlimited"))).toBe(FALLBACK_MAX_IN_FLIGHT);
  expect(derivedMaxInFlight(() => LIMITS)).toBe(maxInFlightFor(4096));
});

test("on this machine", () => {
  const derived = derivedMaxInFlight();
  console.log(`derived limits.maxInFlight here: ${derived}`);
  expect(derived).toBeGreaterThan(0);
});
