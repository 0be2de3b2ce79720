/**
 * Soak: mixed traffic with injected faults (429s, resets, error keywords, cut streams, timeouts,
 * hangs) for a while. Each kind of request has the outcomes its fault allows; anything else is a bug.
 * RSS is sampled throughout (start / middle / end tell a leak from a plateau), and at the end the
 * gateway must still be healthy and have released every upstream request.
 */

import { chatBody } from "../lib/models.ts";
import { RssSampler, readMemory } from "../lib/procfs.ts";
import { newResult } from "../lib/report.ts";
import { runLoadProcess } from "../lib/run-load.ts";
import type { Scenario } from "../lib/scenario.ts";
import { logAccounting, logChecks, mockStats, startGateway, startMock } from "../lib/servers.ts";
import { ms } from "../lib/stats.ts";
import { gatewayTarget } from "../lib/targets.ts";
import type { RequestKind } from "../load.ts";
import { mockReply } from "../mock-upstream/wire.ts";

interface Kind extends RequestKind {
  /** What the client may see for this kind; "ok" means a complete, correct answer. */
  allowed: string[];
  /** What is injected, for the table. */
  fault: string;
}

/** Tiers of bench/gateway.bench.config.ts, with the outcome each fault allows. */
function kinds(): Kind[] {
  const kind = (
    name: string,
    tier: string,
    stream: boolean,
    weight: number,
    fault: string,
    allowed: string[],
    tokens?: number,
  ): Kind => ({
    name,
    weight,
    stream,
    fault,
    allowed,
    body: chatBody(tier, stream),
    expectText: tokens === undefined ? undefined : mockReply(tokens),
  });
  return [
    kind("json ok", "t1", false, 6, "none", ["ok"], 8),
    kind("stream ok", "t2", true, 6, "none", ["ok"], 8),
    kind("429 then failover", "soak429", false, 2, "429 retry-after-ms 20 on a, b healthy", ["ok"], 8),
    kind("429 everywhere", "soak429all", false, 1, "429 on the only model", ["http_429", "http_502"]),
    kind("reset then failover", "soakreset", false, 1, "connection reset on a", ["ok"], 8),
    kind("keyword then failover", "soakkeyword", true, 1, '"server overloaded" as content on a', ["ok"], 8),
    kind("cut, continued", "soakcut", true, 1, "stream cut after 3 chunks, b continues (prefill)", ["ok"], 12),
    kind("cut, no fallback", "soakcutall", true, 1, "stream cut after 3 chunks, no fallback", [
      "stream_error:stream_cut",
    ]),
    kind("slow first token", "soaktimeout", true, 1, "first token after 2 s, budget 300 ms", ["http_504"]),
    kind("hang", "soakhang", false, 1, "no response at all, budget 300 ms", ["http_504"]),
  ];
}

