/**
 * The one error class. Its `code` comes from a closed set and maps to an HTTP status in one place
 * (`statusOf`), so every failure the client sees has an honest status and OpenAI's error shape.
 */
export type GatewayErrorCode =
  | "invalid_request"
  | "invalid_api_key"
  | "unauthorized"
  | "totp_required"
  | "forbidden"
  | "csrf_rejected"
  | "wrong_credentials"
  | "conflict"
  | "not_found"
  | "model_not_found"
  | "payload_too_large"
  | "request_timeout"
  | "rate_limited"
  | "overloaded"
  | "upstream_client_error"
  | "upstream_error"
  | "no_available_target"
  | "upstream_timeout"
  | "config_invalid"
  | "internal_error"
  /** The client disconnected before its answer was complete (nginx's 499): recorded in the log, never sent. */
  | "client_closed";

const STATUS: Record<GatewayErrorCode, number> = {
  invalid_request: 400,
  invalid_api_key: 401,
  unauthorized: 401,
  totp_required: 401,
  forbidden: 403,
  csrf_rejected: 403,
  wrong_credentials: 403,
  conflict: 409,
  not_found: 404,
  model_not_found: 404,
  payload_too_large: 413,
  request_timeout: 408,
  rate_limited: 429,
  overloaded: 503,
  upstream_client_error: 400,
  upstream_error: 502,
  no_available_target: 503,
  upstream_timeout: 504,
  config_invalid: 400,
  internal_error: 500,
  client_closed: 499,
};

/** OpenAI's `error.type` for each status family. */
function typeOf(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status < 500) return "invalid_request_error";
  return "api_error";
}

export interface GatewayErrorOptions {
  /** The request field at fault, if any (OpenAI's `error.param`). */
  param?: string;
  /** For `upstream_client_error`: the upstream's own status, passed on to the client. */
  upstreamStatus?: number;
  /** The upstream's own error code, passed on when it is more precise than ours. */
  upstreamCode?: string;
  /** For a rate limit: when to try again (sent as `Retry-After`). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly param?: string;
  readonly upstreamStatus?: number;
  readonly upstreamCode?: string;
  readonly retryAfterMs?: number;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.param = options.param;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Headers the error response carries: `Retry-After` for a rate limit, `WWW-Authenticate` for a key. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.retryAfterMs !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(this.retryAfterMs / 1000)));
    if (this.code === "invalid_api_key") headers["www-authenticate"] = "Bearer";
    return headers;
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    if (this.code === "upstream_client_error" && this.upstreamStatus) return this.upstreamStatus;
    return STATUS[this.code];
  }

  /** OpenAI's error body: `{ error: { message, type, code, param } }`. */
  toJSON(): { error: { message: string; type: string; code: string; param: string | null } } {
    return {
      error: {
        message: this.message,
        type: typeOf(this.status),
        code: this.upstreamCode ?? this.code,
        param: this.param ?? null,
      },
    };
  }
}
