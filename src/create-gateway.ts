/**
 * A gateway built in memory from a config value and handed `Request`s (Vite's inline config, Hono's
 * `app.request`): no config file, no port, no data directory. It is the server's own app behind the
 * server's own request guard, so `handle` answers exactly as the server does (headers, errors, streams);
 * only the socket is missing. Tests inject the clock, randomness and the network through it.
 */
import { LiveConfig } from "./config/live.ts";
import { formatIssues, resolveConfigValue } from "./config/load.ts";
import type { ConfigExport, ResolvedConfig } from "./config/types.ts";
import { Gateway } from "./gateway.ts";
import { createHandler } from "./http/app.ts";
import { derivedMaxInFlight } from "./http/open-files.ts";
import { guardRequests } from "./http/request-guard.ts";
import { edgeRefusals } from "./http/v1-call.ts";
import { createLogger } from "./logger.ts";
import type { Explanation } from "./pipeline/explain.ts";
import type { PipelineDeps } from "./pipeline/state.ts";
import type { Clock, Logger } from "./plugin/types.ts";
import { openStore } from "./store/db.ts";

/** How to build an in-memory gateway (`createGateway`). */
export interface CreateGatewayOptions {
  /** The config, as `defineConfig` takes it: an object, or a function of `{ env, mode }`. */
  config: ConfigExport;
  /** Time and every budget timer (default the system clock; tests pass a `VirtualClock`). */
  clock?: Clock;
  /** Uniform random numbers in [0, 1) for strategies and backoff jitter (default `Math.random`). */
  random?: () => number;
  /** Upstream calls of providers without their own `send` (default the global `fetch`). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Where the gateway logs (default the process logger on stderr). */
  log?: Logger;
  /** `"memory"`: an in-memory SQLite store, so requests are logged and counted; default none (not logged). */
  store?: "memory";
  /** Passed to a config function as `mode` (default "production"). */
  mode?: string;
}

/** An in-memory gateway (`createGateway`). */
export interface InMemoryGateway {
  /** Answers one request as the server would: `/v1/...`, `/healthz`, `/metrics`; `/api` needs a data directory (404). */
  handle(request: Request): Promise<Response>;
  /** The resolved config it runs on. */
  readonly config: ResolvedConfig;
  /** A target's health right now (`"provider/model"`), as `GET /api/health` reports it. */
  health(ref: string): ReturnType<Gateway["health"]["view"]>;
  /** How a chat completion body would be routed, without calling an upstream (what `POST /api/explain` answers). */
  explain(body: unknown): Promise<Explanation>;
  /** Ends what is in flight and releases the store and timers. */
  close(): Promise<void>;
}

/**
 * Builds a gateway from a config value, without a file or a port. Throws with every config issue
 * listed when the config is invalid (the same checks as loading `gateway.config.ts`).
 */
export function createGateway(options: CreateGatewayOptions): InMemoryGateway {
  const log = options.log ?? createLogger();
  const resolved = resolveConfigValue(options.config, options.mode);
  if (!resolved.ok) throw new Error(`Invalid config:\n${formatIssues(resolved.issues)}`);
  const live = LiveConfig.inline(resolved.config, log);
  const deps: Partial<PipelineDeps> = {};
  if (options.clock) deps.clock = options.clock;
  if (options.random) deps.random = options.random;
  if (options.fetch) deps.fetch = options.fetch;
  const store = options.store === "memory" ? openStore(":memory:", { log }) : undefined;
  const gateway = new Gateway({ live, log, store, deps });
  const handle = createHandler(gateway);
  const clock = gateway.pipeline.deps.clock;
  const guarded = guardRequests(handle, {
    limits: () => live.get().limits,
    defaultMaxInFlight: derivedMaxInFlight(),
    setTimer: (ms, fn) => clock.setTimer(ms, fn),
    refused: edgeRefusals(gateway),
  });
  return {
    handle: (request) => guarded(request, { ip: undefined }),
    config: resolved.config,
    health: (ref) => gateway.health.view(ref, clock.now()),
    explain: (body) => gateway.explain(body),
    async close() {
      gateway.endInFlight("the gateway is closing");
      await gateway.close();
    },
  };
}