export const soak: Scenario = {
  name: "soak",
  help: "mixed traffic with faults; RSS over time, outcomes by kind, health after  [--duration 60] [--connections 16]",
  async run({ flags, group, log }) {
    const duration = flags.num("duration", 60);
    const connections = flags.num("connections", 16);
    const list = kinds();
    // The load generator gets the requests only; `allowed` and `fault` stay here for judging.
    const requests: RequestKind[] = list.map(({ name, weight, body, stream, expectText }) => ({
      name,
      weight,
      body,
      stream,
      expectText,
    }));
    const result = newResult("soak", `Soak: ${duration} s of mixed traffic with faults`, {
      durationSeconds: duration,
      connections,
    });

    const mock = await startMock(group);
    const server = await startGateway(group, mock);
    const target = gatewayTarget(server);
    await runLoadProcess(group, {
      url: target.url,
      headers: target.headers,
      kinds: requests,
      connections: 4,
      requests: 200,
      timeoutMs: 10_000,
    });
    const startMb = readMemory(server.pid)?.rssMb ?? NaN;

    const sampler = new RssSampler(server.pid, 100);
    log(`  running ${duration} s...`);
    const load = await runLoadProcess(group, {
      url: target.url,
      headers: target.headers,
      kinds: requests,
      connections,
      durationMs: duration * 1000,
      timeoutMs: 30_000,
    });
    const rss = sampler.stop();

    // Every request the gateway finished has its log row, and nothing was dropped (DESIGN §10).
    const accounting = await logAccounting(server);

    // After the load: healthy, still answering, and no upstream request left open.
    await Bun.sleep(1500);
    const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status,
      () => 0,
    );
    const probe = await fetch(target.url, {
      method: "POST",
      headers: target.headers,
      body: chatBody("t1", false),
      signal: AbortSignal.timeout(5000),
    }).then(
      (r) => r.status,
      () => 0,
    );
    const upstreamOpen = (await mockStats(mock)).open;
    const endMb = readMemory(server.pid)?.rssMb ?? NaN;

    let unexpected = 0;
    const rows = list.map((k) => {
      const r = load.byKind[k.name];
      const outcomes = r?.outcomes ?? {};
      const bad = Object.entries(outcomes)
        .filter(([o]) => !k.allowed.includes(o))
        .reduce((sum, [, n]) => sum + n, 0);
      unexpected += bad;
      const seen = Object.entries(outcomes)
        .map(([o, n]) => `${o} ${n}`)
        .join(", ");
      return [
        k.name,
        k.fault,
        k.allowed.join(" or "),
        r?.requests ?? 0,
        seen || "-",
        bad,
        ms(r?.latency.p50 ?? NaN),
        ms(r?.latency.p99 ?? NaN),
      ];
    });
    result.tables.push({
      title: `Outcomes by kind of request (${load.requests} requests, ${load.rps} req/s, ${connections} connections)`,
      columns: ["kind", "injected", "allowed", "requests", "outcomes", "unexpected", "p50 ms", "p99 ms"],
      rows,
    });
    const mid = sampler.at(0.5);
    const end = sampler.at(1);
    result.tables.push({
      title: "Gateway RSS (MB)",
      columns: ["after warm-up", "10 %", "middle", "end of load", "peak (VmHWM)", "1.5 s after"],
      rows: [
        [
          startMb.toFixed(1),
          sampler.at(0.1).toFixed(1),
          mid.toFixed(1),
          end.toFixed(1),
          rss.hwmMb.toFixed(1),
          endMb.toFixed(1),
        ],
      ],
    });
    const injected = load.requests - (load.outcomes.ok ?? 0) - unexpected;
    result.checks.push(
      {
        name: "unexpected outcomes (only injected faults may fail)",
        target: "0",
        measured: `${unexpected} (injected failures: ${injected})`,
        pass: unexpected === 0,
      },
      {
        name: "healthy after the soak (/healthz, a t1 request)",
        target: "200, 200",
        measured: `${health}, ${probe}`,
        pass: health === 200 && probe === 200,
      },
      {
        name: "upstream requests left open after the soak",
        target: "0",
        measured: String(upstreamOpen),
        pass: upstreamOpen === 0,
      },
      ...logChecks(accounting, "soak"),
    );
    const growth = end - mid;
    result.notes.push(
      `RSS from the middle to the end of the load: ${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB (a steady rise across a 10-minute run, \`--duration 600\`, would point to a leak).`,
    );
    if (load.errors.length > 0) result.notes.push(`Network errors seen by the client: ${load.errors.join("; ")}`);
    result.data = {
      outcomes: load.outcomes,
      byKind: load.byKind,
      rss: { startMb, peakSampledMb: rss.peakRssMb, hwmMb: rss.hwmMb, midMb: mid, endMb: end, afterMb: endMb },
      health,
      probe,
      upstreamOpen,
    };
    log(`  ${load.requests} requests, unexpected ${unexpected}, RSS ${startMb.toFixed(1)} → ${end.toFixed(1)} MB`);
    return result;
  },
};
