/**
 * The spend ledger (budgets and in-flight caps of gateway keys) shared through Redis: reserve and enter
 * are one Lua script each (src/cluster/ledger-scripts.ts). A hold lives `ttlMs` unless this process
 * renews it, which it does every third of that while the request runs: a killed process's holds lapse
 * within `ttlMs`. A settle or leave that cannot reach Redis waits in a bounded queue and is sent when
 * Redis is back (the spend is not lost; a lapsed hold is simply not released twice).
 */
import type { Logger } from "../plugin/types.ts";
import {
  type BudgetWindow,
  type Flight,
  MemoryLedger,
  type Reservation,
  type SpendLedger,
} from "../pricing/spend-ledger.ts";
import { ENTER, RESERVE, SETTLE, USAGE } from "./ledger-scripts.ts";
import type { SharedState } from "./shared-state.ts";

type Arg = string | number;
/** The scripts as ioredis commands (defineCommand adds them untyped). */
interface Scripts {
  srReserve(...args: Arg[]): Promise<number>;
  srSettle(...args: Arg[]): Promise<number>;
  srUsage(...args: Arg[]): Promise<[number, number]>;
  srEnter(...args: Arg[]): Promise<number>;
}

const PENDING_MAX = 10_000;

export interface RedisLedgerOptions {
  now: () => number;
  /**
   * What the request log says a key spent since a time (seeds a window the first time it is used):
   * PostgreSQL's log in cluster mode, which answers with a promise.
   */
  seed?: (key: string, since: number) => number | Promise<number>;
  /** Lifetime of a hold that is not renewed (default 30 s). */
  ttlMs?: number;
  log: Logger;
}

// Hash tags ({…}): a budget's three keys sit in one slot, so the scripts also run on Redis Cluster.
const budgetKeys = (key: string, start: number) => {
  const tag = `{${key}:${start}}`;
  return [`budget:${tag}`, `holds:${tag}`, `holdexp:${tag}`];
};
const flightKey = (key: string) => `flight:{${key}}`;

