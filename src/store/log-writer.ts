/**
 * The request log writer. The request path only enqueues (an array push); rows are written in batched
 * transactions every few milliseconds or when a batch fills, with the rollups in the same transaction.
 * Under overload the queue stays bounded: the oldest queued entries lose their bodies first (the row
 * itself is kept), and only past a hard cap are rows dropped. Everything shed is counted.
 */
import type { Statement } from "bun:sqlite";
import { toRow, type RequestRow } from "./record.ts";
import { Rollups } from "./rollups.ts";
import type { Store } from "./db.ts";
import type { CompletionSummary, Logger } from "../plugin/types.ts";
import type { ResolvedConfig } from "../config/types.ts";

export interface LogWriterOptions {
  store: Store;
  log: Logger;
  /** Entries kept in memory at most; beyond it new rows are dropped and counted (default 200 000). */
  maxQueue?: number;
  /** Queue length above which the oldest entries lose their bodies (default 10 000). */
  shedBodiesAbove?: number;
  /** Longest time an entry waits before it is written, read at each scheduling (default 20 ms). */
  flushIntervalMs?: number | (() => number);
  /**
   * Rows per transaction at most (default 256). Writing runs on the event loop: small slices, with the
   * loop free between them, keep a busy writer from delaying requests by more than a few milliseconds.
   */
  batchSize?: number;
}

interface Entry {
  summary: CompletionSummary;
  config: ResolvedConfig;
  bodies: boolean;
}

/** What the live tail shows of a new row. */
export type TailRow = Pick<RequestRow, "id" | "ts" | "tier" | "model" | "status" | "latencyMs" | "ttftMs" | "attempts" | "errorClass" | "promptPreview" | "stream" | "requestedModel">;

export interface WriterStats {
  /** Entries waiting to be written. */
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

const COLUMNS = ["id", "ts", "api_key_id", "client_ip", "requested_model", "tier", "tier_reason", "model", "status", "error_class", "error_message", "latency_ms", "ttft_ms", "overhead_ms", "attempts", "attempt_trace", "prompt_tokens", "completion_tokens", "token_source", "cost_usd", "stream", "prompt_preview", "request_body", "response_body"];

export class LogWriter {
  private queue: Entry[] = [];
  /** Index of the oldest entry that still has its bodies. */
  private shedIndex = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly insert: Statement;
  private readonly rollups: Rollups;
  private readonly listeners = new Set<(rows: TailRow[]) => void>();
  private readonly maxQueue: number;
  private readonly shedBodiesAbove: number;
  private readonly flushIntervalMs: () => number;
  private readonly batchSize: number;
  private closed = false;
  readonly stats: WriterStats = { queued: 0, maxQueued: 0, written: 0, bodiesShed: 0, rowsDropped: 0, flushes: 0, failedFlushes: 0 };

  constructor(private readonly options: LogWriterOptions) {
    this.maxQueue = options.maxQueue ?? 200_000;
    this.shedBodiesAbove = options.shedBodiesAbove ?? 10_000;
    const interval = options.flushIntervalMs ?? 20;
    this.flushIntervalMs = typeof interval === "number" ? () => interval : interval;
    this.batchSize = options.batchSize ?? 256;
    const sqlite = options.store.sqlite;
    this.insert = sqlite.prepare(`INSERT INTO requests (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")}) ON CONFLICT (id) DO NOTHING`);
    this.rollups = new Rollups(sqlite);
  }

  /** Queues a finished request. O(1); never touches the disk. */
  enqueue(summary: CompletionSummary, config: ResolvedConfig): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      this.stats.rowsDropped += 1;
      return;
    }
    this.queue.push({ summary, config, bodies: true });
    if (this.queue.length > this.shedBodiesAbove && this.shedIndex < this.queue.length) {
      this.queue[this.shedIndex++].bodies = false;
      this.stats.bodiesShed += 1;
    }
    this.stats.queued = this.queue.length;
    if (this.queue.length > this.stats.maxQueued) this.stats.maxQueued = this.queue.length;
    if (this.timer === undefined) this.timer = setTimeout(() => this.flushSoon(), this.queue.length >= this.batchSize ? 0 : this.flushIntervalMs());
  }

  private flushSoon(): void {
    this.timer = undefined;
    this.flush();
    if (this.queue.length > 0 && !this.closed) this.timer = setTimeout(() => this.flushSoon(), 0);
  }

  /** Writes up to one batch now (synchronously). Returns the number of rows written. */
  flush(): number {
    if (this.queue.length === 0) return 0;
    const batch = this.queue.length <= this.batchSize ? this.queue : this.queue.slice(0, this.batchSize);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.batchSize);
    this.shedIndex = Math.max(0, this.shedIndex - batch.length);
    this.stats.queued = this.queue.length;
    const rows: RequestRow[] = [];
    const failovers: number[] = [];
    try {
      this.options.store.sqlite.transaction(() => {
        for (const entry of batch) {
          const row = toRow(entry.summary, entry.config, entry.bodies);
          this.insert.run(...columnValues(row));
          rows.push(row);
          failovers.push(entry.summary.attempts.filter((a) => a.outcome === "failover" || a.outcome === "cut").length);
        }
        this.rollups.add(rows, failovers);
      })();
    } catch (error) {
      this.stats.failedFlushes += 1;
      this.options.log.error("request log write failed; the batch is kept for the next try", { error: String(error), rows: batch.length });
      this.queue = batch.concat(this.queue).slice(0, this.maxQueue);
      this.stats.queued = this.queue.length;
      return 0;
    }
    this.stats.written += rows.length;
    this.stats.flushes += 1;
    if (this.listeners.size > 0) this.publish(rows);
    return rows.length;
  }

  /** Writes everything queued (shutdown). */
  drain(): number {
    let total = 0;
    while (this.queue.length > 0) {
      const written = this.flush();
      if (written === 0) break;
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
    const tail: TailRow[] = rows.map((r) => ({ id: r.id, ts: r.ts, tier: r.tier, model: r.model, status: r.status, latencyMs: r.latencyMs, ttftMs: r.ttftMs, attempts: r.attempts, errorClass: r.errorClass, promptPreview: r.promptPreview, stream: r.stream, requestedModel: r.requestedModel }));
    for (const listener of this.listeners) {
      try {
        listener(tail);
      } catch (error) {
        this.options.log.warn("live tail listener failed", { error: String(error) });
      }
    }
  }

  /** Flushes everything and stops; later enqueues are ignored. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.drain();
    this.closed = true;
  }
}

function columnValues(r: RequestRow): (string | number | boolean | null)[] {
  return [r.id, r.ts, r.apiKeyId ?? null, r.clientIp ?? null, r.requestedModel, r.tier, r.tierReason ?? null, r.model ?? null, r.status, r.errorClass ?? null, r.errorMessage ?? null, r.latencyMs, r.ttftMs ?? null, r.overheadMs, r.attempts, r.attemptTrace, r.promptTokens ?? null, r.completionTokens ?? null, r.tokenSource ?? null, r.costUsd ?? null, r.stream ? 1 : 0, r.promptPreview ?? null, r.requestBody ?? null, r.responseBody ?? null];
}
