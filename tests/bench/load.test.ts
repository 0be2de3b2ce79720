/**
 * bench/load.ts, run as the benchmarks run it (its own process), counts what it sends: every request
 * the mock saw is one in the result, outcomes are classified, stream text is checked.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { resolve } from "node:path";
import type { LoadResult, LoadSpec } from "../../bench/load.ts";
import { type MockUpstream, mockReply, startMockUpstream } from "../../bench/mock-upstream.ts";

const LOAD = resolve(import.meta.dir, "../../bench/load.ts");
let mock: MockUpstream;

beforeAll(() => {
  mock = startMockUpstream();
});
afterAll(async () => {
  await mock.stop();
});

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const proc = Bun.spawn([process.execPath, LOAD, JSON.stringify(spec)], { stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  clearTimeout(timer);
  expect(code).toBe(0);
  return JSON.parse(out.trim().split("\n").pop() ?? "") as LoadResult;
}

const body = (model: string, stream: boolean) =>
  JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] });

test("counts requests, outcomes and stream content exactly", async () => {
  mock.reset();
  const result = await runLoad({
    url: `${mock.url}/chat/completions`,
    headers: { "content-type": "application/json" },
    kinds: [
      { name: "json", body: body("json", false), stream: false, weight: 2 },
      { name: "stream", body: body("stream?tokens=5&chunkDelayMs=10", true), stream: true, expectText: mockReply(5) },
      { name: "429", body: body("limited?fault=status&status=429", false), stream: false },
      { name: "cut", body: body("cut?fault=cut&afterChunks=2&tokens=5&chunkDelayMs=10", true), stream: true },
    ],
    connections: 4,
    requests: 40,
    warmupRequests: 8,
  });
  const seen = (model: string) => mock.stats.requests[model] ?? 0;
  const total =
    seen("json") +
    seen("stream?tokens=5&chunkDelayMs=10") +
    seen("limited?fault=status&status=429") +
    seen("cut?fault=cut&afterChunks=2&tokens=5&chunkDelayMs=10");
  expect(total).toBe(48); // 40 measured + 8 warm-up
  expect(result.requests).toBe(40);
  expect(result.byKind.json?.requests).toBe(16); // weight 2 of 5
  expect(result.byKind.stream?.outcomes).toEqual({ ok: 8 });
  expect(result.byKind["429"]?.outcomes).toEqual({ http_429: 8 });
  // A cut stream ends in a read error or without [DONE]: never "ok".
  expect(result.byKind.cut?.outcomes.ok).toBeUndefined();
  expect(result.contentEvents).toBe(8 * 5 + 8 * 2);
  // Batching is timing-dependent (a busy machine delays reads): measured by the benchmarks, not asserted here.
  expect(result.latency.count).toBe(40);
});
