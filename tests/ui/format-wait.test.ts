/** The wait a throttled page shows, in words (the login page said "1 seconds"). */
import { expect, test } from "bun:test";
import { fmtWait } from "../../ui/src/format.ts";

test("a wait reads as English: one second, seconds, then minutes from 90 s", () => {
  expect(fmtWait(1)).toBe("1 second");
  expect(fmtWait(0.2)).toBe("1 second");
  expect(fmtWait(45)).toBe("45 seconds");
  expect(fmtWait(89.5)).toBe("2 minutes");
  expect(fmtWait(600)).toBe("10 minutes");
});
