/**
 * Streams whose network reads carry nothing for the client: an event split across two reads, a byte drip,
 * keep-alive pings, a malformed event on its own, Anthropic's `content_block_stop` alone, a stall behind
 * keep-alives. For every provider protocol (OpenAI chat, Anthropic Messages, OpenAI Responses), through a
 * real gateway with the openai client, directly and behind a TCP proxy that splits every write in two.
 * Each stream must end: complete with the whole answer and [DONE], or with an in-band error, never frozen.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { contentChunks } from "../../bench/mock-upstream/wire.ts";
import { type MockUpstream, mockReply, startMockUpstream } from "../../bench/mock-upstream.ts";
import { type SplitProxy, startSplitProxy } from "../../bench/split-proxy.ts";
import { type Harness, ROOT, rawStream, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

let h: Harness;
let behindProxy: MockUpstream;
let proxy: SplitProxy;

/** Provider ids in the config: direct to the mock, and the same protocols behind the splitting proxy. */
const PROTOCOLS = ["oai", "claude", "resp"] as const;
const SHAPES: Record<string, string> = {
  split: "wire=split",
  drip: "wire=drip&dripBytes=9",
  events: "wire=events",
  pings: "wire=events&pings=2",
  malformed: "wire=events&fault=malformed&at=2",
};
const TOKENS = 6;
/** Faults after the first content, each ending in its own in-band error code. */
const TRUNCATIONS: Record<string, string> = {
  cut: "fault=cut&afterChunks=2",
  endNoFinish: "fault=endNoFinish&afterChunks=2",
  // asEvent is the OpenAI route's way to stream the error; the other routes always stream it.
  midError: "fault=errorBody&asEvent=1&afterChunks=2",
};
const TRUNCATION_CODES: Record<string, string> = {
  cut: "stream_cut",
  endNoFinish: "stream_cut",
  midError: "upstream_error",
};

function providers(mockUrl: string, proxyUrl: string): string {
  const of = (id: string, url: string) =>
    `${id}oai: openai({ baseURL: "${url}" }), ${id}claude: anthropic({ baseURL: "${url}", apiKey: "sk-ant-test" }), ${id}resp: openaiResponses({ baseURL: "${url}", apiKey: "sk-test" }),`;
  return of("", mockUrl) + of("p", proxyUrl);
}

function tiers(): string {
  const lines: string[] = [];
  for (const p of PROTOCOLS) {
    for (const [shape, params] of Object.entries(SHAPES))
      lines.push(`${p}_${shape}: { models: ["${p}/${shape}?tokens=${TOKENS}&chunkDelayMs=4&${params}"] },`);
    lines.push(`${p}_proxied: { models: ["p${p}/proxied?tokens=${TOKENS}&chunkDelayMs=4"] },`);
    // After the first content: the upstream only sends keep-alives; the idle budget must still fire.
    lines.push(`${p}_stallpings: { models: ["${p}/stallpings?fault=stall&afterChunks=2&holdPingMs=40&wire=events"] },`);
    // The Responses API has no prefill: every protocol is continued by an OpenAI chat target.
    lines.push(
      `${p}_stallcont: { models: ["${p}/stallc?fault=stall&afterChunks=2&holdPingMs=40&wire=split", { model: "oai/cont-${p}?tokens=${TOKENS}&wire=split", prefill: true }] },`,
    );
  }
  for (const p of PROTOCOLS) {
    for (const [fault, params] of Object.entries(TRUNCATIONS))
      lines.push(`${p}_${fault}: { models: ["${p}/${fault}?${params}&chunkDelayMs=4&wire=split"] },`);
    lines.push(
      `${p}_firsterror: { models: ["${p}/firsterr?fault=errorBody&asEvent=1&wire=split", "oai/fb-firsterr-${p}?tokens=${TOKENS}&wire=split"] },`,
    );
    lines.push(
      `${p}_slowpings: { models: ["${p}/slowp?fault=slowFirstToken&delayMs=3000&pings=3&wire=events", "oai/fb-slowp-${p}?tokens=${TOKENS}"] },`,
    );
  }
  lines.push(
    `longBefore: { models: ["oai/longb?fault=longLine&afterChunks=0&size=300000", "oai/fb-long?tokens=${TOKENS}"] },`,
  );
  lines.push(`longAfter: { models: ["oai/longa?fault=longLine&afterChunks=2&size=300000"] },`);
  return lines.join("\n    ");
}

beforeAll(async () => {
  behindProxy = startMockUpstream();
  proxy = await startSplitProxy({ upstreamPort: behindProxy.port, gapMs: 3 });
  h = await startHarness({
    imports: `import { anthropic, openaiResponses } from "${ROOT}/plugins/index.ts";`,
    providers: (url) => providers(url, proxy.url),
    config: () => `
  timeouts: { connectMs: 2000, firstTokenMs: 2000, idleMs: 400, totalMs: 10000 },
  limits: { maxSseLineBytes: 65536 },
  retry: { backoff: { baseMs: 5, maxMs: 20 } },
  tiers: {
    ${tiers()}
  },`,
  });
});
afterAll(async () => {
  await h.stop();
  await proxy.stop();
  await behindProxy.stop();
});

