/**
 * Upstream answers the gateway must not trust: redirects (never followed), bodies larger than
 * `limits.maxUpstreamBodyBytes` once decompressed (huge, endless, a gzip bomb). Each is an upstream
 * fault that fails over with a reason naming it, the client gets the fallback's answer, and the
 * oversized body is cancelled rather than buffered. Real HTTP: openai client → gateway → mock upstream.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mockReply } from "../../bench/mock-upstream.ts";
import { callDirect } from "../../src/pipeline/direct-call.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

const LIMIT = 64 * 1024;
let h: Harness;
const msg = [{ role: "user" as const, content: "hello" }];

beforeAll(async () => {
  h = await startHarness({
    config: () => `
  timeouts: { connectMs: 2000, firstTokenMs: 5000, idleMs: 2000, totalMs: 15000 },
  retry: { backoff: { baseMs: 5, maxMs: 20 } },
  limits: { maxUpstreamBodyBytes: ${LIMIT} },
  tiers: {
    r307: { models: ["a/r307?fault=redirect&status=307", "b/fb-r307"] },
    r302: { models: ["a/r302?fault=redirect&status=302", "b/fb-r302"] },
    loop: { models: ["a/loop?fault=redirectLoop", "b/fb-loop"] },
    onlyRedirect: { models: ["a/only?fault=redirect&status=308"] },
    huge: { models: ["a/huge?fault=hugeBody&bytes=3000000", "b/fb-huge"] },
    declared: { models: ["a/declared?tokens=20000", "b/fb-declared"] },
    fits: { models: ["a/fits?fault=hugeBody&bytes=${LIMIT - 1024}"] },
    endless: { models: ["a/endless?fault=endlessBody", "b/fb-endless"] },
    bomb: { models: ["a/bomb?fault=gzipBomb&mib=16", "b/fb-bomb"] },
  },`,
  });
});
afterAll(() => h.stop());

async function complete(model: string, stream = false) {
  if (stream) {
    const response = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, messages: msg, stream: true }),
    });
    return { status: response.status, id: response.headers.get("x-request-id")!, text: await response.text() };
  }
  const { data, response } = await h.client.chat.completions.create({ model, messages: msg }).withResponse();
  return {
    status: response.status,
    id: response.headers.get("x-request-id")!,
    text: data.choices[0].message.content ?? "",
  };
}

async function failure(fn: () => Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { status?: number; message: string };
    return { status: err.status, message: err.message };
  }
  throw new Error("expected the request to fail");
}

describe("redirects are never followed", () => {
  test("a 307 to another URL fails over: the prompt is not re-posted there", async () => {
    const { text, id } = await complete("r307");
    expect(text).toBe(mockReply(8));
    expect(h.seen("__redirected:POST")).toBe(0);
    const [first] = (await loggedRequest(h, id)).attemptTrace;
    expect(first).toMatchObject({ outcome: "failover", status: 307 });
    expect(first.reason).toContain("307");
    expect(first.reason).toContain("redirects are not followed");
  });

  test("a 302 is not followed as a GET", async () => {
    expect((await complete("r302")).text).toBe(mockReply(8));
    expect(h.seen("__redirected:GET")).toBe(0);
  });

  test("a redirect loop costs one upstream request", async () => {
    expect((await complete("loop")).text).toBe(mockReply(8));
    expect(h.seen("loop?fault=redirectLoop")).toBe(1);
  });

  test("with no fallback the client gets a 502 that names the redirect", async () => {
    const error = await failure(() => complete("onlyRedirect"));
    expect(error.status).toBe(502);
    expect(error.message).toContain("308");
    expect(error.message).toContain("redirects are not followed");
  });
});

describe("a non-streamed upstream body is bounded by limits.maxUpstreamBodyBytes", () => {
  test("a body over the limit fails over as an upstream fault", async () => {
    const { text, id } = await complete("huge");
    expect(text).toBe(mockReply(8));
    const [first] = (await loggedRequest(h, id)).attemptTrace;
    expect(first).toMatchObject({ outcome: "failover", errorClass: "bad_response" });
    expect(first.reason).toContain("maxUpstreamBodyBytes");
  });

  test("a declared content-length over the limit is refused without reading the body", async () => {
    const { text, id } = await complete("declared");
    expect(text).toBe(mockReply(8));
    expect((await loggedRequest(h, id)).attemptTrace[0].reason).toContain("maxUpstreamBodyBytes");
  });

  test("a body under the limit is answered whole", async () => {
    expect((await complete("fits")).text).toBe("a".repeat(LIMIT - 1024));
  });

  test("an endless body is cut at the limit at once (not at the time budget) and its read cancelled", async () => {
    const before = h.mock.stats.aborted;
    const { text, id } = await complete("endless");
    expect(text).toBe(mockReply(8));
    // The limit cut it, not the first-token budget (5 s) that would otherwise end an endless body.
    expect((await loggedRequest(h, id)).attemptTrace[0].reason).toContain("maxUpstreamBodyBytes");
    for (let i = 0; i < 200 && h.mock.stats.aborted === before; i++) await Bun.sleep(5);
    expect(h.mock.stats.aborted).toBe(before + 1); // the mock saw the cancel: nothing keeps reading
  });

  test("a gzip bomb is counted in decompressed bytes", async () => {
    const { text, id } = await complete("bomb");
    expect(text).toBe(mockReply(8));
    expect((await loggedRequest(h, id)).attemptTrace[0].reason).toContain("maxUpstreamBodyBytes");
  });

  test("the bound also holds when a stream request is answered with a JSON body", async () => {
    const { text, id } = await complete("huge", true);
    expect(text).toContain(mockReply(8).split(" ")[0]);
    expect((await loggedRequest(h, id)).attemptTrace[0].reason).toContain("maxUpstreamBodyBytes");
  });
});

describe("direct calls (classifiers asking a model, the admin model test) go through the same attempt", () => {
  const direct = async (model: string) => {
    try {
      await callDirect(
        h.running.gateway.live.get(),
        h.running.gateway.pipeline.deps,
        { model, messages: msg },
        { timeoutMs: 5000, signal: new AbortController().signal },
      );
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("expected the direct call to fail");
  };

  test("a redirect is not followed", async () => {
    expect(await direct("a/direct?fault=redirect&status=307")).toContain("redirects are not followed");
    expect(h.seen("__redirected:POST")).toBe(0);
  });

  test("an oversized body is refused", async () => {
    expect(await direct("a/direct?fault=hugeBody&bytes=200000")).toContain("maxUpstreamBodyBytes");
  });
});
