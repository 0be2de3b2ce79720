/**
 * The assembled gateway: the live config, the pipeline, the /v1 API key check, the request log and the
 * metrics, with the runtime-specific parts (clock, network, ids, storage) injected. The HTTP layer only
 * translates to and from it.
 */

import { ApiKeyCheck, type KeyIdentity, KeyRegistry } from "./auth/api-keys.ts";
import { RedisLedger } from "./cluster/redis-ledger.ts";
import { RedisRateLimiter } from "./cluster/redis-rate-limit.ts";
import { RedisSharedCache } from "./cluster/shared-cache.ts";
import { SharedConfig } from "./cluster/shared-config.ts";
import { SharedHealthRegistry } from "./cluster/shared-health.ts";
import { SharedConversationMemory } from "./cluster/shared-memory.ts";
import type { SharedState } from "./cluster/shared-state.ts";
import { SharedTail, type TailSource } from "./cluster/shared-tail.ts";
import type { LiveConfig } from "./config/live.ts";
import type { ResolvedConfig } from "./config/types.ts";
import { redactSource } from "./config-editor/masked-source.ts";
import { GatewayError } from "./errors.ts";
import { GatewayMetrics } from "./metrics/gateway-metrics.ts";
import { metricsObserver } from "./metrics/metrics-observer.ts";
import { systemClock } from "./pipeline/clock.ts";
import { type Explanation, explainRequest } from "./pipeline/explain.ts";
import { Pipeline } from "./pipeline/pipeline.ts";
import { type Refusal, refusalOf } from "./pipeline/refusal.ts";
import type { PipelineDeps } from "./pipeline/state.ts";
import type { Clock, Logger } from "./plugin/types.ts";
import { SpendGuard } from "./pricing/spend-guard.ts";
import { MemoryLedger } from "./pricing/spend-ledger.ts";
import { ConversationMemory } from "./routing/conversations.ts";
import { type HealthRegistry, MemoryHealthRegistry } from "./routing/health.ts";
import { UsageTracker } from "./routing/usage.ts";
import { type ApiKeyStore, SqliteKeyStore } from "./store/api-key-store.ts";
import { ConfigHistory } from "./store/config-history.ts";
import { type ConfigEntry, type ConfigVersions, sqliteConfigVersions } from "./store/config-versions.ts";
import type { Store } from "./store/db.ts";
import { persistHealth, persistHealthIn } from "./store/health-store.ts";
import { type LogReader, sqliteLogReader } from "./store/log-reader.ts";
import { LogWriter, type LogWriterOptions } from "./store/log-writer.ts";
import { PgKeyStore } from "./store/pg/pg-api-keys.ts";
import { pgConfigHistory } from "./store/pg/pg-config-history.ts";
import { pgHealthSnapshots } from "./store/pg/pg-health-store.ts";
import { schedulePgRetention } from "./store/pg/pg-retention.ts";
import { PgRowSink } from "./store/pg/pg-row-sink.ts";
import type { PgStore } from "./store/pg/pg-store.ts";
import { keySpendSince } from "./store/queries/stats.ts";
import { summaryCostMicros } from "./store/record.ts";
import { RefusedLog, type RefusedLogOptions } from "./store/refused-log.ts";
import { requestLogObserver } from "./store/request-log-observer.ts";
import { scheduleRetention } from "./store/retention.ts";
import { SqliteRowSink, WorkerRowSink } from "./store/row-sink.ts";

/** The channel a cluster announces key changes on (created, rotated, renamed, limited, revoked). */
const KEYS_CHANGED = "keys.changed";

export interface GatewayOptions {
  live: LiveConfig;
  log: Logger;
  /** The SQLite store; without it requests are not logged (metrics still are). */
  store?: Store;
  writer?: Partial<Omit<LogWriterOptions, "sink" | "log">>;
  /** PostgreSQL (cluster mode, `GATEWAY_DATABASE_URL`): the request log and its rollups go there. */
  pg?: PgStore;
  /** The refused requests' log limits (tests use small ones). */
  refused?: Pick<RefusedLogOptions, "perAddress" | "total" | "maxAddresses">;
  /** Overrides for tests: clock, randomness, network, ids. */
  deps?: Partial<PipelineDeps>;
  health?: HealthRegistry;
  /** Redis (cluster mode, `GATEWAY_REDIS_URL`): per-key limits shared with the other processes. */
  shared?: SharedState;
  /** The data directory's secret key: the config history tells an unchanged file by a digest keyed with it. */
  dataKey?: Uint8Array;
}

