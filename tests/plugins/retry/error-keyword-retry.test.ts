import { describe, expect, test } from "bun:test";
import { errorKeywordRetry } from "../../../plugins/index.ts";
import { attempt, judgeWith, outcome } from "../../helpers/run-hooks.ts";

const BACKOFF = 400;
const on = (onTarget = 1) => attempt({ onTarget, backoffMs: BACKOFF });
const okText = (text: string) => outcome({ ok: true, status: 200, text });
const errorText = (status: number, text: string) => outcome({ status, errorClass: "http", errorText: text });

describe("errorKeywordRetry", () => {
  const rule = errorKeywordRetry({ keywords: ["rate limit", "overloaded", "负载已饱和"] });

  test("a keyword in an error's text fails over", () => {
    expect(judgeWith(rule, errorText(500, "Model is overloaded, try later"), on())?.action).toBe("failover");
  });

  test("a keyword in a 200 answer's text fails over (an error in disguise)", () => {
    expect(judgeWith(rule, okText("Sorry, the server is overloaded."), on())?.action).toBe("failover");
  });

  test("matching ignores case", () => {
    expect(judgeWith(rule, okText("RATE LIMIT exceeded"), on())?.action).toBe("failover");
  });

  test("a Chinese keyword matches", () => {
    expect(judgeWith(rule, okText("当前模型负载已饱和，请稍后再试"), on())?.action).toBe("failover");
  });

  test("the reason names the keyword found", () => {
    expect(judgeWith(rule, okText("overloaded"), on())?.reason).toContain("overloaded");
  });

  test("a healthy answer without a keyword gets no opinion", () => {
    expect(judgeWith(rule, okText("The capital of France is Paris."), on())).toBeUndefined();
  });

  test("an error without a keyword gets no opinion", () => {
    expect(judgeWith(rule, errorText(400, "Invalid value for 'temperature'"), on())).toBeUndefined();
  });

  test("an outcome without any text gets no opinion", () => {
    expect(judgeWith(rule, outcome({ status: 0, errorClass: "connection" }), on())).toBeUndefined();
  });

  test("a 200 answer is judged on its text, not on an error text", () => {
    expect(
      judgeWith(rule, outcome({ ok: true, status: 200, text: "fine", errorText: "overloaded" }), on()),
    ).toBeUndefined();
  });

  test("a RegExp keyword matches", () => {
    const regex = errorKeywordRetry({ keywords: [/quota (exceeded|exhausted)/i] });
    expect(judgeWith(regex, errorText(403, "Your QUOTA EXHAUSTED for today"), on())?.action).toBe("failover");
  });

  test("a RegExp keyword that does not match gets no opinion", () => {
    const regex = errorKeywordRetry({ keywords: [/quota (exceeded|exhausted)/i] });
    expect(judgeWith(regex, errorText(403, "quota ok"), on())).toBeUndefined();
  });

  // BUG (plugins/retry/error-keyword-retry.ts, `find`): `n.test(text)` on a RegExp with the g or y flag
  // is stateful (lastIndex), so the same text matches on one request and is missed on the next.
  // Suggested: `text.search(n) !== -1`, or reset `n.lastIndex = 0` before testing. The same pattern is
  // in src/plugin/match.ts (matchesAny).
  test("a global RegExp keyword matches on every call, not every other one", () => {
    const global = errorKeywordRetry({ keywords: [/overloaded/gi] });
    const actions = [1, 2, 3].map(() => judgeWith(global, okText("overloaded"), on())?.action);
    expect(actions).toEqual(["failover", "failover", "failover"]);
  });

  test("the failover cools the target down (60 s by default)", () => {
    expect(judgeWith(rule, okText("overloaded"), on())?.cooldownMs).toBe(60_000);
  });

  test("the cooldown is configurable", () => {
    const short = errorKeywordRetry({ keywords: ["overloaded"], cooldownMs: 5_000 });
    expect(judgeWith(short, okText("overloaded"), on())?.cooldownMs).toBe(5_000);
  });

  test("sameTarget: 1 retries once on the same target after the backoff, then fails over", () => {
    const once = errorKeywordRetry({ keywords: ["overloaded"], sameTarget: 1 });
    expect(judgeWith(once, okText("overloaded"), on(1))).toMatchObject({ action: "retry", delayMs: BACKOFF });
    expect(judgeWith(once, okText("overloaded"), on(2))?.action).toBe("failover");
  });

  test("a long answer that discusses a keyword is no evidence of an error", () => {
    const essay = `# Designing a distributed rate limiter\n\n${"A token bucket per key holds the rate limit. ".repeat(20)}`;
    expect(judgeWith(rule, okText(essay), on())).toBeUndefined();
  });

  test("a short answer about what the prompt asked is no evidence either: it echoes the question's words", () => {
    const asked = attempt({ prompt: "Design a distributed rate limiter", backoffMs: BACKOFF });
    const echo = 'This is a simulated answer from large. You asked: "Design a distributed rate limiter".';
    expect(judgeWith(rule, okText(echo), asked)).toBeUndefined();
    // a stream's first event about the topic (a heading) is not an error either
    expect(judgeWith(rule, okText("# Designing a distributed rate limiter\n\nA "), asked)).toBeUndefined();
  });

  test("a keyword the prompt does not use still marks a short answer, and an error body always counts", () => {
    const asked = attempt({ prompt: "Design a distributed rate limiter", backoffMs: BACKOFF });
    expect(judgeWith(rule, okText("Upstream overloaded, rate limit reached"), asked)?.action).toBe("failover");
    expect(judgeWith(rule, errorText(503, "rate limit reached for this key"), asked)?.action).toBe("failover");
  });

  test("an empty keyword list is refused when the factory is called", () => {
    expect(() => errorKeywordRetry({ keywords: [] })).toThrow(/keywords/);
  });

  test("a keyword that is neither a string nor a RegExp is refused", () => {
    expect(() => errorKeywordRetry({ keywords: [42 as never] })).toThrow(/keywords/);
  });
});
