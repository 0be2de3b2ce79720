/**
 * Serving the app on the current runtime (DESIGN §9): Bun.serve on Bun, Deno.serve on Deno, chosen at
 * boot. Both serve through the request guard (admission caps, bounded body reads: request-guard.ts);
 * each adapter tells it the client's address and moves its own socket timers along the phases.
 */

import { runtime } from "../runtime.ts";
import { derivedMaxInFlight } from "./open-files.ts";
import { type Connection, type GuardLimits, type GuardOptions, guardRequests } from "./request-guard.ts";
import { clientAddress, type TrustedProxies } from "./trusted-proxies.ts";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections; resolves when requests in flight are done (or at once with `force`). */
  stop(force?: boolean): Promise<void>;
}

type Handler = (request: Request) => Response | Promise<Response>;
type GuardedHandler = (request: Request, connection: Connection) => Promise<Response>;

interface ServeOptions {
  port: number;
  host: string;
  /** The live limits (read per request, so a config reload applies to the next request). */
  limits: () => GuardLimits;
  /** The guard's refusals, told before they are answered (the request log records the /v1 ones). */
  refused?: GuardOptions["refused"];
  /** The load balancers whose `X-Forwarded-For` names the client (trusted-proxies.ts). */
  trustedProxies?: TrustedProxies;
}

export function serve(fetch: Handler, options: ServeOptions): RunningServer {
  const guarded = guardRequests(fetch, {
    limits: options.limits,
    defaultMaxInFlight: derivedMaxInFlight(),
    refused: options.refused,
  });
  if (runtime === "bun") return serveBun(guarded, options);
  if (runtime === "deno") return serveDeno(guarded, options);
  throw new Error("SmartRoute runs on Bun or Deno: this runtime has neither Bun.serve nor Deno.serve.");
}

const shown = (host: string) => (host === "0.0.0.0" ? "localhost" : host);

/** Bun's idle timers take whole seconds, at most 255 (0: none). */
const MAX_IDLE_S = 255;

/**
 * The socket timer that backs up a body read of `timeoutMs`, so that the guard's 408 is what the client
 * sees; none when the budget is past what Bun can time (the guard's timer still holds). Bun's timers
 * tick every 4 s: one of S seconds fires after more than 4·⌈S/4⌉ − 4 s, which the 5 s added keep above
 * the budget.
 */
function backstopSeconds(timeoutMs: number): number {
  const seconds = Math.ceil(timeoutMs / 1000) + 5;
  return seconds > MAX_IDLE_S ? 0 : seconds;
}

/**
 * Bun's timers, as measured on Bun 1.4.5: a connection that has not completed its headers is closed
 * after 8 to 12 s whatever `idleTimeout` says, and sending header bytes does not extend that
 * (slowloris is bounded by Bun). From the headers on, `idleTimeout` runs and body bytes do not reset it,
 * until the body has fully arrived; a request without a body stays timed while its handler runs (a quiet
 * GET stream would be cut). `server.timeout(request, s)` replaces the timer for that connection, and the
 * replacement outlives the request (it governs the idle keep-alive after it). So: the server idle
 * timeout bounds idle keep-alive connections and backs up the body read, the response phase runs without
 * it (the pipeline's budgets bound streams, and a first token may take minutes), and the end of the
 * response puts it back.
 */
function serveBun(guarded: GuardedHandler, options: ServeOptions): RunningServer {
  const keepAliveS = backstopSeconds(options.limits().bodyTimeoutMs) || MAX_IDLE_S;
  const server = Bun.serve({
    port: options.port,
    hostname: options.host,
    fetch(request, server) {
      const timeout = (seconds: number) => server.timeout(request, seconds);
      return guarded(request, {
        ip: clientAddress(
          server.requestIP(request)?.address,
          request.headers.get("x-forwarded-for"),
          options.trustedProxies,
        ),
        readingBody: (timeoutMs) => timeout(backstopSeconds(timeoutMs)),
        responding: () => timeout(0),
        finished: () => timeout(keepAliveS),
      });
    },
    idleTimeout: keepAliveS,
    // The guard enforces limits.maxBodyBytes with a clean 413; this is only a backstop.
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
 * Deno.serve has no idle timeout that would cut a slow stream and no body size limit of its own: the
 * guard's timer alone bounds the body read, and its caps count requests the same way. What Deno 2.9
 * does not let us bound (measured): a connection that never completes its headers, an idle keep-alive
 * connection, and the socket of a body that never ends after its 408 (Deno keeps reading it, whatever
 * `connection: close` says), all held until the client goes. On Deno a proxy in front must bound
 * those (README, security model). Its graceful `shutdown()` waits for requests in flight; a forced
 * stop does not wait for them (they end with the process).
 */
function serveDeno(guarded: GuardedHandler, options: ServeOptions): RunningServer {
  const deno = (globalThis as unknown as { Deno: DenoServe }).Deno;
  const server = deno.serve({ port: options.port, hostname: options.host, onListen: () => {} }, (request, info) =>
    guarded(request, {
      ip: clientAddress(info.remoteAddr.hostname, request.headers.get("x-forwarded-for"), options.trustedProxies),
    }),
  );
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
