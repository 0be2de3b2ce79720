/**
 * The request log's writer thread: its own SQLite connection (WAL lets the main thread read meanwhile)
 * and one transaction per batch, in the order batches arrive.
 */
import { Database } from "bun:sqlite";
import { SqliteRowSink, type WorkerReply, type WorkerRequest } from "./row-sink.ts";

declare const self: Worker;

let database: Database | undefined;
let sink: SqliteRowSink | undefined;
const reply = (message: WorkerReply) => self.postMessage(message);

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === "open") {
    // The main thread has opened (and migrated) the file already: this connection only writes rows.
    database = new Database(message.path, { strict: true });
    database.run("PRAGMA journal_mode = WAL");
    database.run("PRAGMA synchronous = NORMAL");
    database.run("PRAGMA busy_timeout = 5000");
    sink = new SqliteRowSink(database);
    return reply({ type: "opened" });
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
