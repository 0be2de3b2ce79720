/** The log writer on its own: batching, rollups in the same transaction, overload shedding, failures. */
import { afterEach, describe, expect, test } from "bun:test";
import { openStore, type Store } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { SqliteRowSink } from "../../src/store/row-sink.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

let store: Store;
let writer: LogWriter;
const config = storeConfig({ pricing: { "a/small": { input: 1, output: 2 } } });
const count = (table = "requests") =>
  (store.sqlite.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function setup(options: Partial<ConstructorParameters<typeof LogWriter>[0]> = {}) {
  store = openStore(":memory:");
  writer = new LogWriter({
    sink: new SqliteRowSink(store.sqlite),
    log: silentLogger(),
    flushIntervalMs: 5,
    ...options,
  });
}
afterEach(async () => {
  await writer.close();
  store.close();
});

describe("writing", () => {
  test("rows are written in the background shortly after they are queued", async () => {
    setup();
    for (let i = 0; i < 50; i++) writer.enqueue(summary(), config);
    expect(count()).toBe(0); // enqueue never touches the disk
    await Bun.sleep(30);
    expect(count()).toBe(50);
    expect(writer.stats).toMatchObject({ written: 50, queued: 0, rowsDropped: 0, bodiesShed: 0 });
  });

  test("a row keeps what the log promises: route, timings, tokens, cost, bodies", async () => {
    setup();
    writer.enqueue(
      summary({ id: "req_one", prompt: "what is 2+2", answer: "4", latencyMs: 300, ttftMs: 120, apiKeyId: "cfg_abc" }),
      config,
    );
    await writer.flush();
    const row = store.sqlite.query("SELECT * FROM requests WHERE id = 'req_one'").get() as Record<string, unknown>;
    expect(row).toMatchObject({
      tier: "t1",
      model: "a/small",
      status: 200,
      latency_ms: 300,
      ttft_ms: 120,
      attempts: 1,
      prompt_tokens: 10,
      completion_tokens: 20,
      token_source: "upstream",
      api_key_id: "cfg_abc",
      client_ip: "127.0.0.1",
      prompt_preview: "what is 2+2",
      stream: 0,
    });
    expect(row.cost_usd).toBeCloseTo((10 * 1 + 20 * 2) / 1_000_000, 12);
    expect(JSON.parse(row.request_body as string).messages[0].content).toBe("what is 2+2");
    expect(JSON.parse(row.response_body as string).choices[0].message.content).toBe("4");
    expect(JSON.parse(row.attempt_trace as string)[0]).toMatchObject({ target: "a/small", outcome: "accepted" });
  });

  test("without upstream usage, tokens are estimated locally and marked so", async () => {
    setup();
    writer.enqueue(
      summary({ id: "req_est", usage: null, prompt: "你好世界", answer: "hello world, four words" }),
      config,
    );
    await writer.flush();
    const row = store.sqlite
      .query("SELECT prompt_tokens, completion_tokens, token_source FROM requests WHERE id = 'req_est'")
      .get() as Record<string, number | string>;
    expect(row.token_source).toBe("estimated");
    expect(row.prompt_tokens).toBe(4);
    expect(row.completion_tokens).toBe(6);
  });

  test("logging.bodies none and truncated are honoured", async () => {
    setup();
    const none = storeConfig({ logging: { bodies: "none" } });
    const truncated = storeConfig({ logging: { bodies: "truncated" } });
    writer.enqueue(summary({ id: "req_none" }), none);
    writer.enqueue(summary({ id: "req_trunc", prompt: "x".repeat(5000) }), truncated);
    await writer.flush();
    const rows = store.sqlite.query("SELECT id, request_body AS body FROM requests ORDER BY seq").all() as {
      id: string;
      body: string | null;
    }[];
    expect(rows[0].body).toBeNull();
    expect(rows[1].body!.length).toBeLessThanOrEqual(2001);
  });

  test("rollups are updated with the rows, in the same transaction", async () => {
    setup();
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    writer.enqueue(summary({ ts: minute + 1000, latencyMs: 100 }), config);
    writer.enqueue(summary({ ts: minute + 2000, latencyMs: 300, status: 502, errorCode: "upstream_error" }), config);
    await writer.flush();
    writer.enqueue(summary({ ts: minute + 3000, latencyMs: 200 }), config);
    await writer.flush();
    const rows = store.sqlite
      .query(
        "SELECT tier, model, requests, errors, latency_sum, latency_hist FROM stats_minute WHERE minute = ? ORDER BY model",
      )
      .all(minute) as Record<string, unknown>[];
    const ok = rows.find((r) => r.model === "a/small")!;
    expect(ok).toMatchObject({ requests: 2, errors: 0, latency_sum: 300 });
    expect((JSON.parse(ok.latency_hist as string) as number[]).reduce((a, b) => a + b)).toBe(2);
    expect(rows.find((r) => r.model === "")).toMatchObject({ requests: 1, errors: 1 });
    expect(count("stats_day")).toBe(2);
  });
});

describe("overload", () => {
  test("past the shedding threshold the oldest entries lose their bodies, never their rows", async () => {
    setup({ shedBodiesAbove: 5, flushIntervalMs: 10_000 });
    for (let i = 0; i < 20; i++) writer.enqueue(summary({ id: `req_shed_${i}` }), config);
    expect(writer.stats.bodiesShed).toBe(15);
    await writer.flush();
    expect(count()).toBe(20);
    const withBodies = store.sqlite
      .query("SELECT id FROM requests WHERE request_body IS NOT NULL ORDER BY seq")
      .all() as { id: string }[];
    expect(withBodies.map((r) => r.id)).toEqual([15, 16, 17, 18, 19].map((i) => `req_shed_${i}`));
  });

  test("past the hard cap rows are dropped and counted", async () => {
    setup({ maxQueue: 10, flushIntervalMs: 10_000 });
    for (let i = 0; i < 25; i++) writer.enqueue(summary(), config);
    expect(writer.stats.rowsDropped).toBe(15);
    expect(writer.stats.maxQueued).toBe(10);
    await writer.flush();
    expect(count()).toBe(10);
  });

  test("a failed write keeps the batch for the next try", async () => {
    setup({ flushIntervalMs: 10_000 });
    store.sqlite.run("ALTER TABLE requests RENAME TO requests_away");
    for (let i = 0; i < 3; i++) writer.enqueue(summary(), config);
    expect(await writer.flush()).toBe(0);
    expect(writer.stats).toMatchObject({ failedFlushes: 1, queued: 3 });
    store.sqlite.run("ALTER TABLE requests_away RENAME TO requests");
    expect(await writer.flush()).toBe(3);
    expect(count()).toBe(3);
  });

  test("close() writes everything still queued", async () => {
    setup({ flushIntervalMs: 10_000, batchSize: 100 });
    for (let i = 0; i < 1234; i++) writer.enqueue(summary(), config);
    await writer.close();
    expect(count()).toBe(1234);
    writer.enqueue(summary(), config); // after close: ignored, not thrown
  });

  test("subscribers see each new row once it is written", async () => {
    setup({ flushIntervalMs: 10_000 });
    const seen: string[] = [];
    const stop = writer.subscribe((rows) => seen.push(...rows.map((r) => r.id)));
    writer.enqueue(summary({ id: "req_tail_1" }), config);
    expect(seen).toEqual([]);
    await writer.flush();
    expect(seen).toEqual(["req_tail_1"]);
    stop();
    writer.enqueue(summary({ id: "req_tail_2" }), config);
    await writer.flush();
    expect(seen).toEqual(["req_tail_1"]);
  });
});
