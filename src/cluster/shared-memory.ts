/**
 * Conversation memory (sticky tiers, tool turns) shared by the processes of a cluster: each keeps its
 * own expiring map (the router reads it without waiting) and replicates every write through one Redis
 * stream (`replicated-stream.ts`), so the request carrying a tool result goes back to the tier that made
 * the call, and a conversation never steps down, whichever process serves the next turn. A process that
 * starts replays the memory's lifetime (an hour) of writes. Entries hold keys (hashes of message text)
 * and tier names, never text.
 */
import { ConversationMemory, type TierMemory } from "../routing/conversations.ts";
import { ReplicatedStream } from "./replicated-stream.ts";
import type { SharedState } from "./shared-state.ts";

interface MemoryEntry {
  key: string;
  tier: string;
  at: number;
}

export interface SharedMemoryOptions {
  /** How long an entry is remembered (default 1 h, as in one process); the replay reaches as far back. */
  ttlMs?: number;
  /** Entries the stream keeps (approximately; default 50,000, as one process's map). */
  streamLength?: number;
  blockMs?: number;
}

export class SharedConversationMemory implements TierMemory {
  private readonly local: ConversationMemory;
  private readonly stream: ReplicatedStream<MemoryEntry>;
  readonly replayed: Promise<void>;

  constructor(shared: SharedState, options: SharedMemoryOptions = {}) {
    const ttlMs = options.ttlMs ?? 3_600_000;
    const length = options.streamLength ?? 50_000;
    this.local = new ConversationMemory(length, ttlMs);
    this.stream = new ReplicatedStream<MemoryEntry>(shared, {
      name: "memory:events",
      onEntry: (entry) => this.local.set(entry.key, entry.tier, entry.at),
      replayMs: ttlMs,
      maxLength: length,
      blockMs: options.blockMs,
    });
    this.replayed = this.stream.replayed;
  }

  get(key: string, now: number): string | undefined {
    return this.local.get(key, now);
  }

  set(key: string, tier: string, now: number): void {
    this.local.set(key, tier, now);
    this.stream.append({ key, tier, at: now });
  }

  close(): void {
    this.stream.close();
  }
}
