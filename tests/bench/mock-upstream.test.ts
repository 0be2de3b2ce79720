import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseBehaviour } from "../../bench/mock-upstream/params.ts";
import { shapeSteps, wireShape } from "../../bench/mock-upstream/wire-shape.ts";
import { type MockUpstream, mockReply, startMockUpstream } from "../../bench/mock-upstream.ts";

let up: MockUpstream;
beforeAll(() => {
  up = startMockUpstream();
});
afterAll(async () => {
  await up.stop();
});

interface ChatOptions {
  stream?: boolean;
  includeUsage?: boolean;
  messages?: { role: string; content: string }[];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  base?: string;
}

function chat(model: string, o: ChatOptions = {}): Promise<Response> {
  const body: Record<string, unknown> = { model, messages: o.messages ?? [{ role: "user", content: "Hello there!" }] };
  if (o.stream) body.stream = true;
  if (o.includeUsage) body.stream_options = { include_usage: true };
  return fetch(`${o.base ?? up.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...o.headers },
    body: JSON.stringify(body),
    signal: o.signal ?? null,
  });
}

interface Read {
  at: number;
  text: string;
}

/** Every raw read of the body with its arrival time; stops at the end or on a read error. */
async function readAll(res: Response): Promise<{ reads: Read[]; error?: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const reads: Read[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { reads };
      reads.push({ at: performance.now(), text: decoder.decode(value, { stream: true }) });
    }
  } catch (error) {
    return { reads, error };
  }
}

/** `data:` payloads of an SSE text, JSON-parsed when possible (else the raw string). */
function events(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((e) => e !== "")
    .map((e) => {
      expect(e.startsWith("data: ")).toBe(true);
      const data = e.slice(6);
      try {
        return JSON.parse(data);
      } catch {
        return data;
      }
    });
}

async function streamEvents(res: Response): Promise<unknown[]> {
  return events(await res.text());
}

/** Content deltas of parsed stream events. */
function contents(evs: unknown[]): string[] {
  const out: string[] = [];
  for (const e of evs) {
    const c = (e as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content;
    if (typeof c === "string" && c !== "") out.push(c);
  }
  return out;
}

/** Reads until `count` content chunks have arrived; returns the reader to keep going. */
async function readContents(res: Response, count: number) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (contents(events(text.slice(0, text.lastIndexOf("\n\n") + 2))).length < count) {
    const { done, value } = await reader.read();
    if (done) throw new Error("stream ended early");
    text += decoder.decode(value, { stream: true });
  }
  return { reader, text };
}

/** Resolves "pending" if `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([p, Bun.sleep(ms).then(() => "pending" as const)]);
}

async function waitFor(cond: () => boolean, ms = 1000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(2);
  }
}

const roleChunk = (model: string) => ({
  id: expect.stringMatching(/^chatcmpl-mock-\d+$/),
  object: "chat.completion.chunk",
  created: expect.any(Number),
  model,
  choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
});
const finishChunk = (model: string) => ({
  id: expect.any(String),
  object: "chat.completion.chunk",
  created: expect.any(Number),
  model,
  choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
});

