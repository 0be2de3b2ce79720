/** Serving the app on the current runtime. Bun today; the Deno adapter comes with the portability work. */
import { rememberClientIp } from "./client-ip.ts";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections; resolves when requests in flight are done (or at once with `force`). */
  stop(force?: boolean): Promise<void>;
}

export function serve(fetch: (request: Request) => Response | Promise<Response>, options: { port: number; host: string }): RunningServer {
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
  const shownHost = options.host === "0.0.0.0" ? "localhost" : options.host;
  return {
    url: `http://${shownHost}:${server.port}`,
    port: server.port ?? options.port,
    stop: (force = false) => server.stop(force),
  };
}