export class Gateway {
  readonly live: LiveConfig;
  readonly pipeline: Pipeline;
  /** Key budgets and in-flight caps: the ledger the admin API reads spend and headroom from. */
  readonly spend: SpendGuard;
  readonly log: Logger;
  readonly health: HealthRegistry;
  readonly store?: Store;
  /** The PostgreSQL store (cluster mode); closed with the gateway. */
  readonly pg?: PgStore;
  /** Where the admin API reads the request log: PostgreSQL's in cluster mode, else SQLite's. */
  readonly logs?: LogReader;
  readonly writer?: LogWriter;
  readonly metrics: GatewayMetrics;
  /** Requests refused before a route was planned: counted, and logged at a bounded rate per address. */
  readonly refusals: RefusedLog;
  readonly keys: KeyRegistry;
  readonly shared?: SharedState;
  private readonly sharedLedger?: RedisLedger;
  /** Where the live tail reads rows: the log writer, or the cluster's (rows of every process). */
  readonly tail?: TailSource;
  private readonly sharedTail?: SharedTail;
  /** Config edits applied on one process run on all (cluster mode, a config from a file). */
  readonly sharedConfig?: SharedConfig;
  /** Conversation memory replicated through Redis (cluster mode). */
  readonly sharedMemory?: SharedConversationMemory;
  /** Health replicated through Redis (cluster mode). */
  readonly sharedHealth?: SharedHealthRegistry;
  /** Time for everything the gateway stamps (the pipeline's clock: tests inject one). */
  readonly clock: Clock;
  /** Every applied config version in this process's SQLite (with a store, not in cluster mode). */
  readonly history?: ConfigHistory;
  /** Every applied config version, where the admin API reads them: PostgreSQL's in cluster mode, else `history`. */
  readonly versions?: ConfigVersions;
  private readonly keyChecks = new WeakMap<ResolvedConfig, ApiKeyCheck>();
  private readonly stopRetention?: () => void;
  private readonly stopHealthPersistence?: () => void;
  /** Resolves once saved health is restored (PostgreSQL answers later than SQLite; awaited before serving). */
  readonly healthRestored?: Promise<void>;
  /** The last health save, once stopped (awaited before the PostgreSQL pool closes). */
  private healthSaved?: Promise<void>;
  /** Aborted by `endInFlight`: every upstream call listens to it (`PipelineDeps.stopping`). */
  private readonly stopping = new AbortController();

