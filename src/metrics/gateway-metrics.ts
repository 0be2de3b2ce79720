/**
 * The gateway's metrics (GET /metrics): requests, latencies, attempts and failovers from each finished
 * request; health, log queue and config reloads read at scrape time.
 */

import type { ResolvedConfig } from "../config/types.ts";
import type { CompletionSummary } from "../plugin/types.ts";
import type { HealthRegistry } from "../routing/health.ts";
import type { WriterStats } from "../store/log-writer.ts";
import { Counter, Gauge, Histogram, Registry } from "./registry.ts";

interface MetricSources {
  writer?: () => WriterStats;
  health: HealthRegistry;
  config: () => ResolvedConfig;
  now: () => number;
  /** Cluster mode's Redis: its gauge is there only when one is configured. */
  shared?: { readonly degraded: boolean };
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = this.registry.add(
    new Counter("smartroute_requests_total", "Chat completion requests by tier, final model and status."),
  );
  private readonly latency = this.registry.add(
    new Histogram("smartroute_request_duration_seconds", "Total request time, by tier."),
  );
  private readonly ttft = this.registry.add(
    new Histogram("smartroute_time_to_first_token_seconds", "Time to the first content sent to the client, by tier."),
  );
  private readonly overhead = this.registry.add(
    new Histogram("smartroute_gateway_overhead_seconds", "Time spent in the gateway itself, upstream time excluded."),
  );
  private readonly attempts = this.registry.add(
    new Counter("smartroute_upstream_attempts_total", "Upstream attempts by target and outcome."),
  );
  private readonly failovers = this.registry.add(
    new Counter("smartroute_failovers_total", "Failovers away from a target (before or after the first byte)."),
  );
  private readonly refused = this.registry.add(
    new Counter(
      "smartroute_refused_total",
      "Requests refused before any route was planned (bad key, key limits, rate limits, budget, bad input), by status and code.",
    ),
  );
  private readonly refusedNotLogged = this.registry.add(
    new Counter(
      "smartroute_refused_not_logged_total",
      "Refused requests left out of the request log by its rate limit, by limit (address: one client address's share; total: the process's).",
    ),
  );
  private readonly reloads = this.registry.add(
    new Counter("smartroute_config_reloads_total", "Config reloads by result (ok / failed)."),
  );

  constructor(sources: MetricSources) {
    // Shown at 0 from the start: a scrape tells "nothing left out" from "not measured".
    for (const limit of ["address", "total"]) this.refusedNotLogged.inc({ limit }, 0);
    const writer = sources.writer;
    const views = () =>
      [...sources.config().targets.keys()].map((target) => sources.health.view(target, sources.now()));
    this.registry.add(
      new Gauge(
        "smartroute_target_health_score",
        "Health score of each target, 0 (failing or in cooldown) to 100.",
        () => views().map((v) => ({ labels: { target: v.target }, value: v.score })),
      ),
    );
    this.registry.add(
      new Gauge(
        "smartroute_target_circuit_state",
        "Circuit state of each target: 0 closed, 1 half-open (probing), 2 open (cooldown).",
        () =>
          views().map((v) => ({
            labels: { target: v.target },
            value: v.state === "closed" ? 0 : v.state === "half_open" ? 1 : 2,
          })),
      ),
    );
    this.registry.add(
      new Gauge("smartroute_target_latency_seconds", "Latency average (EWMA) of each target's answers.", () =>
        views()
          .filter((v) => v.latencyMs !== undefined)
          .map((v) => ({ labels: { target: v.target }, value: v.latencyMs! / 1000 })),
      ),
    );
    this.registry.add(
      new Gauge("smartroute_target_ttft_seconds", "Time-to-first-token average (EWMA) of each target's streams.", () =>
        views()
          .filter((v) => v.ttftMs !== undefined)
          .map((v) => ({ labels: { target: v.target }, value: v.ttftMs! / 1000 })),
      ),
    );
    const shared = sources.shared;
    if (shared)
      this.registry.add(
        new Gauge(
          "smartroute_shared_state_degraded",
          "1 while Redis (GATEWAY_REDIS_URL) is unreachable and per-key limits run on this process alone, else 0.",
          () => [{ value: shared.degraded ? 1 : 0 }],
        ),
      );
    if (writer) {
      this.registry.add(
        new Gauge("smartroute_log_queue_depth", "Request log entries waiting to be written.", () => [
          { value: writer().queued },
        ]),
      );
      this.registry.add(
        new Gauge("smartroute_log_queue_max_depth", "Largest request log queue seen since start.", () => [
          { value: writer().maxQueued },
        ]),
      );
      this.registry.add(
        new Gauge("smartroute_log_rows_written_total", "Request log rows written since start.", () => [
          { value: writer().written },
        ]),
      );
      this.registry.add(
        new Gauge(
          "smartroute_log_dropped_total",
          "Request log data dropped under overload, by kind (bodies: the row kept; rows: lost).",
          () => [
            { labels: { kind: "bodies" }, value: writer().bodiesShed },
            { labels: { kind: "rows" }, value: writer().rowsDropped },
          ],
        ),
      );
    }
  }

  observe(summary: CompletionSummary): void {
    const tier = summary.tier;
    this.requests.inc({ tier, model: summary.target?.ref ?? "", status: String(summary.status) });
    this.latency.observe({ tier }, summary.finishedAt - summary.startedAt);
    if (summary.firstTokenAt !== undefined) this.ttft.observe({ tier }, summary.firstTokenAt - summary.startedAt);
    this.overhead.observe({}, summary.overheadMs);
    for (const attempt of summary.attempts) {
      this.attempts.inc({ target: attempt.target, outcome: attempt.outcome });
      if (attempt.outcome === "failover" || attempt.outcome === "cut") this.failovers.inc({ target: attempt.target });
    }
  }

  /** A refused request (src/store/refused-log.ts); `notLogged`: the limit that kept it out of the log. */
  refusal(status: number, code: string, notLogged?: "address" | "total"): void {
    this.refused.inc({ status: String(status), code });
    if (notLogged) this.refusedNotLogged.inc({ limit: notLogged });
  }

  configReloaded(ok: boolean): void {
    this.reloads.inc({ result: ok ? "ok" : "failed" });
  }

  render(): string {
    return this.registry.render();
  }
}
