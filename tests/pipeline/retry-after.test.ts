import { describe, expect, test } from "bun:test";
import { parseRetryAfter } from "../../src/index.ts";

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT
const headers = (init: Record<string, string>) => new Headers(init);

describe("parseRetryAfter", () => {
  test("no header: undefined", () => {
    expect(parseRetryAfter(headers({}), NOW)).toBeUndefined();
  });

  test("retry-after-ms is taken as milliseconds", () => {
    expect(parseRetryAfter(headers({ "retry-after-ms": "1500" }), NOW)).toBe(1500);
  });

  test("retry-after-ms wins over Retry-After", () => {
    expect(parseRetryAfter(headers({ "retry-after-ms": "250", "retry-after": "30" }), NOW)).toBe(250);
  });

  test("an unreadable retry-after-ms falls back to Retry-After", () => {
    expect(parseRetryAfter(headers({ "retry-after-ms": "soon", "retry-after": "2" }), NOW)).toBe(2000);
  });

  test("Retry-After in seconds", () => {
    expect(parseRetryAfter(headers({ "retry-after": "20" }), NOW)).toBe(20_000);
  });

  test("Retry-After in fractional seconds", () => {
    expect(parseRetryAfter(headers({ "retry-after": "1.5" }), NOW)).toBe(1500);
  });

  test("Retry-After as an HTTP date is the time from the injected now", () => {
    expect(parseRetryAfter(headers({ "retry-after": "Wed, 21 Oct 2015 07:28:45 GMT" }), NOW)).toBe(45_000);
  });

  test("the same HTTP date gives a shorter wait later", () => {
    const value = headers({ "retry-after": "Wed, 21 Oct 2015 07:28:45 GMT" });
    expect(parseRetryAfter(value, NOW + 40_000)).toBe(5_000);
  });

  test("an HTTP date in the past means no wait", () => {
    expect(parseRetryAfter(headers({ "retry-after": "Wed, 21 Oct 2015 07:00:00 GMT" }), NOW)).toBe(0);
  });

  test("garbage is undefined", () => {
    for (const value of ["soon", "later please", "", "   ", "1e3", "Infinity"]) {
      expect(parseRetryAfter(headers({ "retry-after": value }), NOW)).toBeUndefined();
    }
  });
});
