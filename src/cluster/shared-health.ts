/**
 * Target health shared by the processes of a cluster. Each process keeps its own `MemoryHealthRegistry`
 * (the read path stays synchronous and local: ordering a request never waits for Redis) and replicates
 * every change it makes, a verdict, a cooldown, a reset, as one entry on a Redis stream. Every process
 * reads that stream and replays its siblings' entries through the same arithmetic, probe flag included,
 * so a failure counted on one replica opens the circuit on all of them within one stream read (a few ms).
 *
 * The half-open probe is one per cluster: the process that would probe takes an atomic lock in Redis
 * (SET NX with a lifetime) first; a sibling that loses treats the target as cooling until the winner's
 * verdict arrives or the lock's lifetime ends. While Redis is unreachable each process decides alone, on
 * its own records, and its entries wait to be sent when Redis is back (`replicated-stream.ts`); the
 * siblings then replay them, old times and all.
 */
import type { AttemptEffect, HealthRegistry, HealthView, MemoryHealthRegistry } from "../routing/health.ts";
import type { HealthRecord, SavedHealthRecord } from "../routing/health-record.ts";
import { ReplicatedStream } from "./replicated-stream.ts";
import type { SharedState } from "./shared-state.ts";

/** One replicated change of target `r` at time `t`. */
type HealthEntry = { r: string; t: number } & (
  | { k: "verdict"; effect: AttemptEffect; probe: boolean }
  | { k: "cooldown"; until: number; reason: string }
  | { k: "reset" }
  | { k: "probe"; until: number }
);

export interface SharedHealthOptions {
  /** How long a probe lock lives if its holder never gives a verdict (a killed process); default 30 s. */
  probeLockMs?: number;
  /** How far back a starting process replays the stream (default 15 min: three of the default windows). */
  replayMs?: number;
  /** Entries the stream keeps (approximately; default 10 000). */
  streamLength?: number;
  /** Longest wait of one stream read (default 1 s; the read returns as soon as an entry arrives). */
  blockMs?: number;
}

const probeKey = (ref: string) => `probe:{${ref}}`;
// Deletes the probe lock only if this process still holds it (an expired lock may be a sibling's now).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type WithRelease = { srReleaseProbe(key: string, owner: string): Promise<number> };

export class SharedHealthRegistry implements HealthRegistry {
  /** Probes a sibling holds: target → when its lock lapses. */
  private readonly siblingProbes = new Map<string, number>();
  private readonly stream: ReplicatedStream<HealthEntry>;
  private readonly probeLockMs: number;
  /** Resolves once the replay has been applied: a starting gateway and tests wait for it. */
  readonly replayed: Promise<void>;

  constructor(
    readonly local: MemoryHealthRegistry,
    private readonly shared: SharedState,
    options: SharedHealthOptions = {},
  ) {
    this.probeLockMs = options.probeLockMs ?? 30_000;
    shared.redis.defineCommand("srReleaseProbe", { numberOfKeys: 1, lua: RELEASE });
    this.stream = new ReplicatedStream<HealthEntry>(shared, {
      name: "health:events",
      onEntry: (entry) => this.replay(entry),
      replayMs: options.replayMs ?? 900_000,
      maxLength: options.streamLength ?? 10_000,
      blockMs: options.blockMs,
    });
    this.replayed = this.stream.replayed;
  }

  /** This process's id on the stream. */
  get self(): string {
    return this.stream.self;
  }

  /** Applies a sibling's entry to this process's records. */
  private replay(entry: HealthEntry): void {
    switch (entry.k) {
      case "verdict":
        this.local.apply(entry.r, entry.t, entry.effect, entry.probe);
        if (entry.probe) this.siblingProbes.delete(entry.r);
        break;
      case "cooldown":
        this.local.coolDown(entry.r, entry.until, entry.reason, entry.t);
        break;
      case "reset":
        this.local.reset(entry.r, entry.t);
        this.siblingProbes.delete(entry.r);
        break;
      case "probe":
        this.siblingProbes.set(entry.r, entry.until);
        break;
    }
  }

  private publish(entry: HealthEntry): void {
    this.stream.append(entry);
  }

  private siblingProbing(ref: string, now: number): boolean {
    const until = this.siblingProbes.get(ref);
    if (until === undefined) return false;
    if (until > now) return true;
    this.siblingProbes.delete(ref);
    return false;
  }

  view(ref: string, now: number): HealthView {
    return this.local.view(ref, now);
  }

  availability(ref: string, now: number): "ready" | "probe" | "cooling" {
    const local = this.local.availability(ref, now);
    return local === "probe" && this.siblingProbing(ref, now) ? "cooling" : local;
  }

  beginAttempt(ref: string, now: number): boolean | Promise<boolean> {
    if (!this.local.beginAttempt(ref, now)) return false;
    if (this.siblingProbing(ref, now)) {
      this.local.releaseProbe(ref);
      return false;
    }
    // Without Redis this process cannot ask the others: it probes on its own judgement.
    if (this.shared.degraded) return true;
    return this.claimProbe(ref, now);
  }

  private async claimProbe(ref: string, now: number): Promise<boolean> {
    const until = now + this.probeLockMs;
    let won: boolean;
    try {
      won = (await this.shared.redis.set(probeKey(ref), this.self, "PX", this.probeLockMs, "NX")) === "OK";
    } catch {
      return true;
    }
    if (won) this.publish({ r: ref, t: now, k: "probe", until });
    else {
      this.local.releaseProbe(ref);
      this.siblingProbes.set(ref, until);
    }
    return won;
  }

  record(ref: string, now: number, effect: AttemptEffect): void {
    const probe = this.local.isProbing(ref);
    this.local.record(ref, now, effect);
    this.publish({ r: ref, t: now, k: "verdict", effect, probe });
    if (probe && !this.shared.degraded)
      (this.shared.redis as unknown as WithRelease).srReleaseProbe(probeKey(ref), this.self).catch(() => {});
  }

  cooldownOf(ref: string, now: number): { until: number; reason: string } | undefined {
    return this.local.cooldownOf(ref, now);
  }

  coolDown(ref: string, until: number, reason: string, now: number): void {
    this.local.coolDown(ref, until, reason, now);
    this.publish({ r: ref, t: now, k: "cooldown", until, reason });
  }

  reset(ref: string, now: number): void {
    this.local.reset(ref, now);
    this.siblingProbes.delete(ref);
    this.publish({ r: ref, t: now, k: "reset" });
    if (!this.shared.degraded) this.shared.redis.del(probeKey(ref)).catch(() => {});
  }

  records(): [string, HealthRecord][] {
    return this.local.records();
  }

  restore(records: [string, SavedHealthRecord][]): void {
    this.local.restore(records);
  }

  /** Stops reading the stream; the shared connection is closed by its owner. */
  close(): void {
    this.stream.close();
  }
}
