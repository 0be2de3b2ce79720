/**
 * Faults of the mock upstream that live in the response body or its framing rather than in the event
 * stream: bodies too large to buffer, bodies that never end, a gzip bomb, redirects, and a long
 * healthy answer that discusses the words retry rules look for.
 *
 * - `hugeBody&bytes=N` (default 1 MiB): a valid chat.completion whose content is N bytes of "a",
 *   sent in 64 KiB writes.
 * - `endlessBody[&chunkDelayMs=N]`: the start of a chat.completion, then "a" forever in 64 KiB writes
 *   until the client cancels (counted in `stats.aborted`).
 * - `gzipBomb&mib=N` (default 8): `content-encoding: gzip`, a body that inflates to N MiB (a JSON start,
 *   then zero bytes) and is about a thousandth of that on the wire; compressed once per size.
 * - `redirect&status=307|302|301|303|308[&to=URL]` (default 307): a redirect to `to`, by default the
 *   mock's own `/__redirected/v1/chat/completions`, which answers a normal completion and records the
 *   request under `__redirected:<METHOD>` in `stats.requests`: a test sees whether a client followed.
 * - `redirectLoop`: a 307 back to the same URL, forever if followed.
 * - `longAnswer&words=N` (default 6): a long (~2 KB) markdown answer on designing a distributed rate
 *   limiter, full of "rate limit" and "overloaded"; streamed N words per event (a real upstream's
 *   tokens coalesced in one read), each after `chunkDelayMs`.
 */
import { gzipSync } from "node:zlib";
import { type Behaviour, num } from "./params.ts";
import { DONE_EVENT, event, type StreamLifecycle, sseResponse } from "./stream.ts";
import { chunk, completion, usageFor } from "./wire.ts";

export const BODY_FAULTS = ["hugeBody", "endlessBody", "gzipBomb", "redirect", "redirectLoop", "longAnswer"] as const;
export type BodyFault = (typeof BODY_FAULTS)[number];

/** Path prefix a `redirect` points at by default; the mock's router sends it to `redirectTarget`. */
export const REDIRECT_TARGET = "/__redirected";

const WRITE_BYTES = 64 * 1024;
const MIB = 1024 * 1024;
const encoder = new TextEncoder();
const filler = encoder.encode("a".repeat(WRITE_BYTES));
const JSON_HEADERS = { "content-type": "application/json" } as const;

/** What a body fault gets from the mock: the request, its parsed behaviour and its lifecycle. */
export interface BodyFaultCall {
  req: Request;
  body: Record<string, unknown>;
  b: Behaviour;
  fault: BodyFault;
  life: StreamLifecycle;
}

export function isBodyFault(fault: string | undefined): fault is BodyFault {
  return (BODY_FAULTS as readonly string[]).includes(fault ?? "");
}

function completionStart(model: string): string {
  return `{"id":"chatcmpl-mock-body","object":"chat.completion","created":${Math.floor(Date.now() / 1000)},"model":${JSON.stringify(model)},"choices":[{"index":0,"message":{"role":"assistant","content":"`;
}
const COMPLETION_END = `"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`;

/**
 * A body written in 64 KiB pieces: `prefix`, then `fillBytes` of filler (Infinity: forever), then
 * `suffix`. A cancel before the end counts as the client giving up.
 */
function paddedBody(
  life: StreamLifecycle,
  parts: { prefix: string; fillBytes: number; suffix: string; delayMs: number },
): Response {
  let left = parts.fillBytes;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(parts.prefix));
        return;
      }
      if (left > 0) {
        if (parts.delayMs > 0) await Bun.sleep(parts.delayMs);
        const piece = left >= WRITE_BYTES ? filler : filler.subarray(0, left);
        left -= piece.length;
        controller.enqueue(piece);
        return;
      }
      controller.enqueue(encoder.encode(parts.suffix));
      controller.close();
      life.onEnd(false);
    },
    cancel: () => life.onEnd(true),
  });
  return new Response(stream, { headers: JSON_HEADERS });
}

const bombs = new Map<number, Uint8Array<ArrayBuffer>>();

/** The compressed bomb of `mib` MiB, made once per size: zero pages cost no memory until written. */
function bomb(mib: number, model: string): Uint8Array<ArrayBuffer> {
  let packed = bombs.get(mib);
  if (!packed) {
    const plain = Buffer.alloc(mib * MIB);
    plain.write(completionStart(model), 0);
    packed = new Uint8Array(gzipSync(plain, { level: 9 }));
    bombs.set(mib, packed);
  }
  return packed;
}

function redirect(req: Request, status: number, to: string | null): Response {
  const location = to ?? new URL(`${REDIRECT_TARGET}/v1/chat/completions`, req.url).href;
  return new Response(null, { status, headers: { location } });
}