  constructor(options: GatewayOptions) {
    this.live = options.live;
    this.log = options.log;
    this.store = options.store;
    this.pg = options.pg;
    this.logs = options.pg?.logs ?? (options.store && sqliteLogReader(options.store));
    // In a cluster each process keeps its own records and replicates every change through Redis.
    const memory = options.health ? undefined : new MemoryHealthRegistry(() => this.live.get().health, options.log);
    this.sharedHealth = memory && options.shared && new SharedHealthRegistry(memory, options.shared);
    const health = options.health ?? this.sharedHealth ?? (memory as MemoryHealthRegistry);
    this.health = health;
    const clock = options.deps?.clock ?? systemClock;
    this.clock = clock;
    this.shared = options.shared;
    this.keys = this.keyRegistry(options);
    if (options.store) {
      // PostgreSQL's driver writes off the event loop by itself. A SQLite file store gets a writer thread;
      // an in-memory one (tests) cannot be shared with one.
      const sink = options.pg
        ? new PgRowSink(options.pg)
        : options.store.path === ":memory:"
          ? new SqliteRowSink(options.store.sqlite)
          : new WorkerRowSink(options.store.path);
      this.writer = new LogWriter({
        sink,
        log: options.log,
        flushIntervalMs: () => this.live.get().logging.flushIntervalMs,
        ...options.writer,
      });
      const logging = () => this.live.get().logging;
      this.stopRetention = options.pg
        ? schedulePgRetention(options.pg.sql, logging, options.log)
        : scheduleRetention(options.store, logging, options.log);
      // A cluster that reached Redis at start replays the shared stream instead of this process's own file.
      const own = memory ?? (health instanceof MemoryHealthRegistry ? health : undefined);
      const restore = !this.sharedHealth || options.shared?.degraded === true;
      if (own && options.pg) {
        // Shared snapshots: a replica starting without Redis restores the last records any replica saved.
        const persisted = persistHealthIn(pgHealthSnapshots(options.pg), own, options.log, { restore });
        this.healthRestored = persisted.restored;
        this.stopHealthPersistence = () => {
          this.healthSaved ??= persisted.stop();
        };
      } else if (own) this.stopHealthPersistence = persistHealth(options.store, own, options.log, { restore });
    }
    const writer = this.writer;
    this.sharedMemory = options.shared && new SharedConversationMemory(options.shared);
    if (options.shared && this.live.fromFile)
      this.sharedConfig = new SharedConfig(options.shared, this.live, { now: () => clock.now(), log: options.log });
    this.sharedTail =
      writer && options.shared && new SharedTail(options.shared, writer, { now: () => clock.now(), log: options.log });
    this.tail = this.sharedTail ?? writer;
    this.metrics = new GatewayMetrics({
      writer: writer && (() => writer.stats),
      health: this.health,
      config: () => this.live.get(),
      now: () => clock.now(),
      shared: options.shared,
    });
    this.live.onReload((event) => this.metrics.configReloaded(event.ok));
    this.refusals = new RefusedLog({
      writer,
      now: () => clock.now(),
      count: (refusal, notLogged) => this.metrics.refusal(refusal.status, refusal.code, notLogged),
      ...options.refused,
    });
    if (options.store) {
      // Masking with the running config lets plugin schemas mark secrets that have no secret-like name.
      const redact = (source: string) => redactSource(source, this.live.get());
      // In cluster mode one history in PostgreSQL for every replica; else this process's SQLite.
      if (!options.pg) this.history = new ConfigHistory(options.store, redact, options.dataKey);
      const versions = options.pg ? pgConfigHistory(options.pg, redact) : sqliteConfigVersions(this.history!);
      this.versions = versions;
      const record = (entry: ConfigEntry) =>
        versions.record(entry).catch((error) => {
          options.log.warn("config version not recorded in the history", {
            error: String(error),
            reason: entry.reason,
          });
        });
      // The version running now (if it changed since the last recorded one), then every applied reload.
      record({ ts: this.clock.now(), author: "file", reason: "gateway started", source: this.live.source });
      this.live.onReload((event) => {
        if (event.ok && event.source !== undefined)
          record({ ts: this.clock.now(), author: event.author, reason: event.reason, source: event.source });
      });
    }
    const store = options.store;
    // A budget window starts from what the log says was spent: the cluster's (PostgreSQL) or this process's.
    const pgLog = options.pg?.logs;
    const seed = store ? (key: string, since: number) => keySpendSince(store, key, since) : undefined;
    const sharedSeed = pgLog ? (key: string, since: number) => pgLog.keySpendSince(key, since) : seed;
    const shared = options.shared;
    this.sharedLedger =
      shared && new RedisLedger(shared, { now: () => clock.now(), seed: sharedSeed, log: options.log });
    this.spend = new SpendGuard(this.sharedLedger ?? new MemoryLedger(seed), summaryCostMicros);
    const metrics = metricsObserver(this.metrics);
    // The request log and the metrics are observer plugins of the gateway's own, placed before the config's.
    const observers = (config: ResolvedConfig) => (writer ? [requestLogObserver(writer, config), metrics] : [metrics]);
    this.pipeline = new Pipeline({
      clock,
      random: Math.random,
      fetch: (url, init) => fetch(url, init),
      newId: () => `req_${crypto.randomUUID().replaceAll("-", "")}`,
      log: options.log,
      health: this.health,
      usage: new UsageTracker(),
      conversations: this.sharedMemory ?? new ConversationMemory(),
      cache: options.shared && new RedisSharedCache(options.shared),
      observers,
      spend: this.spend,
      stopping: this.stopping.signal,
      refused: (refusal, config) => this.refusals.record(refusal, config),
      ...options.deps,
    });
  }

