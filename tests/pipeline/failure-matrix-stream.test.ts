/**
 * README's streaming rule after the first byte, in process, on a virtual clock: stalls, cuts, ends
 * without a finish reason, continuation on `prefill: true` targets, malformed events, a missing
 * `[DONE]`, the deadline mid-stream and the client's disconnect. No sleeps, no wall-clock bounds: the
 * idle budget is checked to the virtual millisecond.
 */
import { describe, expect, test } from "bun:test";
import { type ScriptStep, scripted } from "../../plugins/index.ts";
import { streamed, virtualGateway } from "../helpers/virtual-gateway.ts";

const words = ["w1 ", "w2 ", "w3 ", "w4 ", "w5 ", "w6 ", "w7 ", "w8 "];
const whole = words.join("");
/** A stream of the first `n` words, then `end`. */
const partial = (
  n: number,
  end: ScriptStep extends infer S ? (S extends { end?: infer E } ? E : never) : never,
): ScriptStep => ({ stream: words.slice(0, n), end });
const finishEvent = {
  id: "c",
  object: "chat.completion.chunk",
  created: 0,
  model: "m",
  choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
};

describe("failure matrix: after the first byte", () => {
  test("the whole answer, as each event arrives (never batched), then [DONE]", async () => {
    const g = virtualGateway({
      providers: { a: scripted([{ stream: ["a", "b", "c"], gapsMs: [0, 40, 40] }]) },
      tiers: { t: { models: ["a/m"] } },
    });
    const response = await g.send("t", { stream: true });
    const started = g.clock.now();
    const reader = response.body!.getReader();
    const arrivals: number[] = [];
    for (;;) {
      const { done, value } = await g.clock.run(reader.read());
      if (done) break;
      if (new TextDecoder().decode(value).includes('"content"')) arrivals.push(g.clock.now() - started);
    }
    expect(arrivals).toEqual([0, 40, 80]);
  });

  test("usage reaches the client only when it asks (stream_options.include_usage)", async () => {
    const g = virtualGateway({ providers: { a: scripted([{ stream: ["hi"] }]) }, tiers: { t: { models: ["a/m"] } } });
    const withUsage = streamed(
      (await g.chat("t", { stream: true, body: { stream_options: { include_usage: true } } })).text,
    );
    expect(withUsage.chunks.at(-1)?.usage).toBeDefined();
    const without = streamed((await g.chat("t", { stream: true })).text);
    expect(without.chunks.some((c) => c.usage)).toBe(false);
    expect(without.content).toBe("hi");
  });

  test("a cut stream ends with an in-band stream_cut and no [DONE]: never a truncated success", async () => {
    const b = scripted([{ stream: words }]);
    const g = virtualGateway({
      providers: { a: scripted([partial(3, "cut")]), b },
      tiers: { t: { models: ["a/m", "b/fb"] } },
    });
    const answer = await g.chat("t", { stream: true });
    expect(answer.status).toBe(200);
    const { content, error, done } = streamed(answer.text);
    expect([content, error?.code, done]).toEqual(["w1 w2 w3 ", "stream_cut", false]);
    expect(b.seen()).toBe(0); // not prefill-capable: never used mid-stream
  });

  test("a cut stream continues on a prefill-capable fallback: the client gets the whole answer", async () => {
    const cont = scripted([{ stream: words.slice(3) }]);
    const g = virtualGateway({
      providers: { a: scripted([partial(3, "cut")]), b: cont },
      tiers: { t: { models: ["a/m", { model: "b/cont", prefill: true }] } },
    });
    const { content, error, done } = streamed((await g.chat("t", { stream: true })).text);
    expect([content, error, done]).toEqual([whole, undefined, true]);
    expect(cont.calls[0].body.messages.at(-1)).toEqual({ role: "assistant", content: "w1 w2 w3 " });
  });

  test("a stalled stream ends with stream_stalled exactly one idle budget after the last event", async () => {
    const g = virtualGateway({
      providers: { a: scripted([{ stream: ["w1 ", "w2 "], gapsMs: [0, 10], end: "hang" }]), b: scripted([{}]) },
      tiers: { t: { models: ["a/m", "b/fb"] } },
    });
    const answer = await g.chat("t", { stream: true });
    const { error, done } = streamed(answer.text);
    expect([error?.code, done]).toEqual(["stream_stalled", false]);
    expect(answer.elapsedMs).toBe(10 + 150);
    expect(g.clock.pending).toBe(0);
  });

  test("a stalled stream continues on a prefill-capable fallback", async () => {
    const g = virtualGateway({
      providers: { a: scripted([partial(2, "hang")]), b: scripted([{ stream: words.slice(2) }]) },
      tiers: { t: { models: ["a/m", { model: "b/cont", prefill: true }] } },
    });
    const { content, error } = streamed((await g.chat("t", { stream: true })).text);
    expect([content, error]).toEqual([whole, undefined]);
  });

  test("keep-alives do not hold off the idle budget: only what reaches the client counts", async () => {
    const ping = { raw: ": keep-alive\n\n" };
    const a = scripted([{ stream: ["w1 ", ping, ping, ping, ping], gapsMs: [0, 100, 100, 100, 100], end: "hang" }]);
    const g = virtualGateway({ providers: { a }, tiers: { t: { models: ["a/m"] } } });
    const answer = await g.chat("t", { stream: true });
    expect(streamed(answer.text).error?.code).toBe("stream_stalled");
    expect(answer.elapsedMs).toBe(150);
  });

  test("a prefill fallback that refuses leaves the stream failed, not truncated-but-done", async () => {
    const b = scripted([{ status: 400, error: { message: "prefill not supported" } }]);
    const g = virtualGateway({
      providers: { a: scripted([partial(3, "cut")]), b },
      tiers: { t: { models: ["a/m", { model: "b/rp", prefill: true }] } },
    });
    const { error, done } = streamed((await g.chat("t", { stream: true })).text);
    expect([error?.code, done]).toEqual(["stream_cut", false]);
    expect(b.seen()).toBe(1);
  });

  test("a stream that ends without a finish reason is a failure", async () => {
    const g = virtualGateway({ providers: { a: scripted([partial(3, "eof")]) }, tiers: { t: { models: ["a/m"] } } });
    const { error, done } = streamed((await g.chat("t", { stream: true })).text);
    expect([error?.code, done]).toEqual(["stream_cut", false]);
  });

  test("an error event mid-stream ends it with an in-band upstream_error", async () => {
    const a = scripted([{ stream: ["w1 ", { error: { message: "boom", type: "server_error" } }] }]);
    const g = virtualGateway({ providers: { a }, tiers: { t: { models: ["a/m"] } } });
    const { content, error, done } = streamed((await g.chat("t", { stream: true })).text);
    expect([content, error?.code, done]).toEqual(["w1 ", "upstream_error", false]);
  });

  test("a malformed event is dropped and counted; the answer is complete", async () => {
    const a = scripted([{ stream: ["w1 ", { raw: "data: {not json\n\n" }, "w2 "] }]);
    const g = virtualGateway({ providers: { a }, tiers: { t: { models: ["a/m"] } } });
    const answer = await g.chat("t", { stream: true });
    expect(answer.text).not.toContain("{not json");
    const { content, done } = streamed(answer.text);
    expect([content, done]).toEqual(["w1 w2 ", true]);
    expect(g.lines.some((l) => l.includes("dropped malformed stream events") && l.includes('"count":1'))).toBe(true);
  });

  test("a finished stream without [DONE] is ended by the gateway: at once on EOF, within the grace when held open", async () => {
    const g = virtualGateway({
      providers: { a: scripted([{ stream: ["w1 "], end: "noDone" }]) },
      tiers: { t: { models: ["a/m"] } },
    });
    const atEof = await g.chat("t", { stream: true });
    expect([streamed(atEof.text).done, atEof.elapsedMs]).toEqual([true, 0]);
    const held = virtualGateway({
      providers: { a: scripted([{ stream: ["w1 ", finishEvent], end: "hang" }]) },
      tiers: { t: { models: ["a/m"] } },
    });
    const answer = await held.chat("t", { stream: true });
    expect(streamed(answer.text).done).toBe(true);
    expect(answer.elapsedMs).toBe(150); // min(500 ms finish grace, idleMs)
  });

  test("the request deadline mid-stream ends it with deadline_exceeded", async () => {
    const a = scripted([{ stream: ["w1 ", "w2 ", "w3 "], gapsMs: [0, 100, 100] }]);
    const g = virtualGateway({ providers: { a }, tiers: { t: { models: ["a/m"], timeouts: { totalMs: 150 } } } });
    const answer = await g.chat("t", { stream: true });
    const { content, error, done } = streamed(answer.text);
    expect([content, error?.code, done]).toEqual(["w1 w2 ", "deadline_exceeded", false]);
    expect(answer.elapsedMs).toBe(150);
  });

  test("an event line past limits.maxSseLineBytes after the first content ends with upstream_error", async () => {
    const a = scripted([{ stream: ["w1 ", "x".repeat(4096)] }]);
    const g = virtualGateway({
      providers: { a },
      tiers: { t: { models: ["a/m"] } },
      limits: { maxSseLineBytes: 1024 },
    });
    const { content, error } = streamed((await g.chat("t", { stream: true })).text);
    expect([content, error?.code]).toEqual(["w1 ", "upstream_error"]);
  });

  test("the client's disconnect mid-stream cancels the upstream call", async () => {
    const a = scripted([{ stream: words, gapsMs: words.map(() => 20) }]);
    const g = virtualGateway({ providers: { a }, tiers: { t: { models: ["a/m"] } } });
    const controller = new AbortController();
    const response = await g.send("t", { stream: true, signal: controller.signal });
    const reader = response.body!.getReader();
    await g.clock.run(reader.read());
    await g.clock.run(reader.read());
    controller.abort();
    await reader.cancel();
    await g.clock.advance(1_000);
    expect(a.calls[0].ended).toBe("aborted");
    expect(g.clock.pending).toBe(0);
  });
});
