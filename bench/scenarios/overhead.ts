/**
 * Overhead: one request at a time (no queueing anywhere), so latency is pure per-request cost. The
 * gateway's added latency is its median minus the bare proxy's. DESIGN §10: under 0.2 ms.
 *
 * Targets alternate in rounds so slow drift of the machine (other tenants, CPU frequency) falls on all
 * of them alike; the samples of a target's rounds are merged before taking percentiles.
 */

import { sequentialRun } from "../lib/measure.ts";
import { chatBody } from "../lib/models.ts";
import { newResult } from "../lib/report.ts";
import { runLoadProcess } from "../lib/run-load.ts";
import type { Scenario } from "../lib/scenario.ts";
import { startBareProxy, startGateway, startMock } from "../lib/servers.ts";
import { ms, type Summary, summarize } from "../lib/stats.ts";
import { gatewayTarget, type Target, upstreamTarget } from "../lib/targets.ts";

const HEADER = "x-gateway-overhead-ms";

export const overhead: Scenario = {
  name: "overhead",
  help: "sequential single requests: gateway minus bare proxy latency  [--requests 2000] [--warmup 300] [--rounds 2]",
  async run({ flags, group, log }) {
    const requests = flags.num("requests", 2000);
    const warmup = flags.num("warmup", 300);
    const rounds = Math.max(1, flags.num("rounds", 2));
    const result = newResult("overhead", "Added latency (sequential, non-stream)", { requests, warmup, rounds });

    const mock = await startMock(group);
    const targets: Target[] = [
      upstreamTarget("direct mock", mock),
      upstreamTarget("bare proxy", await startBareProxy(group, mock)),
      gatewayTarget(await startGateway(group, mock)),
    ];

    const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const load = await sequentialRun(group, target, Math.ceil(requests / rounds), warmup, true);
        samples.get(target.name)?.push(...(load.samples ?? []));
        log(`  round ${round + 1} ${target.name}: p50 ${ms(load.latency.p50)} ms`);
      }
    }

    // The gateway's own view of its overhead, from one more short run that reads the header.
    const gateway = targets[2];
    const headerRun = gateway
      ? await runLoadProcess(group, {
          url: gateway.url,
          headers: gateway.headers,
          kinds: [{ name: "chat", body: chatBody(gateway.model("plain"), false), stream: false }],
          connections: 1,
          requests: 500,
          warmupRequests: 50,
          timeoutMs: 10_000,
          recordHeader: HEADER,
        })
      : undefined;

    const summaries = new Map<string, Summary>(targets.map((t) => [t.name, summarize(samples.get(t.name) ?? [])]));
    const bare = summaries.get("bare proxy");
    const gw = summaries.get("gateway");
    result.tables.push({
      title: "Latency per request (ms), one request at a time",
      columns: ["target", "requests", "p50", "p90", "p99", "max", "p50 vs bare proxy", "p99 vs bare proxy"],
      rows: targets.map((t) => {
        const s = summaries.get(t.name) ?? summarize([]);
        const vs = (a: number, b: number | undefined) =>
          b === undefined || t.name === "bare proxy" ? "" : `${a - b >= 0 ? "+" : ""}${ms(a - b)}`;
        return [
          t.name,
          s.count,
          ms(s.p50),
          ms(s.p90),
          ms(s.p99),
          ms(s.max),
          vs(s.p50, bare?.p50),
          vs(s.p99, bare?.p99),
        ];
      }),
    });

    if (bare && gw) {
      const added = gw.p50 - bare.p50;
      result.checks.push({
        name: "median added latency, gateway − bare proxy",
        target: "< 0.2 ms",
        measured: `${ms(added)} ms (${ms(gw.p50)} − ${ms(bare.p50)})`,
        pass: added < 0.2,
      });
    }
    const header = headerRun?.header;
    if (header) {
      result.tables.push({
        title: `The gateway's own ${HEADER} header over ${header.count} sequential requests`,
        columns: ["p50", "p90", "p99", "max", "mean"],
        rows: [[ms(header.p50), ms(header.p90), ms(header.p99), ms(header.max), ms(header.mean)]],
      });
      result.notes.push(
        `${HEADER} is the gateway's own measure (its time minus time waiting on the upstream, sub-millisecond clock): median ${ms(header.p50)} ms. It leaves out the HTTP server and socket work a client also waits for, so the end-to-end difference above is the measurement that counts.`,
      );
    }
    result.data = { summaries: Object.fromEntries(summaries), header };
    return result;
  },
};