export class RedisLedger implements SpendLedger {
  /** Serves while Redis is down, when the policy serves on local state. */
  readonly local: MemoryLedger;
  private readonly scripts: Scripts;
  /** This process's holds still running: id → the sorted set holding its expiry (renewed). */
  private readonly live = new Map<string, string>();
  private readonly pending: (() => Promise<unknown>)[] = [];
  /** Each window's seed, asked once (the promise, so requests arriving together ask once between them). */
  private readonly seeds = new Map<string, Promise<number>>();
  /** The seeds already known, for the local ledger while Redis is away (it cannot wait for a query). */
  private readonly knownSeeds = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly self = crypto.randomUUID().slice(0, 8);
  private seq = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly shared: SharedState,
    private readonly options: RedisLedgerOptions,
  ) {
    this.local = new MemoryLedger((key, since) => this.knownSeeds.get(`${key}:${since}`) ?? 0);
    this.ttlMs = options.ttlMs ?? 30_000;
    const redis = shared.redis;
    redis.defineCommand("srReserve", { numberOfKeys: 3, lua: RESERVE });
    redis.defineCommand("srSettle", { numberOfKeys: 3, lua: SETTLE });
    redis.defineCommand("srUsage", { numberOfKeys: 3, lua: USAGE });
    redis.defineCommand("srEnter", { numberOfKeys: 1, lua: ENTER });
    this.scripts = redis as unknown as Scripts;
    redis.on("ready", () => this.flush());
    this.timer = setInterval(() => this.renew(), this.ttlMs / 3);
    this.timer.unref?.();
  }

  private newId(): string {
    return `${this.self}:${++this.seq}`;
  }

  private seedOf(key: string, start: number): Promise<number> {
    const at = `${key}:${start}`;
    let seed = this.seeds.get(at);
    if (seed === undefined) {
      seed = Promise.resolve(this.options.seed?.(key, start) ?? 0).then(Math.round, (error) => {
        // Asked again next time: a log that is away must not fix a window's start at zero.
        this.seeds.delete(at);
        throw error;
      });
      this.seeds.set(at, seed);
      void seed.then((micros) => this.knownSeeds.set(at, micros)).catch(() => undefined);
    }
    return seed;
  }

  async reserve(key: string, window: BudgetWindow, micros: number): Promise<Reservation | undefined> {
    const now = this.options.now();
    const keep = window.resetAt === undefined ? 0 : Math.ceil(window.resetAt - now) + 86_400_000;
    // Asked before Redis (once per window): a log that is away is its own 503, not Redis's failure.
    const seed = await this.seedOf(key, window.start);
    return this.shared.run(
      async () => {
        const id = this.newId();
        const keys = budgetKeys(key, window.start);
        const args = [now, window.limitMicros, Math.round(micros), id, now + this.ttlMs];
        if ((await this.scripts.srReserve(...keys, ...args, seed, keep)) !== 1) return undefined;
        this.live.set(id, keys[2]);
        return { key, start: window.start, micros, id };
      },
      () => this.local.reserve(key, window, micros),
    );
  }

  settle(reservation: Reservation, micros: number): void {
    const { id } = reservation;
    if (!id) {
      this.local.settle(reservation, micros);
      return;
    }
    this.live.delete(id);
    const keys = budgetKeys(reservation.key, reservation.start);
    this.send(() => this.scripts.srSettle(...keys, id, Math.round(micros)));
  }

  usage(key: string, window: BudgetWindow): Promise<{ spentMicros: number; reservedMicros: number }> {
    return this.shared.run(
      async () => {
        const [spent, reserved] = await this.scripts.srUsage(...budgetKeys(key, window.start), this.options.now());
        return {
          spentMicros: spent < 0 ? await this.seedOf(key, window.start).catch(() => 0) : spent,
          reservedMicros: reserved,
        };
      },
      () => this.local.usage(key, window),
      "open",
    );
  }

  enter(key: string, max: number): Promise<Flight | undefined> {
    const now = this.options.now();
    return this.shared.run(
      async () => {
        const id = this.newId();
        const zset = flightKey(key);
        if ((await this.scripts.srEnter(zset, now, max, id, now + this.ttlMs, this.ttlMs)) !== 1) return undefined;
        this.live.set(id, zset);
        return { key, id };
      },
      () => this.local.enter(key, max),
    );
  }

  leave(flight: Flight): void {
    const { id } = flight;
    if (!id) {
      this.local.leave(flight);
      return;
    }
    this.live.delete(id);
    this.send(() => this.shared.redis.zrem(flightKey(flight.key), id));
  }

  inFlight(key: string): Promise<number> {
    const now = this.options.now();
    return this.shared.run(
      () => this.shared.redis.zcount(flightKey(key), `(${now}`, "+inf"),
      () => this.local.inFlight(key),
      "open",
    );
  }

  /** Sends a release now, or keeps it for when Redis is back. Never throws. */
  private send(op: () => Promise<unknown>): void {
    const keep = () => {
      if (this.pending.length >= PENDING_MAX) this.pending.shift();
      this.pending.push(op);
    };
    if (this.shared.redis.status === "ready") op().catch(keep);
    else keep();
  }

  private flush(): void {
    for (const op of this.pending.splice(0)) this.send(op);
  }

  /** Moves the expiry of this process's running holds on (XX: a hold already released stays released). */
  private renew(): void {
    if (this.live.size === 0 || this.shared.redis.status !== "ready") return;
    const expiresAt = this.options.now() + this.ttlMs;
    const batch = this.shared.redis.pipeline();
    for (const [id, zset] of this.live) {
      batch.zadd(zset, "XX", expiresAt, id);
      // A flight set lives as long as its holds; a budget's expiry set lives as long as its window.
      if (zset.startsWith("flight:")) batch.pexpire(zset, this.ttlMs * 2);
    }
    batch.exec().catch((error) => this.options.log.warn("renewing shared holds failed", { error: String(error) }));
  }

  close(): void {
    clearInterval(this.timer);
  }
}
