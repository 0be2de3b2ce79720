/**
 * Failover through real HTTP: the official openai client → the gateway → the fault-injecting mock
 * upstream, directly (failover.test.ts) and through a proxy that splits every upstream write in two
 * (failover-split-writes.test.ts), as real networks do. Each test uses its own tier so the mock's
 * per-model counts belong to it alone.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mockReply } from "../../bench/mock-upstream.ts";
import { collectStream, rawStream, startHarness, type Harness } from "../helpers/gateway-harness.ts";

/** Every failover scenario, with the upstream reached directly or through the write-splitting proxy. */
export function failoverSuite(transport: { splitWrites: boolean }): void {
  let h: Harness;
  let mockTime = 0;
  const msg = [{ role: "user" as const, content: "hello" }];

  beforeAll(async () => {
    h = await startHarness({
      mockNow: () => mockTime,
      splitWrites: transport.splitWrites,
      config: () => `
    timeouts: { connectMs: 300, firstTokenMs: 250, idleMs: 150, totalMs: 5000 },
    retry: { rules: [errorKeywordRetry({ keywords: ["overloaded", "rate limit"] })], backoff: { baseMs: 5, maxMs: 20 } },
    tiers: {
      ok: { models: ["a/good?tokens=5"] },
      s503: { models: ["a/s503?fault=status&status=503", "b/fb-s503"] },
      s503once: { models: ["a/s503once?fault=status&status=503&failTimes=1", "b/fb-s503once"] },
      r429short: { models: ["a/r429?fault=status&status=429&retryAfterMs=40&failTimes=1", "b/fb-r429"] },
      r429long: { models: ["a/r429long?fault=status&status=429&retryAfter=60", "b/fb-r429long"] },
      auth: { models: ["a/auth?fault=status&status=401", "b/fb-auth"] },
      reset: { models: ["a/reset?fault=reset", "b/fb-reset"] },
      hang: { models: ["a/hang?fault=hang", "b/fb-hang"] },
      slowft: { models: ["a/slowft?fault=slowFirstToken&delayMs=3000", "b/fb-slowft"] },
      errbody: { models: ["a/errbody?fault=errorBody", "b/fb-errbody"] },
      errevent: { models: ["a/errevent?fault=errorBody&asEvent=1", "b/fb-errevent"] },
      keyword: { models: ["a/keyword?fault=keywordText", "b/fb-keyword"] },
      empty: { models: ["a/empty?fault=empty", "b/fb-empty"] },
      ctx: { models: [{ model: "a/ctx?fault=contextLength", contextWindow: 8000 }, { model: "b/ctx-small", contextWindow: 4000 }, { model: "b/ctx-big", contextWindow: 128000 }] },
      ctxnone: { models: [{ model: "a/ctxnone?fault=contextLength", contextWindow: 8000 }, { model: "b/ctxnone-small", contextWindow: 4000 }] },
      policy: { models: ["a/policy?fault=contentPolicy", "b/fb-policy"] },
      limit: { models: ["a/l1?fault=status&status=500", "a/l2?fault=status&status=500", "a/l3?fault=status&status=500"], maxAttempts: 3 },
      deadline: { models: ["a/d1?fault=hang", "b/d2?fault=hang", "b/d3?fault=hang"], timeouts: { totalMs: 400 } },
      flap: { models: ["a/flap?fault=flap&downMs=1000", "b/fb-flap"] },
      cut: { models: ["a/cut?fault=cut&afterChunks=3", "b/fb-cut"] },
      cutprefill: { models: ["a/cutp?fault=cut&afterChunks=3", { model: "b/cont?tokens=8", prefill: true }] },
      stall: { models: ["a/stall?fault=stall&afterChunks=2", "b/fb-stall"] },
      stallprefill: { models: ["a/stallp?fault=stall&afterChunks=2", { model: "b/cont2?tokens=8", prefill: true }] },
      noprefill: { models: ["a/cutr?fault=cut&afterChunks=3", { model: "b/rp?fault=rejectPrefill", prefill: true }] },
      nofinish: { models: ["a/nofinish?fault=endNoFinish&afterChunks=3", "b/fb-nofinish"] },
      malformed: { models: ["a/malformed?fault=malformed&at=2"] },
      nodone: { models: ["a/nodone?fault=noDone"] },
      paced: { models: ["a/paced?tokens=5&chunkDelayMs=40"] },
      long: { models: ["a/long?tokens=200&chunkDelayMs=20"] },
    },`,
    });
  });
  afterAll(() => h.stop());

  async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const start = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - start };
  }

  async function complete(model: string) {
    return h.client.chat.completions.create({ model, messages: msg }).withResponse();
  }

  async function failure(fn: () => Promise<unknown>): Promise<{ status?: number; code?: string; message: string }> {
    try {
      await fn();
    } catch (e) {
      const err = e as { status?: number; code?: string; message: string };
      return { status: err.status, code: err.code, message: err.message };
    }
    throw new Error("expected the request to fail");
  }

  describe("success", () => {
    test("non-stream: the answer and the gateway headers", async () => {
      const { data, response } = await complete("ok");
      expect(data.choices[0].message.content).toBe(mockReply(5));
      expect(data.model).toBe("good"); // the model that answered, as the upstream names it
      expect(data.usage?.completion_tokens).toBe(5);
      expect(response.headers.get("x-gateway-tier")).toBe("ok");
      expect(response.headers.get("x-gateway-model")).toBe("a/good?tokens=5");
      expect(response.headers.get("x-gateway-attempts")).toBe("1");
      expect(response.headers.get("x-request-id")).toMatch(/^req_/);
      expect(Number(response.headers.get("x-gateway-overhead-ms"))).toBeGreaterThanOrEqual(0);
    });

    test("stream: the whole answer, then a clean end", async () => {
      const { data, response } = await h.client.chat.completions.create({ model: "ok", messages: msg, stream: true }).withResponse();
      const { text, error } = await collectStream(data);
      expect(error).toBeUndefined();
      expect(text).toBe(mockReply(5));
      expect(response.headers.get("x-gateway-model")).toBe("a/good?tokens=5");
      const raw = await rawStream(h.url, { model: "ok", messages: msg });
      expect(raw.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    });

    test("stream chunks reach the client as the upstream sends them, not batched", async () => {
      const stream = await h.client.chat.completions.create({ model: "paced", messages: msg, stream: true });
      const arrivals: number[] = [];
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) arrivals.push(performance.now());
      expect(arrivals.length).toBe(5);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
      // The mock paces them 40 ms apart: batching would show as gaps near 0. The median, not every gap:
      // a busy machine can delay one read until the next chunk is in too, which is not the gateway's doing.
      expect(gaps.sort((x, y) => x - y)[Math.floor(gaps.length / 2)]).toBeGreaterThan(20);
    });

    test("usage is streamed only when the client asks for it (stream_options.include_usage)", async () => {
      const withUsage = await collectStream(await h.client.chat.completions.create({ model: "ok", messages: msg, stream: true, stream_options: { include_usage: true } }));
      expect(withUsage.chunks.at(-1)?.usage?.completion_tokens).toBe(5);
      const without = await collectStream(await h.client.chat.completions.create({ model: "ok", messages: msg, stream: true }));
      expect(without.chunks.some((c) => c.usage)).toBe(false);
      expect(without.text).toBe(mockReply(5));
    });
  });

  describe("failover before the first byte", () => {
    test("503: one retry on the same target, then the fallback answers", async () => {
      const { data, response } = await complete("s503");
      expect(data.choices[0].message.content).toBe(mockReply(8));
      expect(h.seen("s503?fault=status&status=503")).toBe(2);
      expect(h.seen("fb-s503")).toBe(1);
      expect(response.headers.get("x-gateway-attempts")).toBe("3");
      expect(response.headers.get("x-gateway-model")).toBe("b/fb-s503");
    });

    test("a transient 503 is absorbed by the retry on the same target", async () => {
      const { response } = await complete("s503once");
      expect(response.headers.get("x-gateway-model")).toBe("a/s503once?fault=status&status=503&failTimes=1");
      expect(h.seen("fb-s503once")).toBe(0);
    });

    test("429 with a short retry-after-ms: waits that long and retries the same target", async () => {
      const { value, ms } = await timed(() => complete("r429short"));
      expect(value.response.headers.get("x-gateway-model")).toContain("a/r429");
      expect(h.seen("r429?fault=status&status=429&retryAfterMs=40&failTimes=1")).toBe(2);
      expect(ms).toBeGreaterThanOrEqual(35);
    });

    test("429 with a long Retry-After: fails over at once and cools the target down", async () => {
      const { value, ms } = await timed(() => complete("r429long"));
      expect(value.response.headers.get("x-gateway-model")).toBe("b/fb-r429long");
      expect(ms).toBeLessThan(1000);
      await complete("r429long"); // the cooled-down target now goes last
      expect(h.seen("r429long?fault=status&status=429&retryAfter=60")).toBe(1);
      expect(h.seen("fb-r429long")).toBe(2);
    });

    test("401 from an upstream: failover, and that target is cooled down", async () => {
      await complete("auth");
      await complete("auth");
      expect(h.seen("auth?fault=status&status=401")).toBe(1);
      expect(h.seen("fb-auth")).toBe(2);
    });

    test("connection reset before headers: retried once, then the fallback answers", async () => {
      const { data } = await complete("reset");
      expect(data.choices[0].message.content).toBe(mockReply(8));
      expect(h.seen("reset?fault=reset")).toBe(2);
    });

    test("no response at all: the first-token budget fails over without a retry", async () => {
      const { value, ms } = await timed(() => complete("hang"));
      expect(value.data.choices[0].message.content).toBe(mockReply(8));
      expect(h.seen("hang?fault=hang")).toBe(1);
      expect(ms).toBeLessThan(1500);
    });

    test("stream with no response headers: the connect budget fails over", async () => {
      const { value, ms } = await timed(async () => collectStream(await h.client.chat.completions.create({ model: "hang", messages: msg, stream: true })));
      expect(value.text).toBe(mockReply(8));
      expect(ms).toBeLessThan(1500);
    });

    test("stream with a slow first token: failover is invisible to the client", async () => {
      const { value, ms } = await timed(async () => collectStream(await h.client.chat.completions.create({ model: "slowft", messages: msg, stream: true })));
      expect(value.error).toBeUndefined();
      expect(value.text).toBe(mockReply(8));
      expect(h.seen("slowft?fault=slowFirstToken&delayMs=3000")).toBe(1);
      expect(ms).toBeLessThan(1500);
    });

    test("a 200 whose body is an error object is a failure", async () => {
      const { data } = await complete("errbody");
      expect(data.choices[0].message.content).toBe(mockReply(8));
      expect(h.seen("fb-errbody")).toBe(1);
    });

    test("a stream whose first event is an error object fails over before anything is sent", async () => {
      const { text, error, chunks } = await collectStream(await h.client.chat.completions.create({ model: "errevent", messages: msg, stream: true }));
      expect(error).toBeUndefined();
      expect(text).toBe(mockReply(8));
      expect(chunks.every((c) => c.model === "fb-errevent")).toBe(true);
    });

    test("an error keyword in a 200 answer (errorKeywordRetry) fails over, stream and not", async () => {
      const { data } = await complete("keyword");
      expect(data.choices[0].message.content).toBe(mockReply(8));
      const streamed = await collectStream(await h.client.chat.completions.create({ model: "keyword", messages: msg, stream: true }));
      expect(streamed.text).toBe(mockReply(8));
    });

    test("an empty completion is a failure", async () => {
      const { data } = await complete("empty");
      expect(data.choices[0].message.content).toBe(mockReply(8));
      const streamed = await collectStream(await h.client.chat.completions.create({ model: "empty", messages: msg, stream: true }));
      expect(streamed.text).toBe(mockReply(8));
    });

    test("context length exceeded: only a model with a larger context window is tried", async () => {
      const { response } = await complete("ctx");
      expect(response.headers.get("x-gateway-model")).toBe("b/ctx-big");
      expect(h.seen("ctx-small")).toBe(0);
      expect(h.seen("ctx?fault=contextLength")).toBe(1);
    });

    test("context length exceeded with no larger model: the client gets the upstream's 400", async () => {
      const err = await failure(() => complete("ctxnone"));
      expect(err.status).toBe(400);
      expect(err.code).toBe("context_length_exceeded");
      expect(h.seen("ctxnone-small")).toBe(0);
    });

    test("content policy: no retry, no failover, the upstream's 400 is returned", async () => {
      const err = await failure(() => complete("policy"));
      expect(err.status).toBe(400);
      expect(err.code).toBe("content_policy_violation");
      expect(h.seen("policy?fault=contentPolicy")).toBe(1);
      expect(h.seen("fb-policy")).toBe(0);
    });

    test("the attempt limit of the tier is respected, and the error says what happened", async () => {
      const err = await failure(() => complete("limit"));
      expect(err.status).toBe(502);
      expect(err.message).toContain("All 3 upstream attempt(s) failed");
      const total = h.seen("l1?fault=status&status=500") + h.seen("l2?fault=status&status=500") + h.seen("l3?fault=status&status=500");
      expect(total).toBe(3);
    });

    test("the total deadline ends the request with 504 on time", async () => {
      const { value: err, ms } = await timed(() => failure(() => complete("deadline")));
      expect(err.status).toBe(504);
      expect(ms).toBeLessThan(1200);
      expect(h.seen("d3?fault=hang")).toBe(0);
    });

    test("a flapping upstream is skipped while down and used again once healthy", async () => {
      mockTime = 0;
      const first = await complete("flap");
      expect(first.response.headers.get("x-gateway-model")).toBe("b/fb-flap");
      mockTime = 5000;
      const later = await complete("flap");
      expect(later.response.headers.get("x-gateway-model")).toBe("a/flap?fault=flap&downMs=1000");
    });
  });

  describe("faults after the first byte", () => {
    test("a cut stream ends with an in-band error and no [DONE]", async () => {
      const raw = await rawStream(h.url, { model: "cut", messages: msg });
      expect(raw.status).toBe(200);
      expect(raw.text).toContain('"code":"stream_cut"');
      expect(raw.text).not.toContain("[DONE]");
      const { text, error } = await collectStream(await h.client.chat.completions.create({ model: "cut", messages: msg, stream: true }));
      expect(error).toBeDefined(); // the openai client raises the error event: never a truncated success
      expect(mockReply(8).startsWith(text)).toBe(true);
      expect(text.length).toBeLessThan(mockReply(8).length);
    });

    test("a cut stream continues on a prefill-capable fallback: the client gets the whole answer", async () => {
      const { text, error } = await collectStream(await h.client.chat.completions.create({ model: "cutprefill", messages: msg, stream: true }));
      expect(error).toBeUndefined();
      expect(text).toBe(mockReply(8));
      const sent = h.mock.stats.bodies["cont?tokens=8"]?.[0] as { messages: { role: string; content: string }[] };
      expect(sent.messages.at(-1)).toEqual({ role: "assistant", content: "w1 w2 w3 " });
    });

    test("a stalled stream ends with an in-band error after the idle budget", async () => {
      const { value: raw, ms } = await timed(() => rawStream(h.url, { model: "stall", messages: msg }));
      expect(raw.text).toContain('"code":"stream_stalled"');
      expect(raw.text).not.toContain("[DONE]");
      expect(ms).toBeLessThan(1500);
      expect(h.seen("fb-stall")).toBe(0); // not prefill-capable: never used mid-stream
    });

    test("a stalled stream continues on a prefill-capable fallback", async () => {
      const { text, error } = await collectStream(await h.client.chat.completions.create({ model: "stallprefill", messages: msg, stream: true }));
      expect(error).toBeUndefined();
      expect(text).toBe(mockReply(8));
    });

    test("a fallback that rejects the prefill leaves the stream failed, not truncated-but-done", async () => {
      const raw = await rawStream(h.url, { model: "noprefill", messages: msg });
      expect(raw.text).toContain('"code":"stream_cut"');
      expect(raw.text).not.toContain("[DONE]");
      expect(h.seen("rp?fault=rejectPrefill")).toBe(1);
    });

    test("a stream that ends without a finish reason is a failure", async () => {
      const raw = await rawStream(h.url, { model: "nofinish", messages: msg });
      expect(raw.text).toContain('"code":"stream_cut"');
      expect(raw.text).not.toContain("[DONE]");
    });

    test("a malformed event is dropped and counted; the answer is complete", async () => {
      const raw = await rawStream(h.url, { model: "malformed", messages: msg });
      expect(raw.text).not.toContain("{not json");
      expect(raw.text).toContain("[DONE]");
      const { text } = await collectStream(await h.client.chat.completions.create({ model: "malformed", messages: msg, stream: true }));
      expect(text).toBe(mockReply(8));
      expect(h.log.lines.some((l) => l.includes("dropped malformed stream events"))).toBe(true);
    });

    test("an upstream that never sends [DONE] is finished promptly by the gateway", async () => {
      const { value: raw, ms } = await timed(() => rawStream(h.url, { model: "nodone", messages: msg }));
      expect(raw.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(ms).toBeLessThan(1000);
    });

    test("the client's disconnect while waiting for an answer cancels the upstream request", async () => {
      const before = h.mock.stats.aborted;
      const controller = new AbortController();
      const pending = h.client.chat.completions.create({ model: "hang", messages: msg }, { signal: controller.signal });
      await Bun.sleep(50);
      controller.abort();
      await pending.catch(() => {});
      for (let i = 0; i < 50 && h.mock.stats.aborted === before; i++) await Bun.sleep(10);
      expect(h.mock.stats.aborted).toBe(before + 1);
      await Bun.sleep(300); // past the first-token budget: a gateway that ignored the disconnect would fail over now
      expect(h.seen("fb-hang")).toBe(2); // the two earlier hang tests only
    });

    test("the client's disconnect mid-stream cancels the upstream request", async () => {
      const before = h.mock.stats.aborted;
      const controller = new AbortController();
      const stream = await h.client.chat.completions.create({ model: "long", messages: msg, stream: true }, { signal: controller.signal });
      let seen = 0;
      try {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta?.content && ++seen === 2) controller.abort();
        }
      } catch {
        // aborted by us
      }
      for (let i = 0; i < 50 && h.mock.stats.aborted === before; i++) await Bun.sleep(10);
      expect(h.mock.stats.aborted).toBe(before + 1);
    });
  });
}
