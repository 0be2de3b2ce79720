/**
 * Where log rows are written: one transaction per batch, rows and rollups together. `SqliteRowSink`
 * does it on the calling thread (tests, in-memory stores); `WorkerRowSink` hands batches to a worker
 * thread with its own connection, so the event loop that serves requests never waits on SQLite.
 */

import type { RequestRow } from "./record.ts";
import { Rollups } from "./rollups.ts";
import type { SqliteDatabase, SqliteStatement } from "./sqlite.ts";

export interface RowBatch {
  rows: RequestRow[];
  /** Failovers of each row, for the rollups. */
  failovers: number[];
}

export interface RowSink {
  write(batch: RowBatch): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = [
  "id",
  "ts",
  "api_key_id",
  "client_ip",
  "door",
  "requested_model",
  "tier",
  "tier_reason",
  "model",
  "status",
  "error_code",
  "error_message",
  "latency_ms",
  "ttft_ms",
  "overhead_ms",
  "attempts",
  "attempt_trace",
  "prompt_tokens",
  "completion_tokens",
  "token_source",
  "cost_usd",
  "cost_micros",
  "baseline_micros",
  "baseline_model",
  "cost_detail",
  "stream",
  "prompt_preview",
  "request_body",
  "response_body",
  "refused",
];

function columnValues(r: RequestRow): (string | number | null)[] {
  return [
    r.id,
    r.ts,
    r.apiKeyId ?? null,
    r.clientIp ?? null,
    r.door ?? "chat",
    r.requestedModel,
    r.tier,
    r.tierReason ?? null,
    r.model ?? null,
    r.status,
    r.errorCode ?? null,
    r.errorMessage ?? null,
    r.latencyMs,
    r.ttftMs ?? null,
    r.overheadMs,
    r.attempts,
    r.attemptTrace,
    r.promptTokens ?? null,
    r.completionTokens ?? null,
    r.tokenSource ?? null,
    r.costUsd ?? null,
    r.costMicros ?? null,
    r.baselineMicros ?? null,
    r.baselineModel ?? null,
    r.costDetail ?? null,
    r.stream ? 1 : 0,
    r.promptPreview ?? null,
    r.requestBody ?? null,
    r.responseBody ?? null,
    r.refused ? 1 : 0,
  ];
}

/** Writes batches on this thread, synchronously inside the returned promise's executor. */
export class SqliteRowSink implements RowSink {
  private readonly insert: SqliteStatement;
  private readonly rollups: Rollups;
  private readonly transaction: (batch: RowBatch) => void;

  constructor(sqlite: SqliteDatabase) {
    this.insert = sqlite.prepare(
      `INSERT INTO requests (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")}) ON CONFLICT (id) DO NOTHING`,
    );
    this.rollups = new Rollups(sqlite);
    this.transaction = sqlite.transaction((batch: RowBatch) => {
      for (const row of batch.rows) this.insert.run(...columnValues(row));
      this.rollups.add(batch.rows, batch.failovers);
    });
  }

  /** Writes now; throws (through the promise) when the transaction fails. */
  writeNow(batch: RowBatch): void {
    this.transaction(batch);
  }

  async write(batch: RowBatch): Promise<void> {
    this.writeNow(batch);
  }

  async close(): Promise<void> {}
}

/** Messages between the writer and its worker. */
export type WorkerRequest =
  | { type: "open"; path: string }
  | { type: "write"; id: number; batch: RowBatch }
  | { type: "close" };
export type WorkerReply =
  | { type: "opened" }
  | { type: "done"; id: number }
  | { type: "failed"; id: number; error: string }
  | { type: "closed" };

/** Hands batches to `log-worker.ts`; each write resolves when its transaction committed. */
export class WorkerRowSink implements RowSink {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly ready: Promise<void>;
  private closing: (() => void) | undefined;
  private next = 0;

  constructor(path: string) {
    this.worker = new Worker(new URL("./log-worker.ts", import.meta.url).href, { type: "module" });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.type === "opened") return resolve();
        if (reply.type === "closed") return this.closing?.();
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.type === "done") waiter?.resolve();
        else waiter?.reject(new Error(reply.error));
      };
      this.worker.onerror = (event) => {
        // Handled here (waiters reject, the writer keeps the batch): Deno would otherwise end the process.
        event.preventDefault();
        const error = new Error(`log worker failed: ${event.message}`);
        reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      };
    });
    this.send({ type: "open", path });
  }

  private send(message: WorkerRequest): void {
    this.worker.postMessage(message);
  }

  async write(batch: RowBatch): Promise<void> {
    await this.ready;
    const id = ++this.next;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.send({ type: "write", id, batch });
    return done;
  }

  /** Resolves once every batch sent before it is written and the worker's connection is closed. */
  async close(): Promise<void> {
    await this.ready.catch(() => {});
    const closed = new Promise<void>((resolve) => (this.closing = resolve));
    this.send({ type: "close" });
    await closed;
    this.worker.terminate();
  }
}