describe("normal answers", () => {
  test("mockReply gives the canonical text", () => {
    expect(mockReply(3)).toBe("w1 w2 w3");
    expect(mockReply()).toBe("w1 w2 w3 w4 w5 w6 w7 w8");
    expect(mockReply(5, "hello big world")).toBe("hello big world");
  });

  test("non-stream shape", async () => {
    const res = await chat("good", {
      messages: [
        { role: "system", content: "abc" },
        { role: "user", content: "hello" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await res.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-mock-\d+$/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "good",
      choices: [
        { index: 0, message: { role: "assistant", content: mockReply() }, finish_reason: "stop", logprobs: null },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 8, total_tokens: 10 },
    });
    expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(5);
  });

  test("model params: name only is echoed, tokens and text", async () => {
    const a = await (await chat("m1?tokens=3")).json();
    expect(a.model).toBe("m1");
    expect(a.choices[0].message.content).toBe("w1 w2 w3");
    const b = await (await chat("m1?text=hello%20big%20world&tokens=99")).json();
    expect(b.choices[0].message.content).toBe("hello big world");
    expect(b.usage.completion_tokens).toBe(3);
  });

  test("stream shape", async () => {
    const res = await chat("s1?tokens=3", { stream: true });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const evs = await streamEvents(res);
    const chunk = (content: string) => ({
      ...finishChunk("s1"),
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    });
    expect(evs).toEqual([roleChunk("s1"), chunk("w1 "), chunk("w2 "), chunk("w3"), finishChunk("s1"), "[DONE]"]);
    const ids = new Set(evs.slice(0, -1).map((e) => (e as { id: string }).id));
    expect(ids.size).toBe(1);
  });

  test("stream with include_usage", async () => {
    const evs = await streamEvents(await chat("u1?tokens=2", { stream: true, includeUsage: true }));
    expect(evs.at(-2)).toEqual({
      id: expect.any(String),
      object: "chat.completion.chunk",
      created: expect.any(Number),
      model: "u1",
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    expect(evs.at(-3)).toEqual(finishChunk("u1"));
    expect(evs.at(-1)).toBe("[DONE]");
  });

  test("stream events are flushed one by one with chunkDelayMs", async () => {
    const res = await chat("d1?tokens=4&chunkDelayMs=20", { stream: true });
    const { reads } = await readAll(res);
    const contentReads = reads.filter((r) => r.text.includes('"content":"w'));
    expect(contentReads.length).toBe(4);
    // The last one also carries the finish chunk and [DONE], which follow with no delay.
    for (const r of contentReads) expect(contents(events(r.text)).length).toBe(1);
    for (let i = 1; i < contentReads.length; i++) {
      expect(contentReads[i]!.at - contentReads[i - 1]!.at).toBeGreaterThan(12);
    }
  });

  test("tps sets the delay between chunks", async () => {
    const start = performance.now();
    const { reads } = await readAll(await chat("t1?tokens=3&tps=50", { stream: true }));
    expect(reads.at(-1)!.at - start).toBeGreaterThan(50); // 3 chunks x 20 ms
  });

  test("latencyMs delays the response headers", async () => {
    const start = performance.now();
    const res = await chat("l1?latencyMs=40");
    expect(performance.now() - start).toBeGreaterThan(35);
    expect(res.status).toBe(200);
  });
});

describe("faults", () => {
  test("status with Retry-After headers", async () => {
    const res = await chat("bad?fault=status&status=503&retryAfter=2&retryAfterMs=1500");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(res.headers.get("retry-after-ms")).toBe("1500");
    const body = await res.json();
    expect(body).toEqual({ error: { message: expect.any(String), type: "server_error", code: null, param: null } });

    const limited = await chat("bad?fault=status&status=429");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeNull();
    expect((await limited.json()).error.code).toBe("rate_limit_exceeded");
  });

  test("reset makes fetch reject with a connection error", async () => {
    const err = await chat("r?fault=reset").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe("ECONNRESET");
    const stream = await chat("r?fault=reset", { stream: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(stream).toBeInstanceOf(Error);
    expect((await chat("after-reset")).status).toBe(200); // the server is fine
  });

  test("hang never answers and is cleaned up when the client aborts", async () => {
    const aborted = up.stats.aborted;
    const err = await chat("h?fault=hang", { signal: AbortSignal.timeout(50) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe("TimeoutError");
    await waitFor(() => up.stats.aborted === aborted + 1 && up.stats.open === 0);
  });

  test("cut errors the body after afterChunks content chunks", async () => {
    const cases = [
      ["c?fault=cut&afterChunks=2", ["w1 ", "w2 "]],
      ["c?fault=cut&chunkDelayMs=5", ["w1 ", "w2 ", "w3 "]],
    ] as const;
    for (const [model, expected] of cases) {
      const res = await chat(model, { stream: true });
      expect(res.status).toBe(200);
      const { reads, error } = await readAll(res);
      expect((error as { code?: string }).code).toBe("ECONNRESET");
      const evs = events(reads.map((r) => r.text).join(""));
      expect(contents(evs)).toEqual([...expected]);
      expect(evs).not.toContainEqual(finishChunk("c"));
      expect(evs).not.toContain("[DONE]");
    }
    await waitFor(() => up.stats.open === 0);
  });

  test("stall keeps the connection open after afterChunks chunks", async () => {
    const ac = new AbortController();
    const res = await chat("st?fault=stall&afterChunks=2", { stream: true, signal: ac.signal });
    const { reader, text } = await readContents(res, 2);
    expect(contents(events(text))).toEqual(["w1 ", "w2 "]);
    const next = reader.read();
    expect(await within(next, 60)).toBe("pending");
    expect(up.stats.open).toBeGreaterThan(0);
    const aborted = up.stats.aborted;
    ac.abort();
    await next.catch(() => undefined);
    await waitFor(() => up.stats.aborted === aborted + 1 && up.stats.open === 0);
  });

  test("endNoFinish ends cleanly with no finish_reason nor [DONE]", async () => {
    const { reads, error } = await readAll(await chat("e?fault=endNoFinish&afterChunks=3", { stream: true }));
    expect(error).toBeUndefined();
    const evs = events(reads.map((r) => r.text).join(""));
    expect(evs).toEqual([roleChunk("e"), expect.anything(), expect.anything(), expect.anything()]);
    expect(contents(evs)).toEqual(["w1 ", "w2 ", "w3 "]);
  });

  test("malformed adds a garbage event at chunk `at`", async () => {
    const text = await (await chat("mal?fault=malformed&tokens=3&at=2", { stream: true })).text();
    expect(text).toContain("data: {not json\n\n");
    const evs = events(text);
    expect(evs[2]).toBe("{not json");
    expect(contents(evs)).toEqual(["w1 ", "w2 ", "w3"]);
    expect(evs.at(-1)).toBe("[DONE]");
  });

  test("wire shapes: split cuts every event in two writes, drip into dripBytes pieces, events one per write, all gapMs apart", () => {
    const steps = [
      { delayMs: 0, data: 'data: {"a":1}\n\n' },
      { delayMs: 0, data: "data: [DONE]\n\n" },
    ];
    const shape = (params: string) => shapeSteps(steps, wireShape(parseBehaviour(`m?${params}`, null)));
    const split = shape("wire=split&gapMs=3");
    expect(split.map((s) => s.data).join("")).toBe(steps.map((s) => s.data).join(""));
    expect(split).toHaveLength(4);
    expect(split.slice(1).every((s) => s.delayMs === 3)).toBe(true);
    const drip = shape("wire=drip&dripBytes=4");
    expect(drip.every((s) => s.data.length <= 4)).toBe(true);
    expect(drip.map((s) => s.data).join("")).toBe(steps.map((s) => s.data).join(""));
    expect(shape("wire=events").map((s) => s.delayMs)).toEqual([0, 2]);
    expect(shape("")).toBe(steps); // no wire= param: the mock's normal writes
  });

  test("wire=split and wire=drip over HTTP: more reads than events, the same events", async () => {
    for (const params of ["wire=split", "wire=drip&dripBytes=16"]) {
      const { reads } = await readAll(await chat(`sh?tokens=3&${params}`, { stream: true }));
      const whole = reads.map((r) => r.text).join("");
      expect(contents(events(whole))).toEqual(["w1 ", "w2 ", "w3"]);
      expect(reads.length).toBeGreaterThan(events(whole).length);
    }
  });

  test("pings=N adds N keep-alive comments after each content delta; holdPingMs pings during a stall", async () => {
    const text = await (await chat("pg?tokens=2&pings=2", { stream: true })).text();
    expect(text.split(": ping\n\n").length - 1).toBe(4);
    expect(contents(events(text.replaceAll(": ping\n\n", "")))).toEqual(["w1 ", "w2"]);
    const controller = new AbortController();
    const res = await chat("sp2?fault=stall&afterChunks=1&holdPingMs=10", { stream: true, signal: controller.signal });
    const reader = res.body!.getReader();
    let seen = "";
    while (seen.split(": ping").length - 1 < 3) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(contents(events(seen.replaceAll(": ping\n\n", "")))).toEqual(["w1 "]);
  });

  test("longLine sends an event line that never ends, after afterChunks deltas", async () => {
    const controller = new AbortController();
    const res = await chat("ll?fault=longLine&afterChunks=1&size=200000", { stream: true, signal: controller.signal });
    const reader = res.body!.getReader();
    let seen = "";
    while (seen.length < 200000) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const tail = seen.slice(seen.lastIndexOf("\n\n") + 2);
    expect(tail.startsWith("data: ")).toBe(true);
    expect(tail).not.toContain("\n");
  });

  test("noDone sends finish and usage, then holds the connection without [DONE]", async () => {
    const ac = new AbortController();
    const res = await chat("nd?fault=noDone&tokens=2", { stream: true, includeUsage: true, signal: ac.signal });
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes('"usage"')) text += new TextDecoder().decode((await reader.read()).value);
    const evs = events(text);
    expect(evs).toContainEqual(finishChunk("nd"));
    expect(text).not.toContain("[DONE]");
    const next = reader.read();
    expect(await within(next, 60)).toBe("pending");
    ac.abort();
    await next.catch(() => undefined);
    await waitFor(() => up.stats.open === 0);
  });

  test("errorBody: HTTP 200 JSON error, even for a stream", async () => {
    for (const stream of [false, true]) {
      const res = await chat("eb?fault=errorBody", { stream });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({
        error: {
          message: "The server is overloaded, please try again later",
          type: "server_error",
          code: "overloaded",
          param: null,
        },
      });
    }
  });

  test("errorBody asEvent: an SSE error event then [DONE]", async () => {
    const res = await chat("eb?fault=errorBody&asEvent=1&message=busy", { stream: true });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(await streamEvents(res)).toEqual([
      { error: { message: "busy", type: "server_error", code: "overloaded", param: null } },
      "[DONE]",
    ]);
  });

  test("keywordText: an error in disguise", async () => {
    const body = await (await chat("kw?fault=keywordText")).json();
    expect(body.choices[0].message.content).toBe("Upstream overloaded, rate limit reached");
    const evs = await streamEvents(await chat("kw?fault=keywordText&message=quota%20exceeded", { stream: true }));
    expect(contents(evs).join("")).toBe("quota exceeded");
  });

  test('empty: content "" with finish_reason stop', async () => {
    const body = await (await chat("em?fault=empty")).json();
    expect(body.choices[0]).toEqual({
      index: 0,
      message: { role: "assistant", content: "" },
      finish_reason: "stop",
      logprobs: null,
    });
    expect(body.usage.completion_tokens).toBe(0);
    expect(await streamEvents(await chat("em?fault=empty", { stream: true }))).toEqual([
      roleChunk("em"),
      finishChunk("em"),
      "[DONE]",
    ]);
  });

  test("contextLength and contentPolicy: 400 invalid_request_error", async () => {
    const ctx = await chat("cl?fault=contextLength");
    expect(ctx.status).toBe(400);
    expect(await ctx.json()).toEqual({
      error: {
        message: expect.stringContaining("maximum context length is 8192 tokens"),
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "messages",
      },
    });
    const cp = await chat("cp?fault=contentPolicy", { stream: true });
    expect(cp.status).toBe(400);
    expect(await cp.json()).toEqual({
      error: {
        message: expect.stringContaining("violates our content policy"),
        type: "invalid_request_error",
        code: "content_policy_violation",
        param: null,
      },
    });
  });

  test("rejectPrefill rejects a trailing assistant message only", async () => {
    const prefill = [
      { role: "user", content: "hi" },
      { role: "assistant", content: "w1 " },
    ];
    const rejected = await chat("rp?fault=rejectPrefill", { messages: prefill });
    expect(rejected.status).toBe(400);
    const err = (await rejected.json()).error;
    expect(err.type).toBe("invalid_request_error");
    expect(err.message).toBe("assistant prefill is not supported");
    const ok = await chat("rp?fault=rejectPrefill&tokens=2");
    expect((await ok.json()).choices[0].message.content).toBe("w1 w2");
  });

  test("flap: down for downMs after the first request (injected clock)", async () => {
    let clock = 1_000_000;
    const flappy = startMockUpstream({ now: () => clock });
    try {
      const first = await chat("f?fault=flap&downMs=1000", { base: flappy.url });
      expect(first.status).toBe(503);
      expect(first.headers.get("retry-after")).toBeNull();
      clock += 999;
      expect((await chat("f?fault=flap&downMs=1000", { base: flappy.url })).status).toBe(503);
      clock += 1;
      expect((await chat("f?fault=flap&downMs=1000", { base: flappy.url })).status).toBe(200);
      flappy.reset(); // forgets the first request time
      expect((await chat("f?fault=flap&downMs=1000", { base: flappy.url })).status).toBe(503);
    } finally {
      await flappy.stop();
    }
  });

  test("failTimes: the fault applies to the first N requests only", async () => {
    const model = "ft?fault=status&status=500&failTimes=2";
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(model)).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
  });

  test("slowFirstToken: role chunk at once, content after delayMs", async () => {
    const start = performance.now();
    const res = await chat("sf?fault=slowFirstToken&delayMs=60&tokens=2", { stream: true });
    const { reads } = await readAll(res);
    expect(reads[0]!.at - start).toBeLessThan(40);
    expect(events(reads[0]!.text)[0]).toEqual(roleChunk("sf"));
    const firstContent = reads.find((r) => r.text.includes('"content":"w1 "'))!;
    expect(firstContent.at - start).toBeGreaterThan(50);

    const t = performance.now();
    const plain = await chat("sf?fault=slowFirstToken&delayMs=40");
    expect(performance.now() - t).toBeGreaterThan(35);
    expect((await plain.json()).choices[0].message.content).toBe(mockReply());
  });

  test("unknown fault is a 400", async () => {
    const res = await chat("x?fault=nope");
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("mock_unknown_fault");
  });
});

describe("body faults (mock-upstream/body-faults.ts)", () => {
  test("hugeBody: a valid completion of `bytes` bytes of content", async () => {
    const res = await chat("x?fault=hugeBody&bytes=300000");
    const body = await res.json();
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.content).toBe("a".repeat(300_000));
  });

  test("endlessBody: never ends; a cancel is counted as the client giving up", async () => {
    up.reset();
    const res = await chat("x?fault=endlessBody");
    const reader = res.body!.getReader();
    let bytes = 0;
    while (bytes < 1024 * 1024) bytes += (await reader.read()).value!.length;
    await reader.cancel();
    await waitFor(() => up.stats.aborted === 1);
  });

  test("gzipBomb: small on the wire, `mib` MiB once inflated", async () => {
    const raw = await fetch(`${up.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "x?fault=gzipBomb&mib=4", messages: [] }),
      decompress: false,
    } as RequestInit);
    expect(raw.headers.get("content-encoding")).toBe("gzip");
    const wire = (await raw.arrayBuffer()).byteLength;
    expect(wire).toBeLessThan(64 * 1024);
    const inflated = Bun.gunzipSync(
      new Uint8Array(
        await (
          await fetch(`${up.url}/chat/completions`, {
            method: "POST",
            body: JSON.stringify({ model: "x?fault=gzipBomb&mib=4", messages: [] }),
            decompress: false,
          } as RequestInit)
        ).arrayBuffer(),
      ),
    );
    expect(inflated.length).toBe(4 * 1024 * 1024);
    expect(new TextDecoder().decode(inflated.subarray(0, 40))).toStartWith('{"id":');
  });

  test("redirect: a 307 (or `status`) to the mock's redirect target, which records who followed", async () => {
    up.reset();
    const res = await chat("x?fault=redirect", { headers: {} });
    // fetch follows by default: the 307 re-POSTs the body to the target, which answers
    expect((await res.json()).choices[0].message.content).toBe("answered by the redirect target");
    expect(up.stats.requests["__redirected:POST"]).toBe(1);
    const manual = await fetch(`${up.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "x?fault=redirect&status=302", messages: [] }),
      redirect: "manual",
    });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toEndWith("/__redirected/v1/chat/completions");
    await chat("x?fault=redirect&status=302");
    expect(up.stats.requests["__redirected:GET"]).toBe(1); // a 302 is followed as a GET
  });

  test("redirectLoop: a 307 back to the same URL", async () => {
    const res = await fetch(`${up.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "x?fault=redirectLoop", messages: [] }),
      redirect: "manual",
    });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe(`${up.url}/chat/completions`);
  });

  test("longAnswer: a long rate limiter essay, streamed `words` words per event", async () => {
    const plain = (await (await chat("x?fault=longAnswer")).json()).choices[0].message.content as string;
    expect(plain.length).toBeGreaterThan(1500);
    expect(plain).toStartWith("# Designing a distributed rate limiter");
    const chunks = contents(await streamEvents(await chat("x?fault=longAnswer&words=6", { stream: true })));
    expect(chunks.join("")).toBe(plain);
    expect(chunks[0]).toBe("# Designing a distributed rate limiter\n\nA ");
  });
});

describe("prefill continuation", () => {
  const ask = (content: string) => [
    { role: "user", content: "go" },
    { role: "assistant", content },
  ];

  test("non-stream: only the rest of the canonical text", async () => {
    const body = await (await chat("p?tokens=4", { messages: ask("w1 w2 ") })).json();
    expect(body.choices[0].message.content).toBe("w3 w4");
    expect(body.usage.completion_tokens).toBe(2);
  });

  test("stream: the chunks after those covered, mid-chunk prefill trimmed", async () => {
    const evs = await streamEvents(await chat("p?tokens=4", { stream: true, messages: ask("w1 w") }));
    expect(contents(evs)).toEqual(["2 ", "w3 ", "w4"]);
    expect(`w1 w${contents(evs).join("")}`).toBe(mockReply(4));
  });

  test("not a prefix: normal answer; whole text: empty answer", async () => {
    const other = await (await chat("p?tokens=2", { messages: ask("something else") })).json();
    expect(other.choices[0].message.content).toBe("w1 w2");
    const all = await (await chat("p?tokens=2", { messages: ask("w1 w2") })).json();
    expect(all.choices[0].message.content).toBe("");
  });

  test("applies to faults that end up normal", async () => {
    const body = await (await chat("p?fault=status&failTimes=0&tokens=3", { messages: ask("w1 ") })).json();
    expect(body.choices[0].message.content).toBe("w2 w3");
  });
});

describe("stats, routes and overrides", () => {
  test("stats count requests and keep bodies; reset clears them", async () => {
    const own = startMockUpstream();
    try {
      await chat("a?tokens=1", { base: own.url });
      await chat("a?tokens=1", { base: own.url });
      await chat("b", { base: own.url, stream: true }).then((r) => r.text());
      expect(own.stats.requests).toEqual({ "a?tokens=1": 2, b: 1 });
      expect(own.stats.bodies.b).toEqual([
        { model: "b", messages: [{ role: "user", content: "Hello there!" }], stream: true },
      ]);
      for (let i = 0; i < 25; i++) await chat("a?tokens=1", { base: own.url });
      expect(own.stats.bodies["a?tokens=1"]!.length).toBe(20);
      await waitFor(() => own.stats.open === 0);

      const remote = await (await fetch(`http://127.0.0.1:${own.port}/__stats`)).json();
      expect(remote).toEqual({ requests: { "a?tokens=1": 27, b: 1 }, bodies: expect.any(Object), open: 0, aborted: 0 });

      expect((await fetch(`http://127.0.0.1:${own.port}/__reset`, { method: "POST" })).status).toBe(200);
      expect(own.stats.requests).toEqual({});
      await chat("a?tokens=1", { base: own.url });
      own.reset();
      expect(own.stats).toEqual({ requests: {}, bodies: {}, open: 0, aborted: 0 });
    } finally {
      await own.stop();
    }
  });

  test("x-mock header overrides and adds params", async () => {
    const res = await chat("hdr?tokens=5", { headers: { "x-mock": "tokens=2" } });
    expect((await res.json()).choices[0].message.content).toBe("w1 w2");
    const failing = await chat("hdr?tokens=5", { headers: { "x-mock": "fault=status&status=502" } });
    expect(failing.status).toBe(502);
    expect(up.stats.requests["hdr?tokens=5"]).toBe(2);
  });

  test("unknown routes are OpenAI-shaped 404s", async () => {
    const base = `http://127.0.0.1:${up.port}`;
    // (GET /v1/models is a route: it lists the mock's models, for the admin's "test connection".)
    for (const res of [await fetch(`${base}/v1/nothing-here`), await fetch(`${base}/v1/chat/completions`)]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: { message: expect.any(String), type: "invalid_request_error", code: "unknown_url", param: null },
      });
    }
  });

  test("invalid JSON body is a 400", async () => {
    const res = await fetch(`${up.url}/chat/completions`, { method: "POST", body: "{nope" });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({
      message: expect.any(String),
      type: "invalid_request_error",
      code: null,
      param: null,
    });
  });

  test("url points at /v1", () => {
    expect(up.url).toBe(`http://127.0.0.1:${up.port}/v1`);
  });
});
