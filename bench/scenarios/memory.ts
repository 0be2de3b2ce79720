/**
 * Memory: 1 000 slow streams at once through the gateway (100 content events 20 ms apart, about 2 s
 * each). DESIGN §10: under 150 MB. Every stream must end with the full text and [DONE].
 *
 * RSS is read from /proc every 100 ms, and the kernel's own peak (VmHWM) catches what falls between
 * samples. The mock's count of open streams shows how many upstream streams really ran at once: Bun's
 * fetch runs at most BUN_CONFIG_MAX_HTTP_REQUESTS (default 256) requests at a time per process, which
 * src/main.ts raises at start (src/runtime-defaults.ts; the `default` variant); `smol` adds `bun --smol` (a smaller heap,
 * collected more often), `cap256` shows Bun's own default. References: the bare proxy passing the body
 * through natively (what 1 000 proxied streams cost in Bun itself) and reading it in JS (the floor for
 * any relay that looks at the events, as the gateway's must).
 *
 * At scale (issue 16): `BENCH_SLOW_SHAPE="tokens=20&chunkDelayMs=1000" npm run bench -- memory --streams
 * 9000 --variants default,bare`: slow streams (20 s each) so that all of them are open at once. 9,000 is
 * the most one process holds here: each stream is two sockets, and the gateway's derived
 * `limits.maxInFlight` keeps a tenth of the open-file limit (20,000 on this machine) for everything else.
 */

import { RUNTIME_DEFAULTS } from "../../src/runtime-defaults.ts";
import { chatBody, SHAPES, tokensOf } from "../lib/models.ts";
import { RssSampler, readMemory } from "../lib/procfs.ts";
import { newResult } from "../lib/report.ts";
import { runLoadProcess } from "../lib/run-load.ts";
import type { Scenario, ScenarioContext } from "../lib/scenario.ts";
import {
  mockStats,
  type Server,
  startBareProxy,
  startGateway,
  startGatewayVariant,
  startMock,
} from "../lib/servers.ts";
import { ms } from "../lib/stats.ts";
import { gatewayTarget, upstreamTarget } from "../lib/targets.ts";
import { mockReply } from "../mock-upstream/wire.ts";

const BUDGET_MB = 150;
/** The bare proxies get the gateway's own fetch limit, so the references queue no stream it does not. */
const RAISED_CAP = RUNTIME_DEFAULTS.BUN_CONFIG_MAX_HTTP_REQUESTS;

interface VariantResult {
  variant: string;
  gateway: boolean;
  idleMb: number;
  warmMb: number;
  peakSampledMb: number;
  hwmMb: number;
  afterMb: number;
  upstreamPeakOpen: number;
  ok: number;
  streams: number;
  elapsedMs: number;
  firstToken: { p50: number; p99: number };
  outcomes: Record<string, number>;
}

/** Polls the mock's open-stream count every 100 ms; returns the highest seen. */
function watchOpenStreams(mock: Server): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        peak = Math.max(peak, (await mockStats(mock)).open);
      } catch {
        // a missed sample under load is fine
      }
      await Bun.sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

interface Variant {
  key: string;
  label: string;
  /** The gateway (budget checked) or a reference (the bare proxy). */
  gateway: boolean;
  start(): Promise<Server>;
}

async function measure(
  context: ScenarioContext,
  mock: Server,
  variant: Variant,
  streams: number,
): Promise<VariantResult> {
  const { group, log } = context;
  const server = await variant.start();
  const target = variant.gateway ? gatewayTarget(server) : upstreamTarget(variant.label, server);
  await Bun.sleep(500);
  const idleMb = readMemory(server.pid)?.rssMb ?? NaN;
  // Warm-up: load the code paths (non-stream and stream) so the baseline is the server at work, idle.
  for (const shape of ["plain", "first"] as const) {
    await runLoadProcess(group, {
      url: target.url,
      headers: target.headers,
      kinds: [{ name: shape, body: chatBody(target.model(shape), shape !== "plain"), stream: shape !== "plain" }],
      connections: 4,
      requests: 100,
      timeoutMs: 10_000,
    });
  }
  await Bun.sleep(300);
  const warmMb = readMemory(server.pid)?.rssMb ?? NaN;

  const sampler = new RssSampler(server.pid, 100);
  const upstream = watchOpenStreams(mock);
  const load = await runLoadProcess(group, {
    url: target.url,
    headers: target.headers,
    kinds: [
      {
        name: "slow",
        body: chatBody(target.model("slow"), true),
        stream: true,
        expectText: mockReply(tokensOf(SHAPES.slow)),
      },
    ],
    connections: streams,
    requests: streams,
    timeoutMs: 60_000,
  });
  const upstreamPeakOpen = await upstream.stop();
  const rss = sampler.stop();
  await Bun.sleep(1000);
  const afterMb = readMemory(server.pid)?.rssMb ?? NaN;
  await server.child.stop(); // one at a time, so the machine's memory is not shared with the last one
  log(
    `  ${variant.label}: peak RSS ${rss.peakRssMb.toFixed(1)} MB (HWM ${rss.hwmMb.toFixed(1)}), upstream open peak ${upstreamPeakOpen}, ok ${load.outcomes.ok ?? 0}/${load.requests}`,
  );
  return {
    variant: variant.label,
    gateway: variant.gateway,
    idleMb,
    warmMb,
    peakSampledMb: rss.peakRssMb,
    hwmMb: rss.hwmMb,
    afterMb,
    upstreamPeakOpen,
    ok: load.outcomes.ok ?? 0,
    streams: load.requests,
    elapsedMs: load.elapsedMs,
    firstToken: { p50: load.firstToken.p50, p99: load.firstToken.p99 },
    outcomes: load.outcomes,
  };
}

