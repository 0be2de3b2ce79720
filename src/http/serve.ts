/**
 * Serving the app on the current runtime (DESIGN §9): Bun.serve on Bun, Deno.serve on Deno, chosen at
 * boot. Each adapter records the client's address for `clientIpOf` and answers with the same shape.
 */
import { rememberClientIp } from "./client-ip.ts";
import { runtime } from "../runtime.ts";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections; resolves when requests in flight are done (or at once with `force`). */
  stop(force?: boolean): Promise<void>;
}

type Handler = (request: Request) => Response | Promise<Response>;
interface ServeOptions {
  port: number;
  host: string;
}

export function serve(fetch: Handler, options: ServeOptions): RunningServer {
  if (runtime === "bun") return serveBun(fetch, options);
  if (runtime === "deno") return serveDeno(fetch, options);
  throw new Error("SmartRoute runs on Bun or Deno: this runtime has neither Bun.serve nor Deno.serve.");
}

const shown = (host: string) => (host === "0.0.0.0" ? "localhost" : host);

function serveBun(fetch: Handler, options: ServeOptions): RunningServer {
  const server = Bun.serve({
    port: options.port,
    hostname: options.host,
    fetch(request, server) {
      rememberClientIp(request, server.requestIP(request)?.address);
      return fetch(request);
    },
    // Bun closes connections silent for 10 s by default, which would kill a stream waiting on a slow
    // first token; the pipeline enforces its own budgets instead.
    idleTimeout: 0,
    // The pipeline enforces limits.maxBodyBytes with a clean 413; this is only a backstop.
    maxRequestBodySize: 1024 * 1024 * 1024,
  });
  return {
    url: `http://${shown(options.host)}:${server.port}`,
    port: server.port ?? options.port,
    stop: (force = false) => server.stop(force),
  };
}

/** The part of Deno's API this adapter uses (the project's types are Bun's). */
interface DenoServe {
  serve(
    options: { port: number; hostname: string; signal?: AbortSignal; onListen?: (addr: { port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): { addr: { port: number }; finished: Promise<void>; shutdown(): Promise<void> };
}

/**
 * Deno.serve has no idle timeout that would cut a slow stream and no body size limit of its own, so
 * nothing needs turning off. Its graceful `shutdown()` waits for requests in flight; a forced stop
 * does not wait for them (they end with the process).
 */
function serveDeno(fetch: Handler, options: ServeOptions): RunningServer {
  const deno = (globalThis as unknown as { Deno: DenoServe }).Deno;
  const server = deno.serve({ port: options.port, hostname: options.host, onListen: () => {} }, (request, info) => {
    rememberClientIp(request, info.remoteAddr.hostname);
    return fetch(request);
  });
  const port = server.addr.port;
  return {
    url: `http://${shown(options.host)}:${port}`,
    port,
    stop: async (force = false) => {
      const done = server.shutdown();
      if (force) done.catch(() => {});
      else await done;
    },
  };
}
