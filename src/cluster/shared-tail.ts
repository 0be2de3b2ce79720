/**
 * The live tail of a cluster: a tail open on one process shows the requests every process serves. Rows
 * cross through Redis pub/sub, and only while someone watches: a process with a tail open announces it
 * on a channel every `announceMs`, and a process that heard an announcement within the last
 * 2.5 × `announceMs` publishes each batch of rows its log writer commits. With no tail open anywhere,
 * nothing is published. Rows are what the tail shows (`TailRow`, no bodies), one message per batch.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../plugin/types.ts";
import type { LogWriter, TailRow } from "../store/log-writer.ts";
import type { SharedState } from "./shared-state.ts";

/** Where the live tail gets its rows: the log writer, or in a cluster this. */
export interface TailSource {
  subscribe(listener: (rows: TailRow[]) => void): () => void;
}

export interface SharedTailOptions {
  now: () => number;
  /** How often a process with a tail open says so (default 10 s). */
  announceMs?: number;
  log: Logger;
}

export class SharedTail implements TailSource {
  private readonly self = crypto.randomUUID().slice(0, 12);
  private readonly listeners = new Set<(rows: TailRow[]) => void>();
  private readonly subscriber: Redis;
  private readonly watchChannel: string;
  private readonly rowsChannel: string;
  private readonly announceMs: number;
  /** Until when some process of the cluster watches (so this one publishes). */
  private watchedUntil = 0;
  private stopPublishing?: () => void;
  private announcer?: ReturnType<typeof setInterval>;
  readonly ready: Promise<void>;

  constructor(
    private readonly shared: SharedState,
    private readonly writer: LogWriter,
    private readonly options: SharedTailOptions,
  ) {
    this.announceMs = options.announceMs ?? 10_000;
    this.watchChannel = `${shared.prefix}tail:watch`;
    this.rowsChannel = `${shared.prefix}tail:rows`;
    // A connection in subscriber mode takes no other command: it is its own (resubscribed on reconnect).
    this.subscriber = shared.redis.duplicate({ commandTimeout: undefined });
    this.subscriber.on("error", () => {});
    this.subscriber.on("message", (channel: string, message: string) => this.heard(channel, message));
    this.ready = this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(this.watchChannel, this.rowsChannel))
      .then(
        () => undefined,
        () => undefined,
      );
  }

  subscribe(listener: (rows: TailRow[]) => void): () => void {
    this.listeners.add(listener);
    const local = this.writer.subscribe(listener);
    if (!this.announcer) {
      this.announce();
      this.announcer = setInterval(() => this.announce(), this.announceMs);
      this.announcer.unref?.();
    }
    return () => {
      local();
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.announcer) {
        clearInterval(this.announcer);
        this.announcer = undefined;
      }
    };
  }

  private announce(): void {
    if (this.shared.degraded) return;
    this.shared.redis.publish(this.watchChannel, this.self).catch(() => {});
  }

  private heard(channel: string, message: string): void {
    if (channel === this.watchChannel) {
      if (message === this.self) return;
      this.watchedUntil = this.options.now() + this.announceMs * 2.5;
      this.stopPublishing ??= this.writer.subscribe((rows) => this.publish(rows));
      return;
    }
    if (channel !== this.rowsChannel) return;
    let batch: { o: string; rows: TailRow[] };
    try {
      batch = JSON.parse(message);
    } catch {
      return;
    }
    if (batch.o === this.self || !Array.isArray(batch.rows)) return;
    for (const listener of this.listeners) {
      try {
        listener(batch.rows);
      } catch (error) {
        this.options.log.warn("live tail listener failed", { error: String(error) });
      }
    }
  }

  private publish(rows: TailRow[]): void {
    if (this.options.now() > this.watchedUntil) {
      // Nobody announced for a while: stop publishing until someone does.
      this.stopPublishing?.();
      this.stopPublishing = undefined;
      return;
    }
    if (this.shared.degraded) return;
    this.shared.redis.publish(this.rowsChannel, JSON.stringify({ o: this.self, rows })).catch(() => {});
  }

  close(): void {
    if (this.announcer) clearInterval(this.announcer);
    this.stopPublishing?.();
    this.subscriber.disconnect();
  }
}
