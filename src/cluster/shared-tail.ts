/**
 * The live tail of a cluster: a tail open on one process shows the requests every process serves. Rows
 * cross through Redis pub/sub, and only while someone watches: a process with a tail open announces it
 * on a channel every `announceMs`, and a process that heard an announcement within the last
 * 2.5 × `announceMs` publishes each batch of rows its log writer commits. With no tail open anywhere,
 * nothing is published. Rows are what the tail shows (`TailRow`, no bodies), one message per batch.
 */
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

const WATCH = "tail:watch";
const ROWS = "tail:rows";

export class SharedTail implements TailSource {
  private readonly self = crypto.randomUUID().slice(0, 12);
  private readonly listeners = new Set<(rows: TailRow[]) => void>();
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
    this.ready = Promise.all([
      shared.subscribe(WATCH, (message) => this.heardAnnouncement(message)),
      shared.subscribe(ROWS, (message) => this.heardRows(message)),
    ]).then(() => undefined);
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
    this.shared.publish(WATCH, this.self);
  }

  private heardAnnouncement(message: string): void {
    if (message === this.self) return;
    this.watchedUntil = this.options.now() + this.announceMs * 2.5;
    this.stopPublishing ??= this.writer.subscribe((rows) => this.publish(rows));
  }

  private heardRows(message: string): void {
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
    if (!this.shared.degraded) this.shared.publish(ROWS, JSON.stringify({ o: this.self, rows }));
  }

  close(): void {
    if (this.announcer) clearInterval(this.announcer);
    this.stopPublishing?.();
  }
}
