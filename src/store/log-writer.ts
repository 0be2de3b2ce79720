/**
 * The request log writer. The request path only enqueues (an array push). Batches are turned into rows
 * and handed to a row sink every few milliseconds or when a batch fills: in production a worker thread
 * writes them (rows and rollups in one transaction), so the event loop never waits on SQLite. Under
 * overload the queue stays bounded: the oldest queued entries lose their bodies first (the row itself
 * is kept), and only past a hard cap are rows dropped. Everything shed is counted. A sink that fails
 * (a database away) keeps its batch at the head of the queue and is tried again with a growing delay.
 */

import type { ResolvedConfig } from "../config/types.ts";
import type { Refusal } from "../pipeline/refusal.ts";
import type { CompletionSummary, Logger } from "../plugin/types.ts";
import { type RequestRow, refusedRow, toRow } from "./record.ts";
import type { RowSink } from "./row-sink.ts";

export interface LogWriterOptions {
  sink: RowSink;
  log: Logger;
  /** Entries kept in memory at most; beyond it new rows are dropped and counted (default 200 000). */
  maxQueue?: number;
  /** Queue length above which the oldest entries lose their bodies (default 10 000). */
  shedBodiesAbove?: number;
  /** Longest time an entry waits before it is written, read at each scheduling (default 20 ms). */
  flushIntervalMs?: number | (() => number);
  /** Rows per transaction at most (default 1 000). */
  batchSize?: number;
  /** Longest wait between tries while the sink keeps failing (default 2 000 ms; the wait doubles from 50 ms). */
  maxRetryDelayMs?: number;
}

/** A finished request's summary, or a refused request (no route planned), waiting to become a row. */
type Entry = ({ summary: CompletionSummary } | { refusal: Refusal }) & { config: ResolvedConfig; bodies: boolean };

const rowOf = (entry: Entry): RequestRow =>
  "refusal" in entry
    ? refusedRow(entry.refusal, entry.config, entry.bodies)
    : toRow(entry.summary, entry.config, entry.bodies);

/** What the live tail shows of a new row (the error code under the admin API's name, `errorClass`). */
export type TailRow = Pick<
  RequestRow,
  | "id"
  | "ts"
  | "tier"
  | "model"
  | "status"
  | "latencyMs"
  | "ttftMs"
  | "attempts"
  | "promptPreview"
  | "stream"
  | "requestedModel"
> & { errorClass: RequestRow["errorCode"]; door: string; refused: boolean };

export interface WriterStats {
  /** Entries waiting to be written (queued and in the batch being written). */
  queued: number;
  /** Largest queue length seen. */
  maxQueued: number;
  written: number;
  /** Entries whose bodies were dropped under overload (the row was kept). */
  bodiesShed: number;
  /** Rows dropped because the queue was full. */
  rowsDropped: number;
  flushes: number;
  failedFlushes: number;
}

const failoversOf = (entry: Entry) =>
  "refusal" in entry ? 0 : entry.summary.attempts.filter((a) => a.outcome === "failover" || a.outcome === "cut").length;

export class LogWriter {
  private queue: Entry[] = [];
  /** Index of the oldest entry that still has its bodies. */
  private shedIndex = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The batch being written, if any: one at a time, so rows land in order. */
  private writing: Promise<number> | undefined;
  private inFlight = 0;
  private readonly listeners = new Set<(rows: TailRow[]) => void>();
  private readonly maxQueue: number;
  private readonly shedBodiesAbove: number;
  private readonly flushIntervalMs: () => number;
  private readonly batchSize: number;
  private readonly maxRetryDelayMs: number;
  /** Failed writes in a row: a database that is away is tried again later and later, not in a loop. */
  private failures = 0;
  private closed = false;
  readonly stats: WriterStats = {
    queued: 0,
    maxQueued: 0,
    written: 0,
    bodiesShed: 0,
    rowsDropped: 0,
    flushes: 0,
    failedFlushes: 0,
  };

  constructor(private readonly options: LogWriterOptions) {
    this.maxQueue = options.maxQueue ?? 200_000;
    this.shedBodiesAbove = options.shedBodiesAbove ?? 10_000;
    const interval = options.flushIntervalMs ?? 20;
    this.flushIntervalMs = typeof interval === "number" ? () => interval : interval;
    this.batchSize = options.batchSize ?? 1_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
  }

  /** Queues a finished request. O(1); never touches the disk. */
  enqueue(summary: CompletionSummary, config: ResolvedConfig): void {
    this.push({ summary, config, bodies: true });
  }

