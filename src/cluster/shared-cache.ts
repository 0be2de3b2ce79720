/**
 * `ctx.cache` in a cluster: plugin answers kept in Redis for their TTL, so an answer one process paid
 * for (an LLM classifier's verdict) is read by the others. A cache, never a dependency: while Redis is
 * unreachable `get` finds nothing and `set` keeps nothing, and the plugin asks again.
 */
import type { SharedCache } from "../plugin/types.ts";
import type { SharedState } from "./shared-state.ts";

/** Longest value kept (a cache of short answers, not of bodies). */
const MAX_VALUE_CHARS = 4_096;

export class RedisSharedCache implements SharedCache {
  constructor(private readonly shared: SharedState) {}

  get(key: string): Promise<string | undefined> {
    return this.shared.run(
      async () => (await this.shared.redis.get(`cache:${key}`)) ?? undefined,
      () => undefined,
      "open",
    );
  }

  set(key: string, value: string, ttlMs: number): void {
    if (this.shared.degraded || ttlMs <= 0 || value.length > MAX_VALUE_CHARS) return;
    this.shared.redis.set(`cache:${key}`, value, "PX", Math.ceil(ttlMs)).catch(() => {});
  }
}
