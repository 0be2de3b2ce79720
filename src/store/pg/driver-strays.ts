/**
 * postgres.js 3.4.9 on Bun, across a network cut (seen with a TCP proxy that drops every connection):
 * a refused reconnect can surface as an unhandled promise rejection (`connect ECONNREFUSED`), and a
 * transaction's ROLLBACK written to a connection that just closed throws outside any promise
 * (`socket.write` of null). Either would end the process. The store avoids transactions and reserved
 * connections (single statements on the pool), which removes the second; this guard, installed by the
 * process in cluster mode, keeps the first from ending it: such an error is logged (once a minute at
 * most) and nothing else happens, since the query it belonged to has failed on its own already.
 */
import { systemClock } from "../../pipeline/clock.ts";
import type { Logger } from "../../plugin/types.ts";

/** Whether `error` is one of the driver's stray errors (above), not the program's. */
export function isDriverStray(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as { code?: string; syscall?: string };
  if (syscall === "connect" && (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ETIMEDOUT")) return true;
  return (
    error instanceof TypeError &&
    /socket\.write/.test(error.message) &&
    /postgres[\\/]src[\\/]connection/.test(error.stack ?? "")
  );
}

/**
 * Installs the guard once per process. `other`: what happens to every other such error (the process's
 * default: print it and exit 1).
 */
let installed = false;

export function guardAgainstDriverStrays(log: Pick<Logger, "warn">, other: (error: unknown) => void): void {
  if (installed) return;
  installed = true;
  let lastLogged = 0;
  const handle = (error: unknown) => {
    if (!isDriverStray(error)) return other(error);
    const now = systemClock.now();
    if (now - lastLogged < 60_000) return;
    lastLogged = now;
    log.warn("PostgreSQL driver: a connection failed outside a query (ignored; its query failed on its own)", {
      error: String(error),
    });
  };
  process.on("unhandledRejection", handle);
  process.on("uncaughtException", handle);
}
