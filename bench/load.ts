/**
 * The load generator, run as its own process so it never shares a CPU's event loop with a server:
 *
 *   bun bench/load.ts '<LoadSpec as JSON>'      → prints one line: the LoadResult as JSON
 *
 * `connections` workers each send requests back to back (closed loop) over Bun's keep-alive `fetch`
 * until `durationMs` passed or `requests` were sent. Latency is taken with `performance.now()` from
 * just before `fetch` to the end of the body. Streams are read to their end: the time to the first
 * content event, every gap between content events, and "batched" content events (more than one in a
 * single read although the upstream produced them apart) are recorded.
 *
 * Bun's fetch runs at most BUN_CONFIG_MAX_HTTP_REQUESTS requests at once (default 256, read at process
 * start): the runner sets it for this process; `fetchCap` in the result says what it was.
 */

import { readSse } from "./lib/sse-reader.ts";
import { type Summary, summarize } from "./lib/stats.ts";

export interface RequestKind {
  name: string;
  /** Relative share of the traffic (default 1). Kinds are interleaved deterministically. */
  weight?: number;
  /** The JSON body to POST. */
  body: string;
  stream: boolean;
  /** The answer's full text: an answer with other content counts as "text_mismatch". */
  expectText?: string;
}

export interface LoadSpec {
  url: string;
  headers?: Record<string, string>;
  kinds: RequestKind[];
  connections: number;
  /** Stop starting requests after this long (timed phase only). */
  durationMs?: number;
  /** Or after this many requests in the timed phase. */
  requests?: number;
  /** Sent before the timed phase and not recorded (JIT, connection pools). */
  warmupRequests?: number;
  /** Per-request limit; without it requests are only bounded by the run's hard deadline. */
  timeoutMs?: number;
  /** Keep every latency sample in the result (for merging runs; keep runs small). */
  keepSamples?: boolean;
  /** A numeric response header to summarize, e.g. x-gateway-overhead-ms. */
  recordHeader?: string;
}

export interface KindResult {
  requests: number;
  outcomes: Record<string, number>;
  latency: Summary;
}

export interface LoadResult {
  elapsedMs: number;
  requests: number;
  rps: number;
  /** Whole request: fetch to the end of the body. */
  latency: Summary;
  /** fetch to response headers. */
  ttfb: Summary;
  /** Streams: fetch to the first read holding a content event. */
  firstToken: Summary;
  /** Streams: time between consecutive content events (0 for events that came in the same read). */
  gaps: Summary;
  contentEvents: number;
  /** Content events that arrived in the same read as an earlier one. */
  batched: number;
  /** "ok", "http_<status>", "stream_error:<code>", "stream_incomplete", "text_mismatch", "network", "timeout". */
  outcomes: Record<string, number>;
  byKind: Record<string, KindResult>;
  header?: Summary;
  /** First distinct error messages (bounded). */
  errors: string[];
  /** CPU this load generator used during the timed phase, % of one core. */
  cpuPercent: number;
  fetchCap: number;
  /** The hard deadline cut requests short. */
  cutShort: boolean;
  samples?: number[];
}

const MAX_ERRORS = 8;
/** Latency samples kept at most (a bound on memory for long runs: about 24 MB of doubles). */
const MAX_SAMPLES = 3_000_000;

interface Recorder {
  latency: number[];
  ttfb: number[];
  firstToken: number[];
  gaps: number[];
  header: number[];
  contentEvents: number;
  batched: number;
  outcomes: Map<string, number>;
  kinds: Map<string, { outcomes: Map<string, number>; latency: number[] }>;
  errors: Set<string>;
}

