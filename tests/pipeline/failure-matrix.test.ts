/**
 * README's failure-semantics table, row by row, in process: an in-memory gateway on a virtual clock in
 * front of scripted upstreams. Budgets pass in virtual time, so a 250 ms first-token budget is checked to
 * the millisecond, without a sleep and without a wall-clock bound. (The wire format and the official
 * client's view stay in the real-HTTP suite, failover-suite.ts.)
 */
import { describe, expect, test } from "bun:test";
import { scripted } from "../../plugins/index.ts";
import { answerText, errorOf, streamed, virtualGateway } from "../helpers/virtual-gateway.ts";

const ok = (text = "fallback answer") => scripted([{ text }]);

describe("failure matrix: before the first byte", () => {
  test("2xx with a healthy body: accepted, with the gateway's headers", async () => {
    const g = virtualGateway({ providers: { a: ok("hi") }, tiers: { t: { models: ["a/m"] } } });
    const answer = await g.chat("t");
    expect(answerText(answer)).toBe("hi");
    expect(answer.headers.get("x-gateway-model")).toBe("a/m");
    expect(answer.headers.get("x-gateway-attempts")).toBe("1");
  });

  test("503: one retry on the same target after a jittered backoff, then the fallback answers", async () => {
    const a = scripted([{ status: 503 }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const answer = await g.chat("t");
    expect(answerText(answer)).toBe("fallback answer");
    expect(a.seen()).toBe(2);
    expect(answer.headers.get("x-gateway-attempts")).toBe("3");
    expect(answer.headers.get("x-gateway-model")).toBe("b/fb");
    expect(answer.elapsedMs).toBe(3.75); // baseMs 5 · (0.5 + 0.5 · random 0.5): the only wait
  });

  test.each([408, 409, 500, 502, 504])("%d is retried once on the same target", async (status) => {
    const a = scripted([{ status }, { text: "second try" }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect(answerText(await g.chat("t"))).toBe("second try");
    expect(a.seen()).toBe(2);
  });

  test("429 with a short retry-after-ms: waits exactly that long and retries the same target", async () => {
    const a = scripted([{ status: 429, headers: { "retry-after-ms": "40" } }, { text: "after the wait" }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const answer = await g.chat("t");
    expect(answerText(answer)).toBe("after the wait");
    expect(answer.elapsedMs).toBe(40);
  });

  test("429 with a long Retry-After: fails over at once, and the target cools down", async () => {
    const a = scripted([{ status: 429, headers: { "retry-after": "60" } }]);
    const b = ok();
    const g = virtualGateway({ providers: { a, b }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const answer = await g.chat("t");
    expect(answer.headers.get("x-gateway-model")).toBe("b/fb");
    expect(answer.elapsedMs).toBe(0);
    await g.chat("t"); // the cooled-down target now goes last
    expect(a.seen()).toBe(1);
    expect(b.seen()).toBe(2);
    expect(g.gateway.health("a/m").state).toBe("open");
  });

  test.each([401, 403])("%d: failover, and the target cools down (a key problem)", async (status) => {
    const a = scripted([{ status }]);
    const b = ok();
    const g = virtualGateway({ providers: { a, b }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    await g.chat("t");
    await g.chat("t");
    expect(a.seen()).toBe(1);
    expect(b.seen()).toBe(2);
  });

  test("404 and redirects fail over without a retry; a redirect is never followed", async () => {
    const a = scripted({
      gone: [{ status: 404 }],
      moved: [{ status: 307, headers: { location: "https://elsewhere.example/v1" } }],
    });
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/gone", "a/moved", "b/fb"] } } });
    const answer = await g.chat("t");
    expect(answerText(answer)).toBe("fallback answer");
    expect(a.seen()).toBe(2);
  });

  test("a non-streamed body past limits.maxUpstreamBodyBytes fails over, its read cancelled at the limit", async () => {
    const a = scripted([{ body: { filler: "x".repeat(4096) } }]);
    const g = virtualGateway({
      providers: { a, b: ok() },
      tiers: { t: { models: ["a/m", "b/fb"] } },
      limits: { maxUpstreamBodyBytes: 1024 },
    });
    expect(answerText(await g.chat("t"))).toBe("fallback answer");
    expect(a.seen()).toBe(1);
  });

  test("connection reset before headers: retried once, then the fallback answers", async () => {
    const a = scripted([{ reset: true }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect(answerText(await g.chat("t"))).toBe("fallback answer");
    expect(a.seen()).toBe(2);
  });

  test("no answer at all: the first-token budget fails over at 250 ms, without a retry", async () => {
    const a = scripted([{ hang: true }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const answer = await g.chat("t");
    expect(answerText(answer)).toBe("fallback answer");
    expect(a.seen()).toBe(1);
    expect(a.calls[0].ended).toBe("aborted");
    expect(answer.elapsedMs).toBe(250);
  });

  test("stream with no response headers: the connect budget fails over at 300 ms", async () => {
    const g = virtualGateway({
      providers: { a: scripted([{ hang: true }]), b: ok() },
      tiers: { t: { models: ["a/m", "b/fb"] } },
    });
    const answer = await g.chat("t", { stream: true });
    expect(streamed(answer.text).content).toBe("fallback answer");
    expect(answer.elapsedMs).toBe(300);
  });

  test("stream with a slow first token: failover at the first-token budget, invisible to the client", async () => {
    const a = scripted([{ stream: ["late"], gapsMs: [3000] }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const answer = await g.chat("t", { stream: true });
    const { content, error, done } = streamed(answer.text);
    expect([content, error, done]).toEqual(["fallback answer", undefined, true]);
    expect(a.seen()).toBe(1);
    expect(answer.elapsedMs).toBe(250);
  });

  test("a 200 whose body is an error object is a failure", async () => {
    const a = scripted([{ body: { error: { message: "upstream exploded", type: "server_error" } } }]);
    const b = ok();
    const g = virtualGateway({ providers: { a, b }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect(answerText(await g.chat("t"))).toBe("fallback answer");
    expect(b.seen()).toBe(1);
  });

  test("a stream whose first event is an error object fails over before anything is sent", async () => {
    const a = scripted([{ stream: [{ error: { message: "overloaded", type: "server_error" } }] }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const { content, error, chunks } = streamed((await g.chat("t", { stream: true })).text);
    expect([content, error]).toEqual(["fallback answer", undefined]);
    expect(chunks.every((c) => c.model === "fb")).toBe(true);
  });

  test("an error keyword in a short 200 answer (errorKeywordRetry) fails over, stream and not", async () => {
    const a = scripted([{ text: "Sorry, the server is overloaded" }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect(answerText(await g.chat("t"))).toBe("fallback answer");
    expect(streamed((await g.chat("t", { stream: true })).text).content).toBe("fallback answer");
  });

  test("an empty completion is a failure, stream and not", async () => {
    const a = scripted([{ text: "" }, { text: "" }, { stream: [], end: "finish" }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect(answerText(await g.chat("t"))).toBe("fallback answer");
    expect(streamed((await g.chat("t", { stream: true })).text).content).toBe("fallback answer");
  });

  test("a stream cut before any content is retried once, then fails over", async () => {
    const a = scripted([{ stream: [], end: "cut" }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect(streamed((await g.chat("t", { stream: true })).text).content).toBe("fallback answer");
    expect(a.seen()).toBe(2);
  });

  const contextLength = { status: 400, error: { code: "context_length_exceeded", message: "too long" } };

  test("context length exceeded: only a model with a larger context window is tried", async () => {
    const a = scripted([contextLength]);
    const b = scripted({ small: [{ text: "small" }], big: [{ text: "big" }] });
    const g = virtualGateway({
      providers: { a, b },
      tiers: {
        t: {
          models: [
            { model: "a/m", contextWindow: 8000 },
            { model: "b/small", contextWindow: 4000 },
            { model: "b/big", contextWindow: 128000 },
          ],
        },
      },
    });
    const answer = await g.chat("t");
    expect(answer.headers.get("x-gateway-model")).toBe("b/big");
    expect(b.seen("small")).toBe(0);
    expect(a.seen()).toBe(1);
  });

  test("context length exceeded with no larger model: the client gets the upstream's 400", async () => {
    const b = ok();
    const g = virtualGateway({
      providers: { a: scripted([contextLength]), b },
      tiers: {
        t: {
          models: [
            { model: "a/m", contextWindow: 8000 },
            { model: "b/small", contextWindow: 4000 },
          ],
        },
      },
    });
    const answer = await g.chat("t");
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe("context_length_exceeded");
    expect(b.seen()).toBe(0);
  });

  test("content policy (and other 4xx): no retry, no failover, the upstream's 400 is returned", async () => {
    const a = scripted([{ status: 400, error: { code: "content_policy_violation", message: "refused" } }]);
    const b = ok();
    const g = virtualGateway({ providers: { a, b }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const answer = await g.chat("t");
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe("content_policy_violation");
    expect([a.seen(), b.seen()]).toEqual([1, 0]);
  });

  test("the tier's attempt limit holds, and the 502 says what happened", async () => {
    const a = scripted([{ status: 500 }]);
    const g = virtualGateway({ providers: { a }, tiers: { t: { models: ["a/l1", "a/l2", "a/l3"], maxAttempts: 3 } } });
    const answer = await g.chat("t");
    expect(answer.status).toBe(502);
    expect(errorOf(answer).message).toContain("All 3 upstream attempt(s) failed");
    expect(a.seen()).toBe(3);
  });

  test("the total deadline ends the request with 504 exactly on time", async () => {
    const a = scripted([{ hang: true }]);
    const g = virtualGateway({
      providers: { a },
      tiers: { t: { models: ["a/d1", "a/d2", "a/d3"], timeouts: { totalMs: 400 } } },
    });
    const answer = await g.chat("t");
    expect(answer.status).toBe(504);
    expect(answer.elapsedMs).toBe(400);
    expect(a.seen("d3")).toBe(0);
  });

  test("an upstream that fails is skipped while down and used again once it answers", async () => {
    const a = scripted([{ status: 503 }, { status: 503 }, { text: "primary again" }]);
    const g = virtualGateway({ providers: { a, b: ok() }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    expect((await g.chat("t")).headers.get("x-gateway-model")).toBe("b/fb");
    await g.clock.advance(5_000);
    expect(answerText(await g.chat("t"))).toBe("primary again");
  });

  test("the client's disconnect while waiting cancels the upstream call, and nothing fails over after it", async () => {
    const a = scripted([{ hang: true }]);
    const b = ok();
    const g = virtualGateway({ providers: { a, b }, tiers: { t: { models: ["a/m", "b/fb"] } } });
    const controller = new AbortController();
    g.clock.setTimer(50, () => controller.abort());
    await g.send("t", { signal: controller.signal }).catch(() => undefined);
    await g.clock.advance(1_000); // past every budget: a gateway that ignored the disconnect would fail over now
    expect(a.calls[0].ended).toBe("aborted");
    expect(b.seen()).toBe(0);
    expect(g.clock.pending).toBe(0);
  });
});