export const memory: Scenario = {
  name: "memory",
  help: "peak RSS with 1 000 concurrent slow streams  [--streams 1000] [--variants default,smol,bare,jsrelay] (also: cap256; diagnostics: nolog,lean)",
  async run(context) {
    const { flags, group } = context;
    const streams = flags.num("streams", 1000);
    const wanted = flags.words("variants", ["default", "smol", "bare", "jsrelay"]);
    // The gateways get the runtime defaults from startGateway; the bare proxies need the same fetch limit.
    const raised = { BUN_CONFIG_MAX_HTTP_REQUESTS: RAISED_CAP };
    const mock = await startMock(group);
    const variants: Variant[] = [
      {
        key: "default",
        label: "gateway, as npm run gateway starts it",
        gateway: true,
        start: () => startGateway(group, mock, { name: "gateway (default)" }),
      },
      {
        key: "cap256",
        label: "gateway, Bun's default of 256 upstream requests",
        gateway: true,
        start: () => startGateway(group, mock, { env: { BUN_CONFIG_MAX_HTTP_REQUESTS: "256" }, name: "gateway (256)" }),
      },
      {
        key: "smol",
        label: `gateway, same + bun --smol`,
        gateway: true,
        start: () => startGateway(group, mock, { bunFlags: ["--smol"], name: "gateway (smol)" }),
      },
      // Diagnostics, only when asked for (--variants nolog,lean): the gateway with parts removed.
      {
        key: "nolog",
        label: "gateway − request log, raised limit",
        gateway: true,
        start: () => startGatewayVariant(group, mock, "no-log", ["--no-log"]),
      },
      {
        key: "lean",
        label: "gateway − Elysia/readBody − request log, raised limit",
        gateway: true,
        start: () => startGatewayVariant(group, mock, "lean", ["--lean-http", "--no-log"]),
      },
      {
        key: "bare",
        label: `bare proxy, BUN_CONFIG_MAX_HTTP_REQUESTS=${RAISED_CAP}`,
        gateway: false,
        start: () => startBareProxy(group, mock, raised),
      },
      {
        key: "jsrelay",
        label: "bare proxy, JS relay (RELAY=js), same limit",
        gateway: false,
        start: () => startBareProxy(group, mock, { ...raised, RELAY: "js" }),
      },
    ].filter((v) => wanted.includes(v.key));
    const result = newResult("memory", `Memory: ${streams} concurrent streams`, {
      streams,
      shape: SHAPES.slow,
      budgetMb: BUDGET_MB,
    });
    const rows: VariantResult[] = [];
    for (const variant of variants) rows.push(await measure(context, mock, variant, streams));

    result.tables.push({
      title: `RSS (MB) around ${streams} concurrent streams of ${tokensOf(SHAPES.slow)} events (${SHAPES.slow})`,
      columns: [
        "server",
        "idle",
        "warm",
        "peak (sampled)",
        "peak (VmHWM)",
        "KB per stream (peak − warm)",
        "1 s after",
        "upstream streams at once",
        "complete",
        "wall time",
        "first token p50 / p99 ms",
      ],
      rows: rows.map((r) => [
        r.variant,
        r.idleMb.toFixed(1),
        r.warmMb.toFixed(1),
        r.peakSampledMb.toFixed(1),
        r.hwmMb.toFixed(1),
        Math.round(((r.hwmMb - r.warmMb) * 1024) / r.upstreamPeakOpen),
        r.afterMb.toFixed(1),
        r.upstreamPeakOpen,
        `${r.ok}/${r.streams}`,
        `${(r.elapsedMs / 1000).toFixed(1)} s`,
        `${ms(r.firstToken.p50)} / ${ms(r.firstToken.p99)}`,
      ]),
    });
    for (const r of rows.filter((row) => row.gateway)) {
      const concurrent = r.upstreamPeakOpen >= streams;
      result.checks.push({
        name: `${streams} streams at once, peak RSS (${r.variant})`,
        target: `${streams} at once, < ${BUDGET_MB} MB`,
        measured: `${r.upstreamPeakOpen} at once, ${r.hwmMb.toFixed(1)} MB`,
        pass: concurrent && r.hwmMb < BUDGET_MB,
      });
      result.checks.push({
        name: `streams complete with full text (${r.variant})`,
        target: `${r.streams}/${r.streams}`,
        measured: `${r.ok}/${r.streams}`,
        pass: r.ok === r.streams,
      });
    }
    const capped = rows.find((r) => r.gateway && r.upstreamPeakOpen < streams);
    if (capped) {
      result.notes.push(
        `${capped.variant}: never more than ${capped.upstreamPeakOpen} upstream streams open. Bun's fetch queues requests beyond BUN_CONFIG_MAX_HTTP_REQUESTS (default 256, read at process start only), so the other clients waited for a slot without a byte (first token p99 ${ms(capped.firstToken.p99)} ms); its lower RSS is that of ${capped.upstreamPeakOpen} streams, not ${streams}.`,
      );
    }
    result.notes.push(
      "`idle`: after start; `warm`: after 200 warm-up requests; peak from /proc/<pid>/status (VmRSS every 100 ms, and VmHWM, the kernel's peak).",
    );
    result.data = { rows };
    return result;
  },
};
