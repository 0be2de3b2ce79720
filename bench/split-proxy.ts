/**
 * A TCP proxy that splits every write from the upstream into two segments `gapMs` apart, as TLS records,
 * Nagle and real networks do to an SSE stream. Put it between the gateway and the mock upstream to check
 * that a stream whose events arrive in halves still completes (issue 11: without this, streams froze).
 * Requests (client → upstream) pass through unchanged.
 *
 * Run as a script: `bun bench/split-proxy.ts <listenPort> <upstreamPort> [gapMs]`.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface SplitProxy {
  port: number;
  /** Base URL for an OpenAI client of the proxied mock, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  /** Upstream writes that were split in two. */
  splits(): number;
  stop(): Promise<void>;
}

export interface SplitProxyOptions {
  upstreamPort: number;
  upstreamHost?: string;
  /** Pause between the two halves of a write (default 3 ms). */
  gapMs?: number;
  /** Default 0: a random free port. */
  port?: number;
}

export function startSplitProxy(options: SplitProxyOptions): Promise<SplitProxy> {
  const gapMs = options.gapMs ?? 3;
  const sockets = new Set<Socket>();
  let splits = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(options.upstreamPort, options.upstreamHost ?? "127.0.0.1");
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    client.pipe(upstream);
    // Halves are written in order: each waits for the previous write's pause.
    let queue = Promise.resolve();
    upstream.on("data", (data: Buffer) => {
      upstream.pause();
      queue = queue.then(async () => {
        // Each write is awaited: a destroy that follows must not drop bytes still buffered here.
        const write = (bytes: Buffer) => new Promise<void>((resolve) => client.write(bytes, () => resolve()));
        if (data.length > 1) {
          splits += 1;
          const middle = Math.floor(data.length / 2);
          await write(data.subarray(0, middle));
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          await write(data.subarray(middle));
        } else await write(data);
        upstream.resume();
      });
    });
    // What the upstream sent is delivered before its end is passed on: a clean end as an end, a reset
    // (a cut stream) as a reset, so the client sees the same failure, just later. The pause first: Bun's
    // fetch drops the bytes that arrive together with a broken connection's end.
    const after = (fn: () => void) => void queue.then(() => setTimeout(fn, gapMs));
    upstream.on("end", () => after(() => client.end()));
    upstream.on("error", () => after(() => client.destroy()));
    upstream.on("close", () => after(() => client.destroy()));
    client.on("end", () => upstream.end());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    for (const socket of [client, upstream]) socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        port,
        url: `http://127.0.0.1:${port}/v1`,
        splits: () => splits,
        stop: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

if (import.meta.main) {
  const [listen, upstream, gap] = process.argv.slice(2).map(Number);
  if (!upstream) {
    console.error("usage: bun bench/split-proxy.ts <listenPort> <upstreamPort> [gapMs]");
    process.exit(2);
  }
  const proxy = await startSplitProxy({ port: listen, upstreamPort: upstream, gapMs: gap || undefined });
  console.log(`split proxy on ${proxy.url} → 127.0.0.1:${upstream}`);
}
