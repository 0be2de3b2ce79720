/**
 * The request log's writer thread: its own SQLite connection (WAL lets the main thread read meanwhile)
 * and one transaction per batch, in the order batches arrive. The connection is the runtime's
 * (`sqlite.ts`: bun:sqlite on Bun, node:sqlite on Deno, whose workers run it the same way).
 */

import { SqliteRowSink, type WorkerReply, type WorkerRequest } from "./row-sink.ts";
import type { SqliteDatabase } from "./sqlite.ts";

declare const self: Worker;

let database: SqliteDatabase | undefined;
let sink: SqliteRowSink | undefined;
const reply = (message: WorkerReply) => self.postMessage(message);

/**
 * sqlite.ts picks its driver with a top-level await; imported statically it would delay installing
 * the message handler below, and the "open" message sent at once would be lost. The writer sends
 * nothing else before "opened", so only opening waits for the import.
 */
async function open(path: string): Promise<void> {
  const { openSqlite } = await import("./sqlite.ts");
  // The main thread has opened (and migrated) the file already: this connection only writes rows.
  database = openSqlite(path);
  database.run("PRAGMA journal_mode = WAL");
  database.run("PRAGMA synchronous = NORMAL");
  database.run("PRAGMA busy_timeout = 5000");
  sink = new SqliteRowSink(database);
  reply({ type: "opened" });
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === "open") {
    void open(message.path);
    return;
  }
  if (message.type === "write") {
    try {
      sink!.writeNow(message.batch);
      reply({ type: "done", id: message.id });
    } catch (error) {
      reply({ type: "failed", id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  database?.close();
  reply({ type: "closed" });
};
