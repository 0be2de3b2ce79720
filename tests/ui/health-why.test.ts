/**
 * The health page translates the server's verdict reasons by reading their shape back: every reason
 * `healthVerdict` writes must be one the page knows, and its English rebuilt from the dictionary must be
 * the server's text exactly (so a reworded server reason fails here, not silently in Chinese).
 */
import { expect, test } from "bun:test";
import type { HealthView } from "../../src/routing/health.ts";
import { healthVerdict } from "../../src/routing/health-window.ts";
import { parseWhy, verdictWhy } from "../../ui/src/components/health-why.ts";

const view = (over: Partial<HealthView>): HealthView =>
  ({ state: "closed", score: 100, attemptsInWindow: 0, failuresInWindow: 0, ...over }) as HealthView;

const REASONS = [
  healthVerdict(view({}), { attempts: 10, failures: 5 } as never), // failing, counted
  healthVerdict(view({ state: "open" }), { attempts: 10, failures: 3 } as never), // counted; circuit open
  healthVerdict(view({ state: "open" }), { attempts: 0, failures: 0 } as never), // cooling down
  healthVerdict(view({ state: "half_open" }), undefined), // probing
  healthVerdict(view({ score: 55 }), { attempts: 10, failures: 0 } as never), // health score
  healthVerdict(view({}), { attempts: 0, failures: 0 } as never), // no attempt
  healthVerdict(view({}), { attempts: 3, failures: 1 } as never), // 33.3 %
  healthVerdict(view({}), { attempts: 12, failures: 0 } as never), // healthy, 0 %
].map((v) => v.why);

test("every reason the server writes is one the health page knows", () => {
  for (const why of REASONS) expect([why, parseWhy(why) !== undefined]).toEqual([why, true]);
  expect(new Set(REASONS.map((why) => parseWhy(why)?.key))).toEqual(
    new Set(["counted", "countedOpen", "cooling", "probing", "score", "noAttempt"]),
  );
});

test("in English the page shows each reason exactly as the server wrote it", () => {
  for (const why of REASONS) expect(verdictWhy(why)).toBe(why);
});

test("a reason of another shape is shown as it came", () => {
  expect(parseWhy("something new")).toBeUndefined();
  expect(verdictWhy("something new")).toBe("something new");
});
