/**
 * The practical limit for a proxy on this runtime: a bare `Bun.serve` that forwards
 * POST /v1/chat/completions to the upstream with `fetch` and streams the answer back untouched. The
 * gateway is compared against this, not against an ideal: whatever this costs, the gateway pays too.
 *
 * It does only what any correct proxy must: read the request body, forward it, drop the hop-by-hop and
 * encoding headers that `fetch` invalidates (it decompresses but keeps `content-encoding`), cancel the
 * upstream when the client goes away (`signal`), and never time out a slow stream (`idleTimeout: 0`).
 *
 * With `relay: "js"` (RELAY=js) the answer is read chunk by chunk in JavaScript and re-enqueued on a
 * stream of our own, as any proxy that inspects a stream must: the floor for the gateway's relay,
 * where the default ("native") hands the upstream body to the server untouched.
 *
 * Script: `PORT=8901 UPSTREAM=http://127.0.0.1:8900/v1 [RELAY=js] bun bench/bare-proxy.ts`. Also importable.
 */

/** Upstream response headers not to copy: wrong after fetch decoded the body, or per-connection. */
const DROPPED = ["content-encoding", "content-length", "transfer-encoding", "connection"];

export interface BareProxy {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface BareProxyOptions {
  /** The upstream's API root, e.g. http://127.0.0.1:8900/v1 */
  upstream: string;
  /** "native" (default): pass the upstream body through; "js": read and re-enqueue every chunk in JS. */
  relay?: "native" | "js";
  /** Default 0: a free port. */
  port?: number;
  hostname?: string;
}

/** The upstream body read in JS, one chunk per pull, each forwarded as it came (no batching). */
function jsRelay(upstream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: () => reader.cancel(),
  });
}

export function startBareProxy(options: BareProxyOptions): BareProxy {
  const target = `${options.upstream.replace(/\/+$/, "")}/chat/completions`;

  async function forward(request: Request): Promise<Response> {
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: "POST",
        headers: { "content-type": request.headers.get("content-type") ?? "application/json" },
        body: await request.arrayBuffer(),
        signal: request.signal,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Response.json(
        { error: { message: `upstream unreachable: ${message}`, type: "proxy_error", code: null, param: null } },
        { status: 502 },
      );
    }
    const headers = new Headers(upstream.headers);
    for (const name of DROPPED) headers.delete(name);
    const body = options.relay === "js" && upstream.body ? jsRelay(upstream.body) : upstream.body;
    return new Response(body, { status: upstream.status, headers });
  }

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? "127.0.0.1",
    idleTimeout: 0, // a stream waiting on a slow first token must not be closed after 10 s
    routes: {
      "/v1/chat/completions": { POST: forward },
      "/healthz": new Response("ok"), // readiness for the bench runner
    },
    fetch: () => new Response("not found", { status: 404 }),
  });
  const port = server.port ?? 0;
  return { url: `http://${options.hostname ?? "127.0.0.1"}:${port}`, port, stop: () => server.stop(true) };
}

if (import.meta.main) {
  const upstream = Bun.env.UPSTREAM;
  if (!upstream) {
    console.error("UPSTREAM is required, e.g. UPSTREAM=http://127.0.0.1:8900/v1");
    process.exit(1);
  }
  const relay = Bun.env.RELAY === "js" ? "js" : "native";
  const proxy = startBareProxy({ upstream, relay, port: Number(Bun.env.PORT ?? 8901) });
  console.log(`bare proxy (${relay} relay) listening on ${proxy.url} -> ${upstream}`);
}
