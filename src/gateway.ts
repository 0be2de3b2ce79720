/**
 * The assembled gateway: the live config, the pipeline and the /v1 API key check, with the
 * runtime-specific parts (clock, network, ids) injected. The HTTP layer only translates to and from it.
 */
import { LiveConfig } from "./config/live.ts";
import { Pipeline } from "./pipeline/pipeline.ts";
import { systemClock } from "./pipeline/clock.ts";
import { MemoryHealthRegistry, type HealthRegistry } from "./routing/health.ts";
import { ApiKeyCheck } from "./auth/api-keys.ts";
import type { PipelineDeps } from "./pipeline/state.ts";
import type { ResolvedConfig } from "./config/types.ts";
import type { Logger } from "./plugin/types.ts";

export interface GatewayOptions {
  live: LiveConfig;
  log: Logger;
  /** Overrides for tests: clock, randomness, network, ids. */
  deps?: Partial<PipelineDeps>;
  health?: HealthRegistry;
}

export class Gateway {
  readonly live: LiveConfig;
  readonly pipeline: Pipeline;
  readonly log: Logger;
  readonly health: HealthRegistry;
  private readonly keyChecks = new WeakMap<ResolvedConfig, ApiKeyCheck>();

  constructor(options: GatewayOptions) {
    this.live = options.live;
    this.log = options.log;
    this.health = options.health ?? new MemoryHealthRegistry();
    this.pipeline = new Pipeline({
      clock: systemClock,
      random: Math.random,
      fetch: (url, init) => fetch(url, init),
      newId: () => `req_${crypto.randomUUID().replaceAll("-", "")}`,
      log: options.log,
      health: this.health,
      ...options.deps,
    });
  }

  /** The key check for a config snapshot (built once per config version). */
  keyCheck(config: ResolvedConfig): ApiKeyCheck {
    let check = this.keyChecks.get(config);
    if (!check) {
      check = new ApiKeyCheck(config.apiKeys);
      this.keyChecks.set(config, check);
    }
    return check;
  }
}
