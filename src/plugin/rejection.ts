/**
 * A guard's refusal (`onRequest` returning `{ reject }`) as the request's `GatewayError`. The guard's
 * status and code both reach the client:
 * - status: the guard's when it is 400–599; else its code's (when that code is one of ours); else 400;
 * - code: a code of ours whose status is that status is used as it is (`{ status: 429 }` and
 *   `{ code: "rate_limited" }` are both a plain rate limit); any other code is sent as the guard wrote it,
 *   on a `rejected` error (so logs and metrics see one generic code for guard-specific ones);
 * - no code: the code of our own for 400, 401, 403 and 429 (as before guards could name one), else
 *   `rejected`.
 */
import {
  GATEWAY_ERROR_STATUS,
  GatewayError,
  type GatewayErrorCode,
  isErrorStatus,
  isGatewayErrorCode,
} from "../errors.ts";
import type { Rejection } from "./types.ts";

/** The code a guard's bare status stands for (what these statuses were always answered with). */
const CODE_OF_STATUS: Readonly<Record<number, GatewayErrorCode>> = {
  400: "invalid_request",
  401: "invalid_api_key",
  403: "forbidden",
  429: "rate_limited",
};

/** The error a guard's rejection ends its request with. */
export function rejectionError(reject: Rejection["reject"]): GatewayError {
  const { message, code } = reject;
  const own = code !== undefined && isGatewayErrorCode(code) ? code : undefined;
  const status = isErrorStatus(reject.status) ? reject.status : own ? GATEWAY_ERROR_STATUS[own] : 400;
  if (own && GATEWAY_ERROR_STATUS[own] === status) return new GatewayError(own, message);
  if (code === undefined && CODE_OF_STATUS[status]) return new GatewayError(CODE_OF_STATUS[status], message);
  return new GatewayError("rejected", message, { status, clientCode: code });
}
