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

  // BUG (src/pipeline/retry-after.ts, the Date.parse fallback): Bun's Date.parse is lenient and reads
  // "-1", "+5" or "1,5" as dates in 2001, so these garbage values become a wait of 0 ms (retry at once)
  // instead of "no usable Retry-After". Suggested: only try Date.parse on an HTTP-date shape, e.g.
  // /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/ (plus the obsolete forms if wanted).
  test("signed or comma numbers are garbage, not dates", () => {
    const parsed = ["-1", "+5", "1,5"].map((value) => parseRetryAfter(headers({ "retry-after": value }), NOW));
    expect(parsed).toEqual([undefined, undefined, undefined]);
  });
});
