/**
 * Admin routes to look at traffic and routing: logs (list, detail, export, live tail), stats, health of
 * every target (and resetting one), explain, and a one-request model test. All behind the admin guard.
 */
import { Elysia } from "elysia";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import { callDirect } from "../../pipeline/direct-call.ts";
import { healthVerdict, healthWindowRange } from "../../routing/health-window.ts";
import type { LogReader } from "../../store/log-reader.ts";
import { emptyTargetWindow } from "../../store/queries/target-stats.ts";
import { logTailResponse, type TailFilter } from "../log-tail.ts";
import { bodyOf, queryOf } from "./admin-input.ts";
import type { Answer } from "./contract/routes.ts";
import { logFilter, logSort, timeParam } from "./query-params.ts";

const HOUR = 3_600_000;

function requireLogs(gateway: Gateway): LogReader {
  if (!gateway.logs) throw new GatewayError("not_found", "The request log is not enabled (no data directory).");
  return gateway.logs;
}

/** `undefined` for a store that is away (a 503), the error itself otherwise. */
function unlessUnavailable(error: unknown): undefined {
  if (error instanceof GatewayError && error.status === 503) return undefined;
  throw error;
}

export function observeRoutes(gateway: Gateway) {
  return (
    new Elysia()
      .get("/logs", ({ request }): Promise<Answer<"GET /api/logs">> => {
        const query = queryOf(request, "GET /api/logs");
        const page = { cursor: query.cursor, limit: query.limit };
        return requireLogs(gateway).listLogs(logFilter(query), page, logSort(query));
      })
      .get("/logs/count", ({ request }): Promise<Answer<"GET /api/logs/count">> => {
        return requireLogs(gateway).countLogs(logFilter(queryOf(request, "GET /api/logs/count")));
      })
      .get("/logs/export", async ({ request }) => {
        const query = queryOf(request, "GET /api/logs/export");
        const format = query.format ?? "csv";
        const stamp = new Date().toISOString().replace(/[:.]/g, "-");
        return new Response(await requireLogs(gateway).exportLogs(logFilter(query), format, logSort(query)), {
          headers: {
            "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
            "content-disposition": `attachment; filename="smartroute-logs-${stamp}.${format}"`,
          },
        });
      })
      .get("/logs/tail", ({ request }) => {
        if (!gateway.tail) throw new GatewayError("not_found", "The request log is not enabled (no data directory).");
        const { tier, model, status } = queryOf(request, "GET /api/logs/tail");
        const filter: TailFilter = { tier, model, status: status === "ok" || status === "error" ? status : undefined };
        return logTailResponse(gateway.tail, filter, request.signal);
      })
      .get("/logs/:id", async ({ params }): Promise<Answer<"GET /api/logs/:id">> => {
        const detail = await requireLogs(gateway).getLog(params.id);
        if (!detail)
          throw new GatewayError("not_found", `No request ${params.id} in the log (it may have been pruned).`);
        return detail;
      })
      .get("/stats", async ({ request }): Promise<Answer<"GET /api/stats">> => {
        const { bucketMs, tier, model, ...range } = queryOf(request, "GET /api/stats");
        const to = timeParam(range, "to") ?? gateway.clock.now();
        const from = timeParam(range, "from") ?? to - HOUR;
        if (from >= to) throw new GatewayError("invalid_request", "from must be before to", { param: "from" });
        const baseline = gateway.live.get().pricingBaseline;
        const logs = requireLogs(gateway);
        // Refused requests are in no rollup (no tier or model): counted from their rows, by code.
        const [stats, refused] = await Promise.all([
          logs.queryStats({ from, to, bucketMs, tier, model, baseline }),
          logs.refusedTotals({ from, to, tier, model }),
        ]);
        return { ...stats, refused };
      })
      .get("/cluster", async (): Promise<Answer<"GET /api/cluster">> => {
        const cluster = gateway.sharedConfig;
        if (!cluster) return { enabled: false, replicas: [] };
        return { enabled: true, self: cluster.name, ...(await cluster.replicas()) };
      })
      .get("/health", async ({ request }): Promise<Answer<"GET /api/health">> => {
        const config = gateway.live.get();
        const now = gateway.clock.now();
        const { window: key = "1h" } = queryOf(request, "GET /api/health");
        const logs = gateway.logs;
        // The live health is this process's own: with the log's database away it is still answered,
        // without the windows' figures.
        const windows = logs
          ? await logs.targetWindows(healthWindowRange(key, now)).catch(unlessUnavailable)
          : undefined;
        const range = windows ? healthWindowRange(key, now) : undefined;
        return {
          window: range,
          targets: [...config.targets.keys()].map((ref) => {
            const view = gateway.health.view(ref, now);
            // A target without an attempt in the window still gets its (empty) figures when there is a log.
            const window = range && windows ? (windows.get(ref) ?? emptyTargetWindow(ref, range)) : undefined;
            return {
              ...view,
              tiers: Object.values(config.tiers)
                .filter((t) => t.targets.some((x) => x.ref === ref))
                .map((t) => t.name),
              window,
              verdict: healthVerdict(view, window?.totals),
            };
          }),
        };
      })
      .post("/health/reset", async ({ request }): Promise<Answer<"POST /api/health/reset">> => {
        const { target } = await bodyOf(request, "POST /api/health/reset");
        if (!gateway.live.get().targets.has(target))
          throw new GatewayError("invalid_request", "target must be a configured provider/model", { param: "target" });
        gateway.health.reset(target, gateway.clock.now());
        return { ok: true, health: gateway.health.view(target, gateway.clock.now()) };
      })
      // The pipeline parses this body itself, as /v1 does: same refusals, same size limits (inputs.ts ChatBody).
      .post(
        "/explain",
        async ({ request }): Promise<Answer<"POST /api/explain">> => gateway.explain(await request.text()),
      )
      .post("/models/test", async ({ request }): Promise<Answer<"POST /api/models/test">> => {
        const { model } = await bodyOf(request, "POST /api/models/test");
        const config = gateway.live.get();
        const started = performance.now();
        try {
          const answer = await callDirect(
            config,
            gateway.pipeline.deps,
            { model, messages: [{ role: "user", content: "Reply with the single word OK." }], max_tokens: 5 },
            { timeoutMs: 15_000, signal: request.signal },
          );
          return {
            ok: true,
            model,
            latencyMs: Math.round(performance.now() - started),
            answer: answer.text.slice(0, 200),
            usage: answer.usage,
          };
        } catch (error) {
          return {
            ok: false,
            model,
            latencyMs: Math.round(performance.now() - started),
            error: error instanceof Error ? error.message : String(error),
          };
        }
      })
  );
}
