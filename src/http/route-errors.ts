/**
 * The HTTP shell's side of the one error mapping (`src/error-response.ts`): Elysia's own error codes
 * become `GatewayError`s (an unknown route, a body it could not parse), then everything goes through
 * the shared mapping. Each app says its own words for those two cases and its own extra headers.
 */

import { errorResponse, toGatewayError } from "../error-response.ts";
import { GatewayError } from "../errors.ts";
import type { Logger } from "../plugin/types.ts";

export interface RouteErrorOptions {
  log: Logger;
  /** The log line an unknown error is written under. */
  what: string;
  /** The message of a 404 for a route this app does not have. */
  notFound: string;
  /** The message of a 400 for a body Elysia could not parse or validate. */
  unreadable: string;
  /** Added to every error response of this app (the admin API's `cache-control: no-store`). */
  headers?: Record<string, string>;
}

/** An Elysia `onError` handler: whatever a route threw, as its response. */
export function routeErrors(
  options: RouteErrorOptions,
): (failure: { code: string | number; error: unknown }) => Response {
  return ({ code, error }) => errorResponse(routeError(code, error, options), options.headers);
}

function routeError(code: string | number, error: unknown, options: RouteErrorOptions): GatewayError {
  if (error instanceof GatewayError) return error;
  if (code === "NOT_FOUND") return new GatewayError("not_found", options.notFound);
  if (code === "PARSE" || code === "VALIDATION") return new GatewayError("invalid_request", options.unreadable);
  return toGatewayError(error, options.log, options.what);
}
