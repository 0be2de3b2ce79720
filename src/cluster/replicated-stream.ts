/**
 * One Redis stream that the processes of a cluster append their changes to and replay each other's from:
 * the mechanism behind shared health and shared conversation memory. Each process keeps its state in
 * memory (reads never wait for Redis) and applies its siblings' entries as they arrive (a blocking read
 * on a connection of its own returns as soon as one is appended: a few ms on loopback).
 *
 * A process that starts replays the stream from `replayMs` ago (on Redis's clock). While Redis is
 * unreachable its own entries wait in a bounded queue, sent when it is back; reading resumes after the
 * last entry read, so it misses nothing the stream still holds (`maxLength` entries, trimmed
 * approximately).
 */
import type { Redis } from "ioredis";
import type { SharedState } from "./shared-state.ts";

export interface ReplicatedStreamOptions<T> {
  /** The stream's key (under the shared prefix). */
  name: string;
  /** Called with each sibling's entry, in stream order (never with this process's own). */
  onEntry: (entry: T) => void;
  /** How far back a starting process replays. */
  replayMs: number;
  /** Entries the stream keeps (approximately). */
  maxLength: number;
  /** Longest wait of one read (default 1 s). */
  blockMs?: number;
  /** Entries kept while Redis is unreachable (default 1,000; the oldest are dropped past it). */
  pendingMax?: number;
}

const READ_COUNT = 1_000;
type Rows = [string, [string, string[]][]][] | null;

export class ReplicatedStream<T> {
  /** This process's id (its own entries are skipped when read back). */
  readonly self = crypto.randomUUID().slice(0, 12);
  /** Resolves once the replay has been applied. */
  readonly replayed: Promise<void>;
  private readonly reader: Redis;
  private readonly pending: string[] = [];
  /** The last entry read; unset until the first read picks the replay horizon. */
  private lastId: string | undefined;
  private closed = false;
  private readonly blockMs: number;

  constructor(
    private readonly shared: SharedState,
    private readonly options: ReplicatedStreamOptions<T>,
  ) {
    this.blockMs = options.blockMs ?? 1_000;
    shared.redis.on("ready", () => this.flush());
    // A blocking read holds its connection: it gets its own, with a timeout longer than the block.
    this.reader = shared.redis.duplicate({ commandTimeout: this.blockMs + 2_000 });
    this.reader.on("error", () => {});
    this.replayed = this.start();
  }

  append(entry: T): void {
    const text = JSON.stringify({ o: this.self, e: entry });
    if (this.shared.degraded) this.keep(text);
    else this.send(text);
  }

  private send(text: string): void {
    this.shared.redis
      .xadd(this.options.name, "MAXLEN", "~", this.options.maxLength, "*", "e", text)
      .catch(() => this.keep(text));
  }

  private keep(text: string): void {
    if (this.pending.length >= (this.options.pendingMax ?? 1_000)) this.pending.shift();
    this.pending.push(text);
  }

  private flush(): void {
    for (const text of this.pending.splice(0)) this.send(text);
  }

  private async start(): Promise<void> {
    await this.reader.connect().catch(() => undefined);
    while ((await this.readOnce(1)) === READ_COUNT);
    void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (this.reader.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 250));
      else await this.readOnce(this.blockMs);
    }
  }

  /** One read from where the last ended (blocking at most `block` ms); returns the entries read. */
  private async readOnce(block: number): Promise<number> {
    if (this.closed || this.reader.status !== "ready") return 0;
    try {
      if (this.lastId === undefined) {
        const [seconds] = await this.reader.time();
        this.lastId = `${Number(seconds) * 1000 - this.options.replayMs}-0`;
      }
      const rows = (await this.reader.xread(
        "COUNT",
        READ_COUNT,
        "BLOCK",
        block,
        "STREAMS",
        this.options.name,
        this.lastId,
      )) as Rows;
      let read = 0;
      for (const [, entries] of rows ?? [])
        for (const [id, fields] of entries) {
          this.lastId = id;
          read++;
          this.deliver(fields[1]);
        }
      return read;
    } catch {
      return 0;
    }
  }

  private deliver(text: string | undefined): void {
    let parsed: { o: string; e: T };
    try {
      parsed = JSON.parse(text ?? "");
    } catch {
      return; // not ours: skipped
    }
    if (parsed.o !== this.self) this.options.onEntry(parsed.e);
  }

  close(): void {
    this.closed = true;
    this.reader.disconnect();
  }
}
