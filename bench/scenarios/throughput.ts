/**
 * Throughput: closed-loop non-stream requests with a small body at fixed concurrency, against the mock
 * directly, the bare proxy and the gateway. DESIGN §10: gateway requests/s ≥ 0.5 × the bare proxy's.
 */

import { type ThroughputRun, throughputRun } from "../lib/measure.ts";
import { chatBody } from "../lib/models.ts";
import { type Check, newResult, type Table } from "../lib/report.ts";
import type { Scenario } from "../lib/scenario.ts";
import { logAccounting, logChecks, startBareProxy, startGateway, startMock } from "../lib/servers.ts";
import { ms } from "../lib/stats.ts";
import { gatewayTarget, type Target, upstreamTarget } from "../lib/targets.ts";
import { runWrk, wrkAvailable } from "../lib/wrk.ts";
import type { LoadResult } from "../load.ts";

interface Row extends ThroughputRun {
  concurrency: number;
  target: string;
}

const errorsOf = (load: LoadResult) => load.requests - (load.outcomes.ok ?? 0);

export const throughput: Scenario = {
  name: "throughput",
  help: "non-stream req/s at fixed concurrency: mock, bare proxy, gateway  [--seconds 5] [--warmup 1] [--concurrency 32,128] [--no-wrk]",
  async run({ flags, group, log }) {
    const seconds = flags.num("seconds", 5);
    const warmup = flags.num("warmup", 1);
    const levels = flags.nums("concurrency", [32, 128]);
    const result = newResult("throughput", "Throughput (non-stream, small body)", {
      seconds,
      warmupSeconds: warmup,
      concurrency: levels.join("/"),
    });

    const mock = await startMock(group);
    const targets: Target[] = [
      upstreamTarget("direct mock", mock),
      upstreamTarget("bare proxy", await startBareProxy(group, mock)),
      gatewayTarget(await startGateway(group, mock)),
    ];

    const rows: Row[] = [];
    for (const connections of levels) {
      for (const target of targets) {
        const run = await throughputRun(group, target, mock, connections, seconds, warmup);
        rows.push({ concurrency: connections, target: target.name, ...run });
        log(
          `  c=${connections} ${target.name}: ${run.load.rps} req/s, p50 ${ms(run.load.latency.p50)} ms, p99 ${ms(run.load.latency.p99)} ms`,
        );
      }
    }

    result.tables.push({
      title: "Requests/s and latency (ms) by concurrency; CPU as % of one core",
      columns: [
        "conc.",
        "target",
        "req/s",
        "p50",
        "p90",
        "p99",
        "max",
        "non-2xx/err",
        "CPU load",
        "CPU server",
        "CPU mock",
        "server µs/req",
      ],
      rows: rows.map(({ concurrency, target, load, cpu, serverUsPerRequest }) => [
        concurrency,
        target,
        load.rps,
        ms(load.latency.p50),
        ms(load.latency.p90),
        ms(load.latency.p99),
        ms(load.latency.max),
        errorsOf(load),
        cpu.load,
        cpu.server,
        cpu.mock ?? "-",
        target === "direct mock" ? "-" : serverUsPerRequest,
      ]),
    });

    const checks: Check[] = [];
    for (const connections of levels) {
      const at = (name: string) => rows.find((r) => r.concurrency === connections && r.target === name)?.load;
      const bare = at("bare proxy");
      const gateway = at("gateway");
      if (!bare || !gateway) continue;
      const ratio = gateway.rps / bare.rps;
      checks.push({
        name: `gateway/bare-proxy req/s at c=${connections}`,
        target: "≥ 0.50",
        measured: `${ratio.toFixed(2)} (${gateway.rps} / ${bare.rps})`,
        pass: ratio >= 0.5,
      });
      checks.push({
        name: `gateway errors at c=${connections}`,
        target: "0",
        measured: String(errorsOf(gateway)),
        pass: errorsOf(gateway) === 0,
      });
    }
    result.checks.push(...checks);
    const gatewayServer = targets.find((t) => t.name === "gateway")!.server;
    result.checks.push(...logChecks(await logAccounting(gatewayServer), "peak load, every level"));

    if (!flags.has("no-wrk") && wrkAvailable()) {
      const connections = levels[0] ?? 32;
      const wrkRows: Table["rows"] = [];
      for (const target of targets) {
        const wrk = await runWrk(group, {
          url: target.url,
          headers: target.headers,
          body: chatBody(target.model("plain"), false),
          connections,
          seconds,
        });
        const bun = rows.find((r) => r.concurrency === connections && r.target === target.name)?.load;
        wrkRows.push([target.name, wrk.rps, bun?.rps ?? "-", ms(wrk.p50), ms(wrk.p99), wrk.errors]);
        if (bun && wrk.rps > bun.rps * 1.2) {
          result.notes.push(
            `wrk reached ${wrk.rps} req/s against the ${target.name}, ${(wrk.rps / bun.rps).toFixed(1)}× bench/load.ts: for that row the Bun load generator was the limit, so its figure is a lower bound.`,
          );
        }
        log(`  wrk c=${connections} ${target.name}: ${wrk.rps} req/s`);
      }
      result.tables.push({
        title: `Cross-check with wrk (c=${connections}, 1 thread)`,
        columns: ["target", "wrk req/s", "bench/load.ts req/s", "wrk p50", "wrk p99", "wrk non-2xx/err"],
        rows: wrkRows,
      });
    } else {
      result.notes.push(
        "wrk not installed (or --no-wrk): no cross-check of the load generator; `apt-get install -y wrk` adds one.",
      );
    }

    result.notes.push(
      "Load generator: bench/load.ts (Bun fetch, keep-alive) in its own process, closed loop: each connection sends its next request when the previous answer is read.",
      "On 2 cores the three processes compete for the CPU: `CPU load` near 100 means the load generator was busy all the time; `server µs/req` (server CPU time per request) is the cost figure that does not depend on who was the bottleneck.",
    );
    result.data = {
      rows: rows.map((r) => ({
        concurrency: r.concurrency,
        target: r.target,
        rps: r.load.rps,
        latency: r.load.latency,
        outcomes: r.load.outcomes,
        cpu: r.cpu,
        serverUsPerRequest: r.serverUsPerRequest,
      })),
    };
    return result;
  },
};
