/**
 * The bare proxy is the benchmarks' baseline: it must forward faithfully (or the gateway would be
 * compared against something that does less), including streams at their original pace.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type BareProxy, startBareProxy } from "../../bench/bare-proxy.ts";
import { type MockUpstream, mockReply, startMockUpstream } from "../../bench/mock-upstream.ts";

let mock: MockUpstream;
let proxy: BareProxy;
let jsProxy: BareProxy;

beforeAll(() => {
  mock = startMockUpstream();
  proxy = startBareProxy({ upstream: mock.url });
  jsProxy = startBareProxy({ upstream: mock.url, relay: "js" });
});
afterAll(async () => {
  await proxy.stop();
  await jsProxy.stop();
  await mock.stop();
});

function chat(base: string, model: string, stream: boolean): Promise<Response> {
  return fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] }),
  });
}

/** The `data:` payloads of an SSE body with the volatile fields (id, created) removed. */
function events(text: string): string[] {
  return text
    .split("\n\n")
    .filter((e) => e !== "")
    .map((e) => e.replace(/"id":"[^"]*"/, "").replace(/"created":\d+/, ""));
}

describe("bare proxy", () => {
  test("forwards a non-stream completion unchanged", async () => {
    const response = await chat(`${proxy.url}/v1`, "m?tokens=5", false);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-encoding")).toBeNull();
    const body = (await response.json()) as { choices: { message: { content: string } }[]; model: string };
    expect(body.choices[0]?.message.content).toBe(mockReply(5));
    expect(body.model).toBe("m");
  });

  test.each(["native", "js"])(
    "forwards a stream event for event, as the upstream sent it (%s relay)",
    async (relay) => {
      const direct = await (await chat(mock.url, "m?tokens=6", true)).text();
      const response = await chat(`${(relay === "js" ? jsProxy : proxy).url}/v1`, "m?tokens=6", true);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      expect(events(await response.text())).toEqual(events(direct));
    },
  );

  test.each(["native", "js"])(
    "keeps the upstream's pace (%s relay): chunks produced apart arrive apart",
    async (relay) => {
      const response = await chat(`${(relay === "js" ? jsProxy : proxy).url}/v1`, "m?tokens=4&chunkDelayMs=50", true);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const contentReads: number[] = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        const contents = text.match(/"content":"[^"]+"/g)?.length ?? 0;
        if (contents > 0) contentReads.push(contents);
      }
      // Four content chunks, 50 ms apart: four reads of one content chunk each.
      expect(contentReads).toEqual([1, 1, 1, 1]);
    },
  );

  test("passes upstream errors through with their status and headers", async () => {
    const response = await chat(`${proxy.url}/v1`, "m?fault=status&status=429&retryAfter=7", false);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("rate_limit_exceeded");
  });

  test("answers 404 off the one route", async () => {
    const response = await fetch(`${proxy.url}/v1/models`);
    expect(response.status).toBe(404);
  });
});