  /**
   * The /v1 keys: this process's SQLite, or in cluster mode PostgreSQL's, where a change made on one
   * replica is announced through Redis (`keys.changed`) and re-read by the others at once.
   */
  private keyRegistry({ store, pg, shared, log }: GatewayOptions): KeyRegistry {
    const limiter = shared && new RedisRateLimiter(shared);
    const keyStore: ApiKeyStore | undefined = pg ? new PgKeyStore(pg) : store && new SqliteKeyStore(store);
    if (!pg) return new KeyRegistry(keyStore, { limiter, log });
    const keys = new KeyRegistry(keyStore, { limiter, log, announce: () => shared?.publish(KEYS_CHANGED, "1") });
    void shared?.subscribe(KEYS_CHANGED, () => void keys.reload().catch(() => undefined));
    return keys;
  }

  /**
   * Records a /v1 request refused before the pipeline took it (a bad key, a key's rate limit, a body too
   * large or unreadable, the admission caps, a door's bad input). Returns the error to answer with: a
   * logged one names its row in `x-request-id`. Only a GatewayError is a refusal; anything else is a bug
   * the caller reports as it always has.
   */
  refuse(
    error: unknown,
    at: Omit<Refusal, "id" | "finishedAt" | "status" | "code" | "message">,
    config: ResolvedConfig,
  ): unknown {
    if (!(error instanceof GatewayError)) return error;
    const id = this.pipeline.deps.newId();
    const logged = this.refusals.record({ ...at, id, finishedAt: this.clock.now(), ...refusalOf(error) }, config);
    return logged ? error.withRequestId(id) : error;
  }

  /**
   * Ends what is still in flight at shutdown: every upstream call is aborted with `reason`, so a stream
   * ends with an in-band error naming it and a request waiting on an upstream fails over to nothing and
   * answers 502; each still gets its row. Health is saved first: these failures are not the targets'.
   */
  endInFlight(reason: string): void {
    this.stopHealthPersistence?.();
    this.stopping.abort(new Error(reason));
  }

  /** How a request would be routed, without calling any upstream (POST /api/explain). */
  explain(body: unknown): Promise<Explanation> {
    return explainRequest(body, this.live.get(), this.pipeline.deps);
  }

  /** Who a /v1 request is (its gateway key, its rate limit counted), or a 401/429 GatewayError. */
  authorize(headers: Headers, config: ResolvedConfig): Promise<KeyIdentity> {
    return this.keys.admit(
      headers,
      { digests: this.keyCheck(config).digestMap, openAccess: config.openAccess },
      this.clock.now(),
    );
  }

  /**
   * Who a /v1 request is, nothing counted (a 401 GatewayError for a bad key): for `GET /v1/models`, which
   * clients call at start and on every reconnect and which costs nothing upstream, so it never spends a
   * key's requests per minute or shows as use of the key.
   */
  identify(headers: Headers, config: ResolvedConfig): KeyIdentity {
    return this.keys.verify(
      headers,
      { digests: this.keyCheck(config).digestMap, openAccess: config.openAccess },
      this.clock.now(),
    );
  }

  /** True when /v1 takes requests without a key: `auth.open`, or no key configured and none ever created. */
  isOpen(config: ResolvedConfig): boolean {
    return this.keys.open(
      { digests: this.keyCheck(config).digestMap, openAccess: config.openAccess },
      this.clock.now(),
    );
  }

  /** The key check for a config snapshot (built once per config version). */
  keyCheck(config: ResolvedConfig): ApiKeyCheck {
    let check = this.keyChecks.get(config);
    if (!check) {
      check = new ApiKeyCheck([...config.apiKeys]);
      this.keyChecks.set(config, check);
    }
    return check;
  }

  /** Stops the watcher, writes every queued log row and the health state, closes the store. */
  async close(): Promise<void> {
    this.live.close();
    this.stopRetention?.();
    this.stopHealthPersistence?.();
    await this.keys.close();
    await this.writer?.close();
    this.store?.close();
    await this.healthSaved;
    await this.pg?.close();
    this.sharedLedger?.close();
    this.sharedHealth?.close();
    this.sharedTail?.close();
    this.sharedMemory?.close();
    this.sharedConfig?.close();
    await this.shared?.close();
  }
}