  /** Queues a refused request (src/store/refused-log.ts bounds how many per client address). */
  enqueueRefusal(refusal: Refusal, config: ResolvedConfig): void {
    this.push({ refusal, config, bodies: true });
  }

  private push(entry: Entry): void {
    if (this.closed) return;
    if (this.queue.length + this.inFlight >= this.maxQueue) {
      this.stats.rowsDropped += 1;
      return;
    }
    this.queue.push(entry);
    if (this.queue.length > this.shedBodiesAbove && this.shedIndex < this.queue.length) {
      this.queue[this.shedIndex++].bodies = false;
      this.stats.bodiesShed += 1;
    }
    this.updateDepth();
    this.schedule(this.queue.length >= this.batchSize ? 0 : this.flushIntervalMs());
  }

  private updateDepth(): void {
    this.stats.queued = this.queue.length + this.inFlight;
    if (this.stats.queued > this.stats.maxQueued) this.stats.maxQueued = this.stats.queued;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.writing || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().then(() => {
        if (this.queue.length > 0) this.schedule(this.retryDelayMs());
      });
    }, delayMs);
  }

  /** 0 while writes succeed; after failures 50 ms, doubling, at most `maxRetryDelayMs`. */
  private retryDelayMs(): number {
    if (this.failures === 0) return 0;
    return Math.min(this.maxRetryDelayMs, 50 * 2 ** Math.min(this.failures - 1, 16));
  }

  /** Writes up to one batch (waiting for a batch already being written). Resolves to the rows written. */
  async flush(): Promise<number> {
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return 0;
    this.writing = this.writeBatch();
    try {
      return await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  private async writeBatch(): Promise<number> {
    const batch = this.queue.length <= this.batchSize ? this.queue : this.queue.slice(0, this.batchSize);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.batchSize);
    this.shedIndex = Math.max(0, this.shedIndex - batch.length);
    this.inFlight = batch.length;
    const rows = batch.map(rowOf);
    try {
      await this.options.sink.write({ rows, failovers: batch.map(failoversOf) });
    } catch (error) {
      this.stats.failedFlushes += 1;
      this.failures += 1;
      this.options.log.error("request log write failed; the batch is kept for the next try", {
        error: String(error),
        rows: batch.length,
      });
      this.queue = batch.concat(this.queue).slice(0, this.maxQueue);
      return 0;
    } finally {
      this.inFlight = 0;
      this.updateDepth();
    }
    if (this.failures > 0)
      this.options.log.info("request log writes resumed", { failedTries: this.failures, rows: rows.length });
    this.failures = 0;
    this.stats.written += rows.length;
    this.stats.flushes += 1;
    if (this.listeners.size > 0) this.publish(rows);
    return rows.length;
  }

  /** Writes everything queued (shutdown); stops early if the sink keeps failing. */
  async drain(): Promise<number> {
    let total = 0;
    while (this.queue.length > 0 || this.writing) {
      const written = await this.flush();
      if (written === 0 && this.queue.length > 0) break;
      total += written;
    }
    return total;
  }

  /** New rows, as they are written (the live tail). Returns the unsubscribe function. */
  subscribe(listener: (rows: TailRow[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(rows: RequestRow[]): void {
    const tail: TailRow[] = rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      tier: r.tier,
      model: r.model,
      status: r.status,
      latencyMs: r.latencyMs,
      ttftMs: r.ttftMs,
      attempts: r.attempts,
      errorClass: r.errorCode,
      promptPreview: r.promptPreview,
      stream: r.stream,
      requestedModel: r.requestedModel,
      door: r.door ?? "chat",
      refused: r.refused ?? false,
    }));
    for (const listener of this.listeners) {
      try {
        listener(tail);
      } catch (error) {
        this.options.log.warn("live tail listener failed", { error: String(error) });
      }
    }
  }

  /**
   * Writes everything queued, closes the sink, and ignores later enqueues. Rows the sink still refuses
   * (its database away at shutdown) are counted as dropped and logged with their number: the process
   * is ending, and they are not lost without a word.
   */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    await this.drain();
    if (this.queue.length > 0) {
      this.stats.rowsDropped += this.queue.length;
      this.options.log.error("request log rows not written at shutdown: the store did not take them", {
        rows: this.queue.length,
      });
      this.queue = [];
      this.updateDepth();
    }
    await this.options.sink.close();
  }
}
