/**
 * What a PostgreSQL failure means and says, without loading the driver (the log writer's sink imports
 * this in every process): the driver's error under drizzle's wrapper, "the database is away" versus
 * "this query is wrong", and the admin API's 503.
 */
import { GatewayError } from "../../errors.ts";

/**
 * The driver's error under drizzle's wrapper. drizzle's `DrizzleQueryError` message holds the query and
 * all its parameters (a logged row's prompt and bodies): never put that in a log or an answer.
 */
export function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && current.name !== "PostgresError" && current.cause instanceof Error)
    current = current.cause;
  return current;
}

/** A short description of a PostgreSQL failure, without the query's parameters. */
export function describePgError(error: unknown): string {
  const cause = rootCause(error);
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: string }).code;
  return `PostgreSQL: ${cause.message}${code ? ` (${code})` : ""}`;
}

/**
 * Whether an error means "the database is not there" rather than "this query is wrong": a client-side
 * connection error, or a server's connection exception (08), operator intervention (57: shutting
 * down) or lack of resources (53: too many connections).
 */
export function isUnavailable(error: unknown): boolean {
  error = rootCause(error);
  if (error instanceof Error && error.name === "PostgresError")
    return /^(08|57|53)/.test((error as { code?: string }).code ?? "");
  return (
    error instanceof Error &&
    /CONNECT|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND/i.test(
      `${(error as { code?: string }).code ?? ""} ${error.message}`,
    )
  );
}

export function unavailable(error: unknown): GatewayError {
  const reason = typeof error === "string" ? error : describePgError(error);
  return new GatewayError(
    "overloaded",
    "The PostgreSQL database of the gateway cannot be reached; the gateway keeps serving, and queues log rows until it is back. Try again shortly.",
    { clientCode: "database_unavailable", retryAfterMs: 2_000, data: { reason: reason.slice(0, 200) } },
  );
}

/**
 * `work`, or a rejection after `ms`: across a network cut the driver (postgres.js on Bun) can leave a
 * query pending for good, and a log writer or an admin request must not wait on it forever.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what}: no answer in ${ms / 1000} s`), { code: "ETIMEDOUT" })),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
