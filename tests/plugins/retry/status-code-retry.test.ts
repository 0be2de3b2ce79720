import { describe, expect, test } from "bun:test";
import { statusCodeRetry } from "../../../plugins/index.ts";
import { attempt, FIXED_NOW, judgeWith, outcome, target } from "../../helpers/run-hooks.ts";

const NOW = FIXED_NOW;
const BACKOFF = 300;
const on = (onTarget: number, deadline = NOW + 600_000) =>
  attempt({ onTarget, backoffMs: BACKOFF, nowMs: NOW, deadline, target: target("openai/gpt-4.1") });
const http = (status: number, retryAfterMs?: number) => outcome({ status, errorClass: "http", retryAfterMs });

describe("statusCodeRetry", () => {
  const rule = statusCodeRetry({ codes: [429, 503] });

  test("a listed status is retried on the same target after the configured backoff", () => {
    expect(judgeWith(rule, http(503), on(1))).toMatchObject({ action: "retry", delayMs: BACKOFF });
  });

  test("a status that is not listed gets no opinion (the next rule and the defaults decide)", () => {
    expect(judgeWith(rule, http(500), on(1))).toBeUndefined();
  });

  test("a 4xx that is not listed gets no opinion", () => {
    expect(judgeWith(rule, http(400), on(1))).toBeUndefined();
  });

  test("a healthy answer gets no opinion", () => {
    expect(judgeWith(rule, outcome({ ok: true, status: 200, text: "hi" }), on(1))).toBeUndefined();
  });

  test("by default one retry on the same target, then failover", () => {
    expect(judgeWith(rule, http(503), on(2))?.action).toBe("failover");
  });

  test("sameTarget: 2 allows two retries before failing over", () => {
    const twice = statusCodeRetry({ codes: [503], sameTarget: 2 });
    expect([1, 2, 3].map((n) => judgeWith(twice, http(503), on(n))?.action)).toEqual(["retry", "retry", "failover"]);
  });

  test("sameTarget: 0 fails over at once", () => {
    expect(judgeWith(statusCodeRetry({ codes: [503], sameTarget: 0 }), http(503), on(1))?.action).toBe("failover");
  });

  test("the upstream's Retry-After is used as the delay instead of the backoff", () => {
    expect(judgeWith(rule, http(429, 4_000), on(1))).toMatchObject({ action: "retry", delayMs: 4_000 });
  });

  test("a retry whose Retry-After would pass the deadline fails over instead", () => {
    expect(judgeWith(rule, http(429, 4_000), on(1, NOW + 3_000))?.action).toBe("failover");
  });

  test("a retry whose backoff would pass the deadline fails over instead", () => {
    expect(judgeWith(rule, http(503), on(1, NOW + BACKOFF - 1))?.action).toBe("failover");
  });

  test("the failover after retries carries the Retry-After as cooldown", () => {
    expect(judgeWith(rule, http(429, 4_000), on(2))).toMatchObject({ action: "failover", cooldownMs: 4_000 });
  });

  test("the failover after retries carries the configured cooldown when no Retry-After came", () => {
    const cooling = statusCodeRetry({ codes: [503], cooldownMs: 30_000 });
    expect(judgeWith(cooling, http(503), on(2))).toMatchObject({ action: "failover", cooldownMs: 30_000 });
  });

  // BUG (plugins/retry/status-code-retry.ts, judge): the Retry-After is honoured uncapped. DESIGN §5
  // caps it (the defaults fail over above retry.backoff.maxRetryAfterMs, 10 s by default), but with
  // this rule listing 429, as the shipped config does, a "Retry-After: 120" parks the request on the
  // same target for two minutes. Suggested: a `maxRetryAfterMs` option (default 10 000) above which
  // the rule fails over with the Retry-After as cooldown.
  test("a Retry-After far above the gateway's cap fails over instead of waiting on the same target", () => {
    expect(judgeWith(rule, http(429, 120_000), on(1))).toMatchObject({ action: "failover", cooldownMs: 120_000 });
  });

  test("bad options throw when the factory is called, naming the option", () => {
    expect(() => statusCodeRetry({ codes: [700] })).toThrow(/codes/);
  });

  test("an empty code list is refused", () => {
    expect(() => statusCodeRetry({ codes: [] })).toThrow(/codes/);
  });

  test("an unknown option is refused", () => {
    expect(() => statusCodeRetry({ codes: [503], retries: 2 } as never)).toThrow(/retries/);
  });
});
