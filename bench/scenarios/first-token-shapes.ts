/**
 * The streaming scenario's first-token shapes (issue 16): the first content 5 ms after the headers or
 * in the same write as them, short streams and long ones (100 chunks 20 ms apart) read back to back,
 * each read by a Bun client (bench/load.ts) and by Node's fetch (bench/node-first-token.mjs), direct,
 * through the bare proxy and through the gateway. What each adds to the first token is its median and
 * p99 minus the direct ones of the same shape and client.
 */
import { chatBody } from "../lib/models.ts";
import { cleanEnv, type ProcessGroup } from "../lib/proc.ts";
import type { Check, Table } from "../lib/report.ts";
import { runLoadProcess } from "../lib/run-load.ts";
import { ms, type Summary, summarize } from "../lib/stats.ts";
import { type Shape, streamKind, type Target } from "../lib/targets.ts";

type StreamShape = Exclude<Shape, "plain">;

interface ShapeRun {
  shape: StreamShape;
  label: string;
  /** Streams read one after another (after a few unmeasured ones). */
  requests: number;
}

type Client = "bun" | "node";
const CLIENTS: Client[] = ["bun", "node"];
const WARMUP = 5;

async function nodeFirstTokens(group: ProcessGroup, target: Target, shape: StreamShape, requests: number) {
  const child = group.spawn({
    name: "node-client",
    cmd: [
      Bun.which("node") ?? "node",
      "bench/node-first-token.mjs",
      JSON.stringify({
        url: target.url,
        headers: target.headers,
        body: chatBody(target.model(shape), true),
        requests,
        warmupRequests: WARMUP,
      }),
    ],
    env: cleanEnv({}),
    captureStdout: true,
  });
  const code = await child.proc.exited;
  const stdout = await child.stdout;
  await child.stop();
  const line = stdout.trim().split("\n").pop() ?? "";
  if (code !== 0 || !line.startsWith("{")) throw new Error(`node client failed (exit ${code}):\n${child.stderrTail()}`);
  const out = JSON.parse(line) as { firstToken: number[]; ok: number; requests: number };
  return { firstToken: summarize(out.firstToken), ok: out.ok, requests: out.requests };
}

async function bunFirstTokens(group: ProcessGroup, target: Target, shape: StreamShape, requests: number) {
  const load = await runLoadProcess(group, {
    url: target.url,
    headers: target.headers,
    kinds: [streamKind(target, shape)],
    connections: 1,
    requests,
    warmupRequests: WARMUP,
    timeoutMs: 30_000,
  });
  return { firstToken: load.firstToken, ok: load.outcomes.ok ?? 0, requests: load.requests };
}

/** Runs every shape × client × target; returns the table and the gateway's checks (added median < 1 ms, p99 < 2 ms). */
export async function firstTokenShapes(
  group: ProcessGroup,
  targets: Target[],
  counts: { short: number; long: number },
  log: (message: string) => void,
): Promise<{ table: Table; checks: Check[]; data: unknown }> {
  const shapes: ShapeRun[] = [
    { shape: "first", label: "first content 5 ms after headers", requests: counts.short },
    { shape: "firstNow", label: "first content with the headers", requests: counts.short },
    { shape: "long", label: "long streams back to back", requests: counts.long },
  ];
  const rows: Table["rows"] = [];
  const checks: Check[] = [];
  const data: Record<string, unknown> = {};
  for (const { shape, label, requests } of shapes) {
    for (const client of CLIENTS) {
      const results = new Map<string, { firstToken: Summary; ok: number; requests: number }>();
      for (const target of targets) {
        const run = client === "node" ? nodeFirstTokens : bunFirstTokens;
        results.set(target.name, await run(group, target, shape, requests));
      }
      const direct = results.get("direct mock")?.firstToken;
      for (const target of targets) {
        const r = results.get(target.name);
        if (!r) continue;
        const f = r.firstToken;
        const addedP50 = direct ? f.p50 - direct.p50 : NaN;
        const addedP99 = direct ? f.p99 - direct.p99 : NaN;
        const isDirect = target.name === "direct mock";
        rows.push([
          label,
          client,
          target.name,
          ms(f.p50),
          ms(f.p99),
          isDirect ? "" : ms(addedP50),
          isDirect ? "" : ms(addedP99),
          `${r.ok}/${r.requests}`,
        ]);
        if (target.name === "gateway") {
          log(`  ${label}, ${client} client: gateway adds ${ms(addedP50)} ms (p99 ${ms(addedP99)} ms)`);
          checks.push({
            name: `first token added, ${label}, ${client} client (median; p99)`,
            target: "< 1 ms; < 2 ms",
            measured: `${ms(addedP50)} ms; ${ms(addedP99)} ms (${r.ok}/${r.requests} complete)`,
            pass: addedP50 < 1 && addedP99 < 2 && r.ok === r.requests,
          });
        }
      }
      data[`${shape}/${client}`] = Object.fromEntries(results);
    }
  }
  const table: Table = {
    title: `First token by shape and client (ms from the request to the first content read; ${counts.short} short or ${counts.long} long streams one after another)`,
    columns: ["shape", "client", "target", "p50", "p99", "added p50", "added p99", "ok"],
    rows,
  };
  return { table, checks, data };
}