const ESSAY_SECTIONS = [
  "# Designing a distributed rate limiter",
  "A distributed rate limiter keeps every client of an API within its quota even when requests land on many gateway nodes at once. The hard part is not counting: it is agreeing on the count across nodes without adding a round trip to every request, and degrading gracefully when the shared store is slow or overloaded.",
  "## Algorithms",
  "The token bucket is the usual choice: each key has a bucket that refills at a steady rate, and a request takes one token. It allows short bursts up to the bucket size while holding the long-run rate limit. The sliding window log is exact but stores one entry per request; the sliding window counter approximates it with two fixed windows weighted by overlap and costs two integers per key.",
  "## Where the state lives",
  "Keep the counters in Redis (or Valkey) and update them with one Lua script per request, so the read, the refill and the decrement are atomic. Shard keys by tenant so a hot tenant cannot make the whole cluster overloaded. For very high rates, let each node take a small lease of tokens from the shared bucket and spend it locally: the rate limit stays correct within one lease per node, and the store sees one call per lease instead of one per request.",
  "## Failure modes",
  "When the store is unreachable, decide per route whether to fail open (serve, and accept that the rate limit is briefly not enforced) or fail closed (refuse with 429). Clock skew between nodes breaks fixed windows; use the store's clock, not the node's. Answer a refused request with 429 and a Retry-After header computed from the bucket's refill time, so well-behaved clients back off instead of hammering an overloaded service.",
  "## Observability",
  "Export, per key class, the requests allowed and refused, the store's latency and the share of fail-open decisions. Alert when refusals jump: it is either abuse or a rate limit set too low for real traffic.",
];
const ESSAY = ESSAY_SECTIONS.join("\n\n");

/** The essay in events of `words` words each (a real upstream's tokens coalesced in one read). */
function essayChunks(words: number): string[] {
  const pieces = ESSAY.split(/(?<= )/);
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; i += words) chunks.push(pieces.slice(i, i + words).join(""));
  return chunks;
}

function longAnswer(call: BodyFaultCall): Response {
  const meta = { id: "chatcmpl-mock-essay", created: Math.floor(Date.now() / 1000), model: call.b.name };
  const chunks = essayChunks(Math.max(1, num(call.b.params, "words", 6)));
  const usage = usageFor(call.body, chunks.length);
  if (call.body.stream !== true) {
    call.life.onEnd(false);
    return completion(meta, ESSAY, usage);
  }
  const steps = [{ delayMs: 0, data: event(chunk(meta, { role: "assistant", content: "" }, null)) }];
  for (const content of chunks)
    steps.push({ delayMs: call.b.chunkDelayMs, data: event(chunk(meta, { content }, null)) });
  steps.push({ delayMs: 0, data: event(chunk(meta, {}, "stop")) }, { delayMs: 0, data: DONE_EVENT });
  return sseResponse({ steps, end: "close" }, call.life);
}

/** The text of the `longAnswer` fault, for assertions. */
export const LONG_ANSWER = ESSAY;

/** The response of a body fault. */
export function bodyFault(call: BodyFaultCall): Response {
  const { b, life, req } = call;
  const p = b.params;
  switch (call.fault) {
    case "hugeBody":
      return paddedBody(life, {
        prefix: completionStart(b.name),
        fillBytes: num(p, "bytes", MIB),
        suffix: COMPLETION_END,
        delayMs: 0,
      });
    case "endlessBody":
      return paddedBody(life, {
        prefix: completionStart(b.name),
        fillBytes: Infinity,
        suffix: "",
        delayMs: b.chunkDelayMs,
      });
    case "gzipBomb":
      life.onEnd(false);
      return new Response(bomb(Math.max(1, num(p, "mib", 8)), b.name), {
        headers: { ...JSON_HEADERS, "content-encoding": "gzip" },
      });
    case "redirect":
      life.onEnd(false);
      return redirect(req, num(p, "status", 307), p.get("to"));
    case "redirectLoop":
      life.onEnd(false);
      return redirect(req, 307, req.url);
    case "longAnswer":
      return longAnswer(call);
  }
}

/**
 * The mock's answer at `REDIRECT_TARGET`: a normal completion ("answered by the redirect target"),
 * after recording the request under `__redirected:<METHOD>` so tests see whether a redirect was followed.
 */
export async function redirectTarget(
  req: Request,
  record: (model: string, body: Record<string, unknown>) => unknown,
): Promise<Response> {
  const text = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // recorded as an empty body: what matters is that the request arrived
  }
  record(`__redirected:${req.method}`, body);
  const meta = { id: "chatcmpl-mock-redirected", created: Math.floor(Date.now() / 1000), model: "redirect-target" };
  return completion(meta, "answered by the redirect target", usageFor(body, 5));
}
