/**
 * Streaming: what the gateway adds to a stream. DESIGN §10: under 1 ms added to the first token, and
 * chunks never batched (every content event the upstream produced apart reaches the client apart).
 *
 * 1. First token: short streams one at a time (first content 5 ms after the headers), fetch → first
 *    read holding content, direct vs bare proxy vs gateway.
 * 2. Pacing: long streams (200 content events 5 ms apart), a few at once; every gap between content
 *    reads, and content events that arrived in the same read as another ("batched").
 * 3. First token by shape and client (first-token-shapes.ts): first content 5 ms after the headers or
 *    with them, long streams back to back, read by Bun and by Node's fetch.
 */

import { SHAPES, tokensOf } from "../lib/models.ts";
import { newResult } from "../lib/report.ts";
import { runLoadProcess } from "../lib/run-load.ts";
import type { Scenario } from "../lib/scenario.ts";
import { startBareProxy, startGateway, startMock } from "../lib/servers.ts";
import { ms } from "../lib/stats.ts";
import { gatewayTarget, streamKind, type Target, upstreamTarget } from "../lib/targets.ts";
import type { LoadResult } from "../load.ts";
import { firstTokenShapes } from "./first-token-shapes.ts";

const signed = (value: number) => `${value >= 0 ? "+" : ""}${ms(value)}`;

export const streaming: Scenario = {
  name: "streaming",
  help: "first-token latency and chunk pacing, direct vs bare proxy vs gateway  [--first 300] [--streams 16] [--parallel 4] [--shape-streams 100] [--long 10] [--no-shapes]",
  async run({ flags, group, log }) {
    const firstCount = flags.num("first", 300);
    const streams = flags.num("streams", 16);
    const parallel = Math.max(1, flags.num("parallel", 4));
    const result = newResult("streaming", "Streaming: first token and chunk pacing", {
      firstTokenStreams: firstCount,
      firstShape: SHAPES.first,
      pacingStreams: streams,
      parallel,
      pacingShape: SHAPES.stream,
    });

    const mock = await startMock(group);
    const targets: Target[] = [
      upstreamTarget("direct mock", mock),
      upstreamTarget("bare proxy", await startBareProxy(group, mock)),
      // The floor for a proxy that reads every chunk in JS, as the gateway must (the native one does not).
      upstreamTarget("bare proxy, JS relay", await startBareProxy(group, mock, { RELAY: "js" })),
      gatewayTarget(await startGateway(group, mock)),
    ];

    const run = (
      target: Target,
      shape: "first" | "stream",
      connections: number,
      requests: number,
      warmupRequests: number,
    ) =>
      runLoadProcess(group, {
        url: target.url,
        headers: target.headers,
        kinds: [streamKind(target, shape)],
        connections,
        requests,
        warmupRequests,
        timeoutMs: 30_000,
      });

    const first = new Map<string, LoadResult>();
    const pacing = new Map<string, LoadResult>();
    for (const target of targets) {
      first.set(target.name, await run(target, "first", 1, firstCount, 30));
      const paced = await run(target, "stream", parallel, streams, parallel);
      pacing.set(target.name, paced);
      log(
        `  ${target.name}: first token p50 ${ms(first.get(target.name)?.firstToken.p50 ?? NaN)} ms, gap p50 ${ms(paced.gaps.p50)} ms, batched ${paced.batched}`,
      );
    }

    const direct = { first: first.get("direct mock"), pacing: pacing.get("direct mock") };
    result.tables.push({
      title: `First token (ms from request to first content read), ${firstCount} sequential streams; the mock sends it 5 ms after its headers`,
      columns: ["target", "p50", "p90", "p99", "max", "added p50", "added p99", "ok"],
      rows: targets.map((t) => {
        const r = first.get(t.name);
        const f = r?.firstToken;
        if (!r || !f) return [t.name, "-", "-", "-", "-", "-", "-", "-"];
        const added =
          t.name === "direct mock" || !direct.first
            ? ["", ""]
            : [signed(f.p50 - direct.first.firstToken.p50), signed(f.p99 - direct.first.firstToken.p99)];
        return [t.name, ms(f.p50), ms(f.p90), ms(f.p99), ms(f.max), ...added, `${r.outcomes.ok ?? 0}/${r.requests}`];
      }),
    });
    result.tables.push({
      title: `Gaps between content reads (ms), ${streams} streams of ${tokensOf(SHAPES.stream)} events, ${parallel} at a time`,
      columns: [
        "target",
        "events",
        "p50",
        "p90",
        "p99",
        "max",
        "p50 vs direct",
        "p99 vs direct",
        "max vs direct",
        "batched",
        "ok",
      ],
      rows: targets.map((t) => {
        const r = pacing.get(t.name);
        if (!r) return [t.name, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"];
        const g = r.gaps;
        const d = direct.pacing?.gaps;
        const vs =
          t.name === "direct mock" || !d
            ? ["", "", ""]
            : [signed(g.p50 - d.p50), signed(g.p99 - d.p99), signed(g.max - d.max)];
        return [
          t.name,
          r.contentEvents,
          ms(g.p50),
          ms(g.p90),
          ms(g.p99),
          ms(g.max),
          ...vs,
          r.batched,
          `${r.outcomes.ok ?? 0}/${r.requests}`,
        ];
      }),
    });

    const gwFirst = first.get("gateway");
    const gwPacing = pacing.get("gateway");
    if (gwFirst && direct.first) {
      const added = gwFirst.firstToken.p50 - direct.first.firstToken.p50;
      result.checks.push({
        name: "first token added (median), gateway − direct",
        target: "< 1 ms",
        measured: `${ms(added)} ms`,
        pass: added < 1,
      });
      const addedP99 = gwFirst.firstToken.p99 - direct.first.firstToken.p99;
      result.notes.push(`First token added at p99: ${ms(addedP99)} ms (not a budget; shown for tail behaviour).`);
    }
    if (gwPacing) {
      result.checks.push({
        name: "batched content chunks through the gateway",
        target: "0",
        measured: String(gwPacing.batched),
        pass: gwPacing.batched === 0,
      });
      const complete = (gwPacing.outcomes.ok ?? 0) + (gwFirst?.outcomes.ok ?? 0);
      const total = gwPacing.requests + (gwFirst?.requests ?? 0);
      result.checks.push({
        name: "gateway streams complete with the full text",
        target: `${total}/${total}`,
        measured: `${complete}/${total}`,
        pass: complete === total,
      });
    }
    let shapes: Awaited<ReturnType<typeof firstTokenShapes>> | undefined;
    if (!flags.has("no-shapes")) {
      const counts = { short: flags.num("shape-streams", 100), long: flags.num("long", 10) };
      shapes = await firstTokenShapes(group, targets, counts, log);
      result.tables.push(shapes.table);
      result.checks.push(...shapes.checks);
    }
    result.notes.push(
      "The gateway holds a stream until its first content event (to fail over invisibly), then sends the role event and the first content together: that is by design and not counted as batching (only content events are).",
    );
    result.data = {
      shapes: shapes?.data,
      firstToken: Object.fromEntries(
        [...first].map(([k, v]) => [k, { firstToken: v.firstToken, ttfb: v.ttfb, outcomes: v.outcomes }]),
      ),
      pacing: Object.fromEntries(
        [...pacing].map(([k, v]) => [
          k,
          {
            gaps: v.gaps,
            batched: v.batched,
            contentEvents: v.contentEvents,
            firstToken: v.firstToken,
            outcomes: v.outcomes,
          },
        ]),
      ),
    };
    return result;
  },
};
