/**
 * The Redis connection that processes of one cluster share their per-key limits through
 * (`GATEWAY_REDIS_URL`). A down Redis must never hang a request: the offline queue is off, so a command
 * while disconnected fails at once, a command that gets no answer fails after `commandTimeout`, and the
 * client keeps reconnecting in the background (bounded backoff) so the cluster re-shares by itself.
 * While it is not ready the state is *degraded*: limits run on each process's local counters, or refuse,
 * as `whenDown` says (`smartroute_shared_state_degraded` in /metrics).
 */
import { Redis, type RedisOptions } from "ioredis";
import { GatewayError } from "../errors.ts";
import type { Logger } from "../plugin/types.ts";
import { redisTarget } from "./redis-connection.ts";

/**
 * What a key with limits gets while Redis is unreachable. `closed` (default): refused with 503, since a
 * process alone cannot know what the others admitted or spent; `open`: served on this process's own
 * counters, so the cluster may admit up to (processes × limit) until Redis is back.
 */
export type WhenDown = "closed" | "open";

export interface SharedStateOptions {
  url: string;
  /** Prefix of every key this gateway writes (tests use one per test). */
  prefix?: string;
  whenDown?: WhenDown;
  log: Logger;
  /** Milliseconds a command may take before it counts as Redis down (default 250). */
  commandTimeoutMs?: number;
}

export class SharedState {
  readonly redis: Redis;
  readonly whenDown: WhenDown;
  /** Put before every key, and before every pub/sub channel (ioredis prefixes keys only). */
  readonly prefix: string;
  private readonly log: Logger;
  private wasDegraded = false;
  /** The last call failed though the connection looked ready (a timeout): degraded until one succeeds. */
  private failing = false;
  /** The one pub/sub connection of this process (`subscribe`), made at the first subscription. */
  private subscriber?: Redis;
  private subscriberReady?: Promise<void>;
  private readonly channels = new Map<string, (message: string) => void>();

  constructor(options: SharedStateOptions) {
    this.log = options.log;
    this.whenDown = options.whenDown ?? "closed";
    this.prefix = options.prefix ?? "smartroute:";
    const target = redisTarget(options.url);
    const settings: RedisOptions = {
      keyPrefix: this.prefix,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: options.commandTimeoutMs ?? 250,
      // Reconnect forever, at most every 2 s: the shared state must come back without a restart.
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
    };
    this.redis = typeof target === "string" ? new Redis(target, settings) : new Redis({ ...settings, ...target });
    this.redis.on("ready", () => this.note());
    this.redis.on("close", () => this.note());
    // ioredis emits connection errors as events; unhandled they would be printed on every retry.
    this.redis.on("error", () => this.note());
  }

  /** Connects, waiting at most `waitMs`: a gateway starts (degraded) with Redis down. */
  async connect(waitMs = 1000): Promise<void> {
    const ready = this.redis.connect().catch(() => undefined);
    await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, waitMs).unref?.())]);
    this.note();
  }

  /** True while commands cannot reach Redis. */
  get degraded(): boolean {
    return this.failing || this.redis.status !== "ready";
  }

  /** Logs each change between shared and degraded once. */
  note(): void {
    const degraded = this.degraded;
    if (degraded === this.wasDegraded) return;
    this.wasDegraded = degraded;
    if (degraded)
      this.log.warn(
        this.whenDown === "open"
          ? "shared state degraded: Redis unreachable, key limits run on this process's own counters"
          : "shared state degraded: Redis unreachable, keys with limits are refused (503) until it is back",
      );
    else this.log.info("shared state: Redis connected");
  }

  /**
   * Runs `shared` on Redis, or `local` when Redis is down (or fails mid-call) and `whenDown` is open; a
   * closed policy refuses with 503 instead. Reads (the admin's views) pass "open": a figure, never a refusal.
   */
  async run<T>(shared: () => Promise<T>, local: () => T, whenDown = this.whenDown): Promise<T> {
    if (this.redis.status === "ready") {
      try {
        const answer = await shared();
        if (this.failing) (this.failing = false), this.note();
        return answer;
      } catch (error) {
        this.failing = true;
        this.log.warn("shared state call failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
    this.note();
    if (whenDown === "open") return local();
    throw new GatewayError("rejected", "This API key's limits are shared through Redis, which is unreachable.", {
      status: 503,
      clientCode: "limits_unavailable",
      retryAfterMs: 1000,
    });
  }

  /**
   * Calls `onMessage` with each message of the pub/sub `channel` (under the prefix, which ioredis does not
   * put on channels). Every channel of this process shares one connection, in subscriber mode (it takes
   * no other command; ioredis subscribes it again after a reconnect). Resolves once subscribed, or at
   * once when Redis is down (the subscription is made when it is back).
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void> {
    const name = `${this.prefix}${channel}`;
    this.channels.set(name, onMessage);
    if (!this.subscriber) {
      const subscriber = this.redis.duplicate({ commandTimeout: undefined });
      subscriber.on("error", () => {});
      subscriber.on("message", (from: string, message: string) => this.channels.get(from)?.(message));
      this.subscriber = subscriber;
      this.subscriberReady = subscriber.connect();
    }
    const subscriber = this.subscriber;
    return this.subscriberReady!.then(() => subscriber.subscribe(name)).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Publishes on a pub/sub channel (under the prefix), without waiting; nothing while Redis is down. */
  publish(channel: string, message: string): void {
    if (this.degraded) return;
    this.redis.publish(`${this.prefix}${channel}`, message).catch(() => {});
  }

  /** QUIT after what was sent (the last settles of a stop), within 1 s; then the socket is closed. */
  async close(): Promise<void> {
    this.subscriber?.disconnect();
    if (this.redis.status === "ready") {
      const quit = this.redis.quit().catch(() => undefined);
      await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, 1000).unref?.())]);
    }
    this.redis.disconnect();
  }
}
