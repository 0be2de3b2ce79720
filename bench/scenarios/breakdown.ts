/**
 * Breakdown (opt-in: `npm run bench -- breakdown`): where the gateway's per-request cost goes, by
 * measuring it with parts taken out (bench/gateway-variant.ts) next to the bare proxy. Each variant
 * gets the same throughput run and the same sequential run; the differences between rows are the cost
 * of the part removed.
 */
import { sequentialRun, throughputRun } from "../lib/measure.ts";
import { newResult } from "../lib/report.ts";
import type { Scenario } from "../lib/scenario.ts";
import { type Server, startBareProxy, startGateway, startGatewayVariant, startMock } from "../lib/servers.ts";
import { ms } from "../lib/stats.ts";
import { gatewayTarget, type Target, upstreamTarget } from "../lib/targets.ts";

interface Variant {
  name: string;
  start(): Promise<Server>;
  upstream: boolean;
}

export const breakdown: Scenario = {
  name: "breakdown",
  help: "(opt-in) gateway with parts removed (request log, Elysia + readBody) vs bare proxy  [--seconds 5] [--connections 32] [--requests 1000]",
  async run({ flags, group, log }) {
    const seconds = flags.num("seconds", 5);
    const connections = flags.num("connections", 32);
    const requests = flags.num("requests", 1000);
    const result = newResult("breakdown", "Breakdown: the gateway with parts removed", {
      seconds,
      connections,
      sequentialRequests: requests,
    });

    const mock = await startMock(group);
    const variants: Variant[] = [
      { name: "bare proxy", upstream: true, start: () => startBareProxy(group, mock) },
      { name: "gateway (src/main.ts)", upstream: false, start: () => startGateway(group, mock) },
      { name: "− request log", upstream: false, start: () => startGatewayVariant(group, mock, "no-log", ["--no-log"]) },
      {
        name: "− Elysia (lean Bun.serve route, src readBody)",
        upstream: false,
        start: () => startGatewayVariant(group, mock, "lean-readbody", ["--lean-http", "--src-read-body"]),
      },
      {
        name: "− Elysia and readBody (request.text())",
        upstream: false,
        start: () => startGatewayVariant(group, mock, "lean", ["--lean-http"]),
      },
      {
        name: "− Elysia, readBody and request log",
        upstream: false,
        start: () => startGatewayVariant(group, mock, "lean-no-log", ["--lean-http", "--no-log"]),
      },
    ];

    const rows = [];
    let bare: { rps: number; us: number; p50: number } | undefined;
    for (const variant of variants) {
      const server = await variant.start();
      const target: Target = variant.upstream
        ? upstreamTarget(variant.name, server)
        : gatewayTarget(server, variant.name);
      const run = await throughputRun(group, target, mock, connections, seconds, 1);
      const seq = await sequentialRun(group, target, requests, 200);
      await server.child.stop(); // one variant at a time: idle processes would still hold memory
      const row = { rps: run.load.rps, us: run.serverUsPerRequest, p50: seq.latency.p50 };
      bare ??= row;
      rows.push([
        variant.name,
        row.rps,
        (row.rps / bare.rps).toFixed(2),
        ms(run.load.latency.p99),
        run.cpu.server,
        row.us,
        `+${row.us - bare.us}`,
        ms(row.p50),
        `+${ms(row.p50 - bare.p50)}`,
      ]);
      log(`  ${variant.name}: ${row.rps} req/s, ${row.us} µs CPU/req, sequential p50 ${ms(row.p50)} ms`);
    }
    result.tables.push({
      title: `Per-request cost with parts removed (throughput at c=${connections}; sequential p50 over ${requests} requests)`,
      columns: [
        "variant",
        "req/s",
        "vs bare",
        "p99 ms",
        "CPU server %",
        "server µs/req",
        "µs/req vs bare",
        "sequential p50 ms",
        "p50 vs bare",
      ],
      rows,
    });
    result.notes.push(
      "Variants come from bench/gateway-variant.ts, which uses src/ internals (Gateway, Pipeline) directly; `−` rows are diagnostics, not ways to run the gateway.",
      "`server µs/req` is the server process's CPU time per request (user + system from /proc), the figure that tells what each part costs.",
    );
    result.data = { rows };
    return result;
  },
};
