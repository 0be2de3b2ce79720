/**
 * Failover through real HTTP: the official openai client → the gateway → the fault-injecting mock
 * upstream, directly (failover.test.ts) and through a proxy that splits every upstream write in two
 * (failover-split-writes.test.ts), as real networks do. Each test uses its own tier so the mock's
 * per-model counts belong to it alone.
 *
 * Only what needs the wire is here: the wire format, the official client's view of in-band errors,
 * events split across network reads, real sockets cut, aborted and timed out. The whole failure matrix
 * (every row of README's table and the streaming rule) runs in process on a virtual clock:
 * failure-matrix.test.ts and failure-matrix-stream.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mockReply } from "../../bench/mock-upstream.ts";
import { collectStream, type Harness, rawStream, startHarness } from "../helpers/gateway-harness.ts";

/** Every failover scenario, with the upstream reached directly or through the write-splitting proxy. */
export function failoverSuite(transport: { splitWrites: boolean }): void {
  let h: Harness;
  const msg = [{ role: "user" as const, content: "hello" }];

  beforeAll(async () => {
    h = await startHarness({
      splitWrites: transport.splitWrites,
      config: () => `
    timeouts: { connectMs: 300, firstTokenMs: 250, idleMs: 150, totalMs: 5000 },
    retry: { rules: [errorKeywordRetry({ keywords: ["overloaded", "rate limit"] })], backoff: { baseMs: 5, maxMs: 20 } },
    tiers: {
      ok: { models: ["a/good?tokens=5"] },
      reset: { models: ["a/reset?fault=reset", "b/fb-reset"] },
      hang: { models: ["a/hang?fault=hang", "b/fb-hang"] },
      errevent: { models: ["a/errevent?fault=errorBody&asEvent=1", "b/fb-errevent"] },
      cut: { models: ["a/cut?fault=cut&afterChunks=3", "b/fb-cut"] },
      cutprefill: { models: ["a/cutp?fault=cut&afterChunks=3", { model: "b/cont?tokens=8", prefill: true }] },
      stall: { models: ["a/stall?fault=stall&afterChunks=2", "b/fb-stall"] },
      malformed: { models: ["a/malformed?fault=malformed&at=2"] },
      nodone: { models: ["a/nodone?fault=noDone"] },
      paced: { models: ["a/paced?tokens=5&chunkDelayMs=40"] },
      long: { models: ["a/long?tokens=200&chunkDelayMs=20"] },
    },`,
    });
  });
  afterAll(() => h.stop());

  /** Waits (bounded) until the mock holds no request open: the aborts of earlier tests are counted by then. */
  async function quiet(): Promise<void> {
    for (let i = 0; i < 100 && h.mock.stats.open > 0; i++) await Bun.sleep(10);
  }

  async function complete(model: string) {
    return h.client.chat.completions.create({ model, messages: msg }).withResponse();
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
      const { data, response } = await h.client.chat.completions
        .create({ model: "ok", messages: msg, stream: true })
        .withResponse();
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
  });

  describe("failover before the first byte", () => {
    test("connection reset before headers: retried once, then the fallback answers", async () => {
      const { data } = await complete("reset");
      expect(data.choices[0].message.content).toBe(mockReply(8));
      expect(h.seen("reset?fault=reset")).toBe(2);
    });

    test("no response at all: the first-token budget fails over without a retry", async () => {
      const value = await complete("hang");
      expect(value.data.choices[0].message.content).toBe(mockReply(8));
      expect(h.seen("hang?fault=hang")).toBe(1);
    });

    test("a stream whose first event is an error object fails over before anything is sent", async () => {
      const { text, error, chunks } = await collectStream(
        await h.client.chat.completions.create({ model: "errevent", messages: msg, stream: true }),
      );
      expect(error).toBeUndefined();
      expect(text).toBe(mockReply(8));
      expect(chunks.every((c) => c.model === "fb-errevent")).toBe(true);
    });
  });

  describe("faults after the first byte", () => {
    test("a cut stream ends with an in-band error and no [DONE]", async () => {
      const raw = await rawStream(h.url, { model: "cut", messages: msg });
      expect(raw.status).toBe(200);
      expect(raw.text).toContain('"code":"stream_cut"');
      expect(raw.text).not.toContain("[DONE]");
      const { text, error } = await collectStream(
        await h.client.chat.completions.create({ model: "cut", messages: msg, stream: true }),
      );
      expect(error).toBeDefined(); // the openai client raises the error event: never a truncated success
      expect(mockReply(8).startsWith(text)).toBe(true);
      expect(text.length).toBeLessThan(mockReply(8).length);
    });

    test("a cut stream continues on a prefill-capable fallback: the client gets the whole answer", async () => {
      const { text, error } = await collectStream(
        await h.client.chat.completions.create({ model: "cutprefill", messages: msg, stream: true }),
      );
      expect(error).toBeUndefined();
      expect(text).toBe(mockReply(8));
      const sent = h.mock.stats.bodies["cont?tokens=8"]?.[0] as { messages: { role: string; content: string }[] };
      expect(sent.messages.at(-1)).toEqual({ role: "assistant", content: "w1 w2 w3 " });
    });

    test("a stalled stream ends with an in-band error after the idle budget", async () => {
      const raw = await rawStream(h.url, { model: "stall", messages: msg });
      expect(raw.text).toContain('"code":"stream_stalled"');
      expect(raw.text).not.toContain("[DONE]");
      expect(h.seen("fb-stall")).toBe(0); // not prefill-capable: never used mid-stream
    });

    test("a malformed event is dropped and counted; the answer is complete", async () => {
      const raw = await rawStream(h.url, { model: "malformed", messages: msg });
      expect(raw.text).not.toContain("{not json");
      expect(raw.text).toContain("[DONE]");
      const { text } = await collectStream(
        await h.client.chat.completions.create({ model: "malformed", messages: msg, stream: true }),
      );
      expect(text).toBe(mockReply(8));
      expect(h.log.lines.some((l) => l.includes("dropped malformed stream events"))).toBe(true);
    });

    test("an upstream that never sends [DONE] is finished promptly by the gateway", async () => {
      const raw = await rawStream(h.url, { model: "nodone", messages: msg });
      expect(raw.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    });

    test("the client's disconnect while waiting for an answer cancels the upstream request", async () => {
      await quiet();
      const before = h.mock.stats.aborted;
      const controller = new AbortController();
      const pending = h.client.chat.completions.create({ model: "hang", messages: msg }, { signal: controller.signal });
      await Bun.sleep(50);
      controller.abort();
      await pending.catch(() => {});
      for (let i = 0; i < 50 && h.mock.stats.aborted === before; i++) await Bun.sleep(10);
      expect(h.mock.stats.aborted).toBe(before + 1);
      await Bun.sleep(300); // past the first-token budget: a gateway that ignored the disconnect would fail over now
      expect(h.seen("fb-hang")).toBe(1); // the earlier hang test only
    });

    test("the client's disconnect mid-stream cancels the upstream request", async () => {
      await quiet();
      const before = h.mock.stats.aborted;
      const controller = new AbortController();
      const stream = await h.client.chat.completions.create(
        { model: "long", messages: msg, stream: true },
        { signal: controller.signal },
      );
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
