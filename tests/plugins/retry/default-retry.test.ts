import { describe, expect, test } from "bun:test";
import { type DefaultRetryOptions, defaultDecision, defaultRetry } from "../../../plugins/retry/default-retry.ts";
import { attempt, FIXED_NOW, outcome, target } from "../../helpers/run-hooks.ts";

const NOW = FIXED_NOW;
const BACKOFF = 250;

/** The values the default judgement reads, chosen so each one is recognisable in a decision. */
const config: DefaultRetryOptions = {
  perTarget: 2,
  maxRetryAfterMs: 10_000,
  rateLimitCooldownMs: 60_000,
  authCooldownMs: 300_000,
  failureCooldownMs: 7_000,
};

const first = attempt({ onTarget: 1, backoffMs: BACKOFF, nowMs: NOW, deadline: NOW + 600_000 });
const second = attempt({ onTarget: 2, backoffMs: BACKOFF, nowMs: NOW, deadline: NOW + 600_000 });
const decide = (o = outcome(), a = first, now = NOW) => defaultDecision(o, a, config, now);

const http = (status: number, fields: Parameters<typeof outcome>[0] = {}) =>
  outcome({ status, errorClass: "http", ...fields });

describe("defaultDecision", () => {
  test("a healthy answer is accepted", () => {
    expect(decide(outcome({ ok: true, status: 200, text: "Hello" })).action).toBe("accept");
  });

  describe("429", () => {
    test("a short Retry-After: retry the same target after exactly that wait", () => {
      const decision = decide(http(429, { retryAfterMs: 3_000 }));
      expect(decision).toMatchObject({ action: "retry", delayMs: 3_000 });
    });

    // BUG (fixed; was in src/pipeline/default-judge.ts, retryOrFailover): the retry branch drops `cooldownMs`, so a
    // 429 that is retried never puts the target in cooldown for the advertised time (DESIGN §5), and
    // concurrent requests keep hitting it first.
    test("a short Retry-After also puts the target in cooldown for the advertised time", () => {
      expect(decide(http(429, { retryAfterMs: 3_000 }))).toMatchObject({
        action: "retry",
        delayMs: 3_000,
        cooldownMs: 3_000,
      });
    });

    test("a Retry-After above maxRetryAfterMs: fail over, cooling down for the advertised time", () => {
      expect(decide(http(429, { retryAfterMs: 30_000 }))).toMatchObject({ action: "failover", cooldownMs: 30_000 });
    });

    test("a Retry-After exactly at maxRetryAfterMs is still waited for", () => {
      expect(decide(http(429, { retryAfterMs: 10_000 }))).toMatchObject({ action: "retry", delayMs: 10_000 });
    });

    test("when the target's attempts are used up: fail over even with a short Retry-After", () => {
      expect(decide(http(429, { retryAfterMs: 1_000 }), second)).toMatchObject({
        action: "failover",
        cooldownMs: 1_000,
      });
    });

    test("without Retry-After: fail over with the rate-limit cooldown", () => {
      expect(decide(http(429))).toMatchObject({ action: "failover", cooldownMs: 60_000 });
    });

    test("a Retry-After that would pass the deadline: fail over, still cooling down", () => {
      const late = attempt({ onTarget: 1, backoffMs: BACKOFF, nowMs: NOW, deadline: NOW + 2_000 });
      expect(decide(http(429, { retryAfterMs: 5_000 }), late)).toMatchObject({ action: "failover", cooldownMs: 5_000 });
    });
  });

  describe("server errors and transient failures", () => {
    for (const status of [500, 502, 503, 504]) {
      test(`${status} on the first attempt: retry after the configured backoff`, () => {
        expect(decide(http(status))).toMatchObject({ action: "retry", delayMs: BACKOFF });
      });

      test(`${status} on the second attempt: fail over`, () => {
        expect(decide(http(status), second)).toMatchObject({ action: "failover", cooldownMs: 7_000 });
      });
    }

    test("a connection failure (no response): retry once", () => {
      expect(decide(outcome({ status: 0, errorClass: "connection", errorText: "ECONNRESET" }))).toMatchObject({
        action: "retry",
        delayMs: BACKOFF,
      });
    });

    test("a connection failure on the second attempt: fail over", () => {
      expect(decide(outcome({ status: 0, errorClass: "connection" }), second).action).toBe("failover");
    });

    test("a retry that would pass the deadline: fail over instead", () => {
      const late = attempt({ onTarget: 1, backoffMs: BACKOFF, nowMs: NOW, deadline: NOW + BACKOFF - 1 });
      expect(decide(http(503), late).action).toBe("failover");
    });

    test("a retry that fits before the deadline is kept", () => {
      const tight = attempt({ onTarget: 1, backoffMs: BACKOFF, nowMs: NOW, deadline: NOW + BACKOFF + 1 });
      expect(decide(http(503), tight).action).toBe("retry");
    });
  });

  describe("timeouts", () => {
    for (const errorClass of ["timeout_connect", "timeout_first_token", "stall"] as const) {
      test(`${errorClass}: fail over at once, even on the first attempt`, () => {
        expect(decide(outcome({ status: 0, errorClass }))).toMatchObject({ action: "failover", cooldownMs: 7_000 });
      });
    }
  });

  describe("credentials", () => {
    for (const status of [401, 403]) {
      test(`${status}: fail over and cool the target down for authCooldownMs`, () => {
        expect(decide(http(status, { errorText: "Incorrect API key provided" }))).toMatchObject({
          action: "failover",
          cooldownMs: 300_000,
        });
      });
    }
  });

  describe("context length", () => {
    const small = target("openai/gpt-4o-mini", { contextWindow: 128_000 });
    const onSmall = attempt({ target: small, backoffMs: BACKOFF, nowMs: NOW });
    const tooLong = http(400, {
      errorCode: "context_length_exceeded",
      errorText: "This model's maximum context length is 128000 tokens.",
    });

    test("fails over, never retries the same model", () => {
      expect(decide(tooLong, onSmall).action).toBe("failover");
    });

    test("the failover accepts only a target with a larger context window", () => {
      const { onlyTo } = decide(tooLong, onSmall);
      expect(onlyTo?.(target("claude/claude-sonnet-4-5", { contextWindow: 200_000 }))).toBe(true);
      expect(onlyTo?.(target("openai/gpt-4.1-mini", { contextWindow: 128_000 }))).toBe(false);
      expect(onlyTo?.(target("deepseek/deepseek-chat", { contextWindow: 64_000 }))).toBe(false);
      expect(onlyTo?.(target("other/unknown-window"))).toBe(false);
    });

    test("recognised from the message when the upstream sends no code", () => {
      const decision = decide(http(400, { errorText: "prompt is too long: 210000 tokens > 200000 maximum" }), onSmall);
      expect(decision.action).toBe("failover");
      expect(decision.onlyTo).toBeDefined();
    });
  });

  describe("client errors", () => {
    test("a content policy refusal fails the request (no retry, no failover)", () => {
      expect(
        decide(
          http(400, {
            errorCode: "content_policy_violation",
            errorText: "Your request was rejected by our safety system",
          }),
        ).action,
      ).toBe("fail");
    });

    test("a content filter named only in the message fails the request", () => {
      expect(
        decide(http(400, { errorText: "The response was filtered due to the prompt triggering content_filter" }))
          .action,
      ).toBe("fail");
    });

    test("any other 400 fails the request", () => {
      expect(
        decide(http(400, { errorCode: "invalid_value", errorText: "Invalid value for 'temperature'" })).action,
      ).toBe("fail");
    });

    test("a 422 fails the request", () => {
      expect(decide(http(422)).action).toBe("fail");
    });
  });

  describe("2xx in disguise", () => {
    test("an error object in a 200 body is retried like a 503", () => {
      expect(decide(outcome({ status: 200, errorClass: "error_body", errorText: "overloaded" }))).toMatchObject({
        action: "retry",
        delayMs: BACKOFF,
      });
    });

    test("an error object in a 200 body on the second attempt fails over like a 503", () => {
      expect(decide(outcome({ status: 200, errorClass: "error_body" }), second)).toMatchObject({
        action: "failover",
        cooldownMs: 7_000,
      });
    });

    test("an empty completion is retried like a 503", () => {
      expect(decide(outcome({ status: 200, errorClass: "empty" }))).toMatchObject({
        action: "retry",
        delayMs: BACKOFF,
      });
    });

    test("an empty completion on the second attempt fails over", () => {
      expect(decide(outcome({ status: 200, errorClass: "empty" }), second).action).toBe("failover");
    });
  });
});

describe("defaultRetry (the plugin the gateway puts last in every request's rules)", () => {
  test("judges as defaultDecision does, at the request clock's time", () => {
    const rule = defaultRetry(config);
    expect(rule.name).toBe("builtin:default-retry");
    expect(rule.judge(http(503), first)).toEqual(decide(http(503)));
    expect(rule.judge(http(429, { retryAfterMs: 3_000 }), first)).toEqual(decide(http(429, { retryAfterMs: 3_000 })));
  });

  test("a bad option is refused when the factory is called, naming it", () => {
    expect(() => defaultRetry({ ...config, perTarget: 0 })).toThrow(/perTarget/);
  });
});
