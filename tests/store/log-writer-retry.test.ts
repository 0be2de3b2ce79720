/** A sink that fails (a database away) is tried again by the writer itself, and the rows land once it answers. */
import { expect, test } from "bun:test";
import { LogWriter } from "../../src/store/log-writer.ts";
import type { RowBatch, RowSink } from "../../src/store/row-sink.ts";
import { recordingLogger } from "../helpers/gateway-harness.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

class FlakySink implements RowSink {
  written: string[] = [];
  tries = 0;
  constructor(private failuresLeft: number) {}
  /** The store is back: every later write succeeds. */
  heal(): void {
    this.failuresLeft = 0;
  }
  async write(batch: RowBatch): Promise<void> {
    this.tries += 1;
    if (this.failuresLeft-- > 0) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    this.written.push(...batch.rows.map((r) => r.id));
  }
  async close(): Promise<void> {}
}

test("failed writes are retried without anyone calling flush, and every row lands in order once the sink answers", async () => {
  const sink = new FlakySink(4);
  const log = recordingLogger();
  const writer = new LogWriter({ sink, log, flushIntervalMs: 1, maxRetryDelayMs: 20 });
  const summaries = Array.from({ length: 5 }, () => summary());
  for (const s of summaries) writer.enqueue(s, storeConfig());
  for (let i = 0; i < 200 && sink.written.length < 5; i++) await Bun.sleep(10);

  expect(sink.written).toEqual(summaries.map((s) => s.request.id));
  expect(sink.tries).toBe(5);
  expect(writer.stats).toMatchObject({ failedFlushes: 4, written: 5, queued: 0, rowsDropped: 0 });
  expect(log.lines.filter((l) => l.includes("request log write failed"))).toHaveLength(4);
  expect(log.lines.some((l) => l.includes("request log writes resumed"))).toBe(true);
  await writer.close();
});

test("rows a failing sink still refuses at shutdown are counted as dropped and logged, not lost without a word", async () => {
  const sink = new FlakySink(Number.POSITIVE_INFINITY);
  const log = recordingLogger();
  const writer = new LogWriter({ sink, log, flushIntervalMs: 60_000 });
  for (let i = 0; i < 3; i++) writer.enqueue(summary(), storeConfig());
  await writer.close();
  expect(sink.written).toEqual([]);
  expect(writer.stats).toMatchObject({ rowsDropped: 3, queued: 0 });
  expect(log.lines.some((l) => l.includes("request log rows not written at shutdown") && l.includes('"rows":3'))).toBe(
    true,
  );
});

test("while the store is away the queue holds its bound: past it rows are counted as dropped, the rest land on return", async () => {
  const sink = new FlakySink(Number.POSITIVE_INFINITY);
  const writer = new LogWriter({ sink, log: recordingLogger(), flushIntervalMs: 1, maxQueue: 30, maxRetryDelayMs: 5 });
  const summaries = Array.from({ length: 45 }, () => summary());
  for (const s of summaries) writer.enqueue(s, storeConfig());
  expect(writer.stats).toMatchObject({ rowsDropped: 15, queued: 30 });
  sink.heal();
  for (let i = 0; i < 200 && sink.written.length < 30; i++) await Bun.sleep(10);
  expect(sink.written).toEqual(summaries.slice(0, 30).map((s) => s.request.id));
  expect(writer.stats).toMatchObject({ rowsDropped: 15, queued: 0, written: 30 });
  await writer.close();
});