function newRecorder(): Recorder {
  return {
    latency: [],
    ttfb: [],
    firstToken: [],
    gaps: [],
    header: [],
    contentEvents: 0,
    batched: 0,
    outcomes: new Map(),
    kinds: new Map(),
    errors: new Set(),
  };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function pushBounded(list: number[], value: number): void {
  if (list.length < MAX_SAMPLES) list.push(value);
}

/**
 * One cycle of kinds by weight, spread out (smooth weighted round robin, as nginx balances): weights
 * 3:1 give [a, a, b, a], so a slow kind never comes in a burst.
 */
function schedule(kinds: RequestKind[]): RequestKind[] {
  const weights = kinds.map((k) => Math.max(1, Math.round(k.weight ?? 1)));
  const total = weights.reduce((sum, w) => sum + w, 0);
  const current = weights.map(() => 0);
  const out: RequestKind[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    weights.forEach((w, i) => {
      current[i] = (current[i] ?? 0) + w;
      if ((current[i] ?? 0) > (current[best] ?? 0)) best = i;
    });
    current[best] = (current[best] ?? 0) - total;
    const kind = kinds[best];
    if (kind) out.push(kind);
  }
  return out;
}

/** Sends one request and records it (unless `rec` is undefined: warm-up). */
async function one(
  spec: LoadSpec,
  kind: RequestKind,
  runSignal: AbortSignal,
  rec: Recorder | undefined,
): Promise<void> {
  const signal = spec.timeoutMs ? AbortSignal.any([runSignal, AbortSignal.timeout(spec.timeoutMs)]) : runSignal;
  const t0 = performance.now();
  let outcome: string;
  let ttfb = NaN;
  try {
    const response = await fetch(spec.url, { method: "POST", headers: spec.headers, body: kind.body, signal });
    ttfb = performance.now() - t0;
    if (rec && spec.recordHeader) {
      const value = Number(response.headers.get(spec.recordHeader));
      if (Number.isFinite(value) && response.headers.has(spec.recordHeader)) rec.header.push(value);
    }
    if (!response.ok) {
      await response.arrayBuffer();
      outcome = `http_${response.status}`;
    } else if (kind.stream && response.body) {
      const read = await readSse(response.body, t0);
      outcome = read.outcome;
      if (outcome === "ok" && kind.expectText !== undefined && read.text !== kind.expectText) outcome = "text_mismatch";
      if (rec) {
        if (read.firstTokenMs !== undefined) pushBounded(rec.firstToken, read.firstTokenMs);
        for (const gap of read.gaps) pushBounded(rec.gaps, gap);
        rec.contentEvents += read.contentEvents;
        rec.batched += read.batched;
      }
    } else if (kind.expectText !== undefined) {
      const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
      outcome = body.choices?.[0]?.message?.content === kind.expectText ? "ok" : "text_mismatch";
    } else {
      await response.arrayBuffer();
      outcome = "ok";
    }
  } catch (error) {
    const timedOut = signal.aborted && !runSignal.aborted;
    outcome = timedOut ? "timeout" : runSignal.aborted ? "cut_short" : "network";
    if (rec && outcome === "network" && rec.errors.size < MAX_ERRORS)
      rec.errors.add(error instanceof Error ? error.message : String(error));
  }
  if (!rec) return;
  const latency = performance.now() - t0;
  pushBounded(rec.latency, latency);
  if (Number.isFinite(ttfb)) pushBounded(rec.ttfb, ttfb);
  bump(rec.outcomes, outcome);
  let perKind = rec.kinds.get(kind.name);
  if (!perKind) rec.kinds.set(kind.name, (perKind = { outcomes: new Map(), latency: [] }));
  bump(perKind.outcomes, outcome);
  pushBounded(perKind.latency, latency);
}

/** Runs `connections` workers over a shared schedule until `total` requests or `until` (ms). */
async function phase(
  spec: LoadSpec,
  order: RequestKind[],
  total: number,
  until: number,
  signal: AbortSignal,
  rec: Recorder | undefined,
): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < total && performance.now() < until && !signal.aborted) {
      const kind = order[started % order.length];
      started++;
      if (kind) await one(spec, kind, signal, rec);
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  return started;
}

const toObject = (map: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...map].sort((a, b) => b[1] - a[1]));

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.durationMs === undefined && spec.requests === undefined)
    throw new Error("LoadSpec needs durationMs or requests");
  const order = schedule(spec.kinds);
  const controller = new AbortController();
  // Hard bound on the whole run: the timed phase plus one request's time limit (or a minute).
  const hardMs = (spec.durationMs ?? 300_000) + (spec.timeoutMs ?? 60_000) + 5_000;
  const hard = setTimeout(() => controller.abort(), hardMs);

  if (spec.warmupRequests)
    await phase(spec, order, spec.warmupRequests, performance.now() + 30_000, controller.signal, undefined);

  const rec = newRecorder();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = spec.durationMs === undefined ? Number.POSITIVE_INFINITY : t0 + spec.durationMs;
  await phase(spec, order, spec.requests ?? Number.POSITIVE_INFINITY, until, controller.signal, rec);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearTimeout(hard);

  const requests = rec.latency.length;
  return {
    elapsedMs: Math.round(elapsedMs),
    requests,
    rps: Math.round((requests / elapsedMs) * 1000),
    latency: summarize(rec.latency),
    ttfb: summarize(rec.ttfb),
    firstToken: summarize(rec.firstToken),
    gaps: summarize(rec.gaps),
    contentEvents: rec.contentEvents,
    batched: rec.batched,
    outcomes: toObject(rec.outcomes),
    byKind: Object.fromEntries(
      [...rec.kinds].map(([name, k]) => [
        name,
        { requests: k.latency.length, outcomes: toObject(k.outcomes), latency: summarize(k.latency) },
      ]),
    ),
    header: spec.recordHeader ? summarize(rec.header) : undefined,
    errors: [...rec.errors],
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
    fetchCap: Number(process.env.BUN_CONFIG_MAX_HTTP_REQUESTS ?? 256),
    cutShort: controller.signal.aborted,
    samples: spec.keepSamples ? rec.latency.map((v) => Math.round(v * 1000) / 1000) : undefined,
  };
}

if (import.meta.main) {
  const raw = process.argv[2];
  if (!raw) {
    console.error("usage: bun bench/load.ts '<LoadSpec JSON>'");
    process.exit(2);
  }
  const result = await runLoad(JSON.parse(raw) as LoadSpec);
  console.log(JSON.stringify(result));
  process.exit(0); // do not wait for pooled keep-alive sockets to close
}
