/** Every request through a real gateway lands in the SQLite log, with what the log promises. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mockReply } from "../../bench/mock-upstream.ts";
import { logTailResponse } from "../../src/http/log-tail.ts";
import { getLog, listLogs } from "../../src/store/queries/logs.ts";
import { collectStream, type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
const KEY = "sk-log-test";

beforeAll(async () => {
  h = await startHarness({
    apiKey: KEY,
    config: () => `
  auth: { apiKeys: ["${KEY}"] },
  tiers: {
    t1: { models: ["a/good?tokens=4"] },
    flaky: { models: ["a/bad?fault=status&status=503", "b/fb"] },
    dead: { models: ["a/dead?fault=status&status=500"] },
  },
  pricing: { "a/good?tokens=4": { input: 2, output: 4 } },`,
  });
});
afterAll(() => h.stop());

const store = () => h.running.gateway.store!;
const writer = () => h.running.gateway.writer!;
async function settled() {
  for (let i = 0; i < 200 && writer().stats.queued > 0; i++) await Bun.sleep(5);
}

test("a non-stream request: route, key, client, tokens, cost and bodies", async () => {
  const { response } = await h.client.chat.completions
    .create({ model: "auto", messages: [{ role: "user", content: "log me" }] })
    .withResponse();
  await settled();
  const detail = getLog(store(), response.headers.get("x-request-id")!)!;
  expect(detail).toMatchObject({
    requestedModel: "auto",
    tier: "t1",
    model: "a/good?tokens=4",
    status: 200,
    attempts: 1,
    stream: false,
    tokenSource: "upstream",
    completionTokens: 4,
    promptPreview: "log me",
    clientIp: "127.0.0.1",
  });
  expect(detail.apiKeyId).toMatch(/^cfg_[0-9a-f]{8}$/);
  expect(detail.costUsd).toBeCloseTo((detail.promptTokens! * 2 + 4 * 4) / 1e6, 12);
  expect((detail.responseBody as { choices: { message: { content: string } }[] }).choices[0].message.content).toBe(
    mockReply(4),
  );
  expect(JSON.stringify(detail)).not.toContain(KEY);
});

test("a streamed answer is logged reassembled into one message", async () => {
  const stream = await h.client.chat.completions
    .create({ model: "t1", messages: [{ role: "user", content: "stream me" }], stream: true })
    .withResponse();
  await collectStream(stream.data);
  await settled();
  const detail = getLog(store(), stream.response.headers.get("x-request-id")!)!;
  expect(detail.stream).toBe(true);
  expect(detail.ttftMs).toBeGreaterThanOrEqual(0);
  const body = detail.responseBody as {
    choices: { message: { content: string }; finish_reason: string }[];
    usage: { completion_tokens: number };
  };
  expect(body.choices[0].message.content).toBe(mockReply(4));
  expect(body.choices[0].finish_reason).toBe("stop");
  expect(detail.completionTokens).toBe(4);
});

test("failover and failure are logged with their attempt trace", async () => {
  const ok = await h.client.chat.completions
    .create({ model: "flaky", messages: [{ role: "user", content: "x" }] })
    .withResponse();
  try {
    await h.client.chat.completions.create({ model: "dead", messages: [{ role: "user", content: "x" }] });
  } catch {
    // expected 502
  }
  await settled();
  const failover = getLog(store(), ok.response.headers.get("x-request-id")!)!;
  expect(failover.attempts).toBe(3);
  expect((failover.attemptTrace as { outcome: string }[]).map((a) => a.outcome)).toEqual([
    "retry",
    "failover",
    "accepted",
  ]);
  const dead = listLogs(store(), { tier: "dead" }).items[0];
  expect(dead).toMatchObject({ status: 502, errorClass: "upstream_error", model: null, failedOver: false });
  // The row says where it failed and why; the last attempt did not "fail over": there was nothing next.
  expect(dead.lastFailure).toMatchObject({ target: "a/dead?fault=status&status=500", status: 500 });
  const trace = getLog(store(), dead.id)!.attemptTrace;
  expect(trace.map((a) => a.outcome)).toEqual(["retry", "fail"]);
  expect(trace[1].reason).toEndWith("; no other target to fail over to");
  // The rescued request: failed over, and what it was rescued from.
  const rescued = listLogs(store(), { tier: "flaky", status: "ok" }).items[0];
  expect(rescued).toMatchObject({ failedOver: true, model: "b/fb" });
  expect(rescued.lastFailure).toMatchObject({ target: "a/bad?fault=status&status=503", status: 503 });
});

test("every request of a 10,000-request burst is in the database", async () => {
  const before = (store().sqlite.query("SELECT count(*) AS n FROM requests").get() as { n: number }).n;
  const body = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "burst" }] });
  let sent = 0;
  const ids = new Set<string>();
  const worker = async () => {
    while (sent < 10_000) {
      sent += 1;
      const response = await fetch(`${h.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body,
      });
      await response.arrayBuffer();
      ids.add(response.headers.get("x-request-id")!);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  await settled();
  const after = (store().sqlite.query("SELECT count(*) AS n FROM requests").get() as { n: number }).n;
  expect(ids.size).toBe(10_000);
  expect(after - before).toBe(10_000);
  expect(writer().stats.rowsDropped).toBe(0);
}, 60_000);

test("the live tail pushes new rows as they are written", async () => {
  const controller = new AbortController();
  const response = logTailResponse(writer(), { tier: "t1" }, controller.signal);
  const reader = response.body!.getReader();
  await reader.read(); // ": connected"
  const { response: sent } = await h.client.chat.completions
    .create({ model: "t1", messages: [{ role: "user", content: "tail me" }] })
    .withResponse();
  const { value } = await reader.read();
  const text = new TextDecoder().decode(value);
  expect(text).toContain("event: request");
  expect(text).toContain(sent.headers.get("x-request-id")!);
  controller.abort();
});

test("GET /metrics shows requests, latencies, attempts, failovers, the log queue and reloads", async () => {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  expect(text).toMatch(/smartroute_requests_total\{tier="t1",model="a\/good\?tokens=4",status="200"\} \d+/);
  expect(text).toContain('smartroute_request_duration_seconds_bucket{tier="t1",le="+Inf"}');
  expect(text).toContain("smartroute_gateway_overhead_seconds_count");
  expect(text).toMatch(/smartroute_failovers_total\{target="a\/bad\?fault=status&status=503"\} 1/);
  expect(text).toMatch(/smartroute_log_rows_written_total \d+/);
  expect(text).toContain('smartroute_log_dropped_total{kind="rows"} 0');
  expect(text).toContain("smartroute_target_circuit_state");
  expect(text).toContain("smartroute_target_health_score");
  await h.running.gateway.live.reload("test");
  expect(await (await fetch(`${h.url}/metrics`)).text()).toContain('smartroute_config_reloads_total{result="ok"} 1');
});