/** A streamed request, given up on (and reported as frozen) after 5 s. */
async function stream(model: string) {
  const signal = AbortSignal.timeout(5000);
  try {
    return await rawStream(h.url, { model, messages: [{ role: "user", content: "hello" }] }, {}, signal);
  } catch (error) {
    if (signal.aborted) throw new Error(`the ${model} stream froze: no end within 5 s`);
    throw error;
  }
}

/** The content of the chunks of a raw SSE body, and whether it ended with [DONE] or an error event. */
function read(text: string) {
  const events = text
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice(6));
  const done = events.at(-1) === "[DONE]";
  const chunks = events
    .filter((e) => e !== "[DONE]")
    .map(
      (e) =>
        JSON.parse(e) as { choices?: { delta?: { content?: string } }[]; error?: { code: string; message: string } },
    );
  return {
    content: chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join(""),
    done,
    error: chunks.find((c) => c.error)?.error,
  };
}

for (const p of PROTOCOLS) {
  describe(`${p}: every read shape completes the stream`, () => {
    for (const shape of Object.keys(SHAPES)) {
      test(`${shape}: the whole answer, then [DONE]`, async () => {
        const { status, text } = await stream(`${p}_${shape}`);
        expect(status).toBe(200);
        const got = read(text);
        expect(got.error).toBeUndefined();
        expect(got.content).toBe(mockReply(TOKENS));
        expect(got.done).toBe(true);
      });
    }

    test("behind a proxy that splits every write in two: the whole answer, then [DONE]", async () => {
      const before = proxy.splits();
      for (let i = 0; i < 3; i++) {
        const got = read((await stream(`${p}_proxied`)).text);
        expect(got).toEqual({ content: mockReply(TOKENS), done: true, error: undefined });
      }
      expect(proxy.splits()).toBeGreaterThan(before); // the proxy really did split the upstream's writes
    });

    test("a stall behind keep-alive pings ends with the in-band stall error at the idle budget, no [DONE]; the log blames the upstream", async () => {
      const { headers, text } = await stream(`${p}_stallpings`);
      const got = read(text);
      expect(got.content).toBe(contentChunks(TOKENS).slice(0, 2).join(""));
      expect(got.done).toBe(false);
      expect(got.error?.code).toBe("stream_stalled");
      const row = await loggedRequest(h, headers.get("x-request-id")!);
      expect(row.status).toBe(502);
      expect(row.attemptTrace).toMatchObject([
        { target: `${p}/stallpings?fault=stall&afterChunks=2&holdPingMs=40&wire=events`, outcome: "cut" },
      ]);
    });

    test("a stall behind pings, read in halves, is continued by a prefill target: the whole answer", async () => {
      const got = read((await stream(`${p}_stallcont`)).text);
      expect(got.error).toBeUndefined();
      expect(got.content).toBe(mockReply(TOKENS));
      expect(got.done).toBe(true);
    });
  });
}

for (const p of PROTOCOLS) {
  describe(`${p}: faults on streams read in halves`, () => {
    for (const fault of Object.keys(TRUNCATIONS)) {
      test(`${fault} after the first content: the in-band ${TRUNCATION_CODES[fault]} error, no [DONE]`, async () => {
        const got = read((await stream(`${p}_${fault}`)).text);
        const sent = contentChunks(TOKENS).slice(0, 2);
        if (fault === "cut") {
          // A reset may discard bytes the gateway's socket had not read yet (TCP drops unread data on RST):
          // the client gets what arrived, at least the first chunk, and never more than was sent.
          expect(got.content.startsWith(sent[0])).toBe(true);
          expect(sent.join("").startsWith(got.content)).toBe(true);
        } else expect(got.content).toBe(sent.join(""));
        expect(got.done).toBe(false);
        expect(got.error?.code).toBe(TRUNCATION_CODES[fault]);
      });
    }

    test("an error as the first event: retried once like a 503, then the fallback answers, invisibly", async () => {
      const { headers, text } = await stream(`${p}_firsterror`);
      expect(read(text)).toEqual({ content: mockReply(TOKENS), done: true, error: undefined });
      expect(headers.get("x-gateway-attempts")).toBe("3");
    });

    test("keep-alives before the first token do not count as one: the first-token budget fails over", async () => {
      const { headers, text } = await stream(`${p}_slowpings`);
      expect(read(text)).toEqual({ content: mockReply(TOKENS), done: true, error: undefined });
      expect(headers.get("x-gateway-model")).toBe(`oai/fb-slowp-${p}?tokens=${TOKENS}`);
    });
  });
}

describe("an event stream line longer than limits.maxSseLineBytes", () => {
  test("before the first content: the attempt fails as an upstream fault and the fallback answers, invisibly", async () => {
    const { headers, text } = await stream("longBefore");
    expect(read(text)).toEqual({ content: mockReply(TOKENS), done: true, error: undefined });
    expect(headers.get("x-gateway-model")).toBe(`oai/fb-long?tokens=${TOKENS}`);
    const row = await loggedRequest(h, headers.get("x-request-id")!);
    expect(row.attemptTrace).toMatchObject([{ errorClass: "bad_response" }, { outcome: "accepted" }]);
  });

  test("after the first content: the stream ends with an in-band error naming the limit, no [DONE]", async () => {
    const got = read((await stream("longAfter")).text);
    expect(got.content).toBe(contentChunks(TOKENS).slice(0, 2).join(""));
    expect(got.done).toBe(false);
    expect(got.error?.message).toContain("limits.maxSseLineBytes");
  });
});
