/**
 * The one error class. Its `code` comes from a closed set and maps to an HTTP status in one table
 * (`GATEWAY_ERROR_STATUS`), so every failure the client sees has an honest status and OpenAI's error
 * shape. How an error reaches the wire (a response, an in-band stream event) is `src/error-response.ts`.
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
  /** A guard (`onRequest`) refused the request with a status or code of its own (see `rejectionError`). */
  | "rejected"
  | "overloaded"
  | "upstream_client_error"
  | "upstream_error"
  | "no_available_target"
  | "upstream_timeout"
  /** Mid-stream, after the first byte: no event for longer than the idle budget. */
  | "stream_stalled"
  /** Mid-stream: the upstream connection was cut, or the stream ended without a finish reason. */
  | "stream_cut"
  /** Mid-stream: the request's total deadline passed. */
  | "deadline_exceeded"
  | "config_invalid"
  | "internal_error"
  /** The client disconnected before its answer was complete (nginx's 499): recorded in the log, never sent. */
  | "client_closed";

/**
 * Each code's HTTP status. The mid-stream codes are only ever sent in-band (the response was a 200
 * already); their status is what the failure would have been answered with before the commit.
 */
export const GATEWAY_ERROR_STATUS: Readonly<Record<GatewayErrorCode, number>> = {
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
  rejected: 400,
  overloaded: 503,
  upstream_client_error: 400,
  upstream_error: 502,
  no_available_target: 503,
  upstream_timeout: 504,
  stream_stalled: 504,
  stream_cut: 502,
  deadline_exceeded: 504,
  config_invalid: 400,
  internal_error: 500,
  client_closed: 499,
};

/** Codes whose status is borrowed from where the error came from (the upstream's, the guard's). */
const BORROWED_STATUS = new Set<GatewayErrorCode>(["upstream_client_error", "rejected"]);

/** Whether `code` is one of the closed set. */
export function isGatewayErrorCode(code: string): code is GatewayErrorCode {
  return Object.hasOwn(GATEWAY_ERROR_STATUS, code);
}

/** Whether `status` can answer a failure: an integer from 400 to 599. */
export function isErrorStatus(status: number | undefined): status is number {
  return Number.isInteger(status) && status! >= 400 && status! <= 599;
}

/** OpenAI's `error.type` for each status family (the Responses front door answers with it too). */
export function openaiErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status < 500) return "invalid_request_error";
  return "api_error";
}

/** Fields sent beside `error` at the top level of the body (never `error` itself). */
export type GatewayErrorData = Readonly<Record<string, unknown>> & { readonly error?: never };

export interface GatewayErrorOptions {
  /** The request field at fault, if any (OpenAI's `error.param`). */
  param?: string;
  /** For `upstream_client_error`: the upstream's own status, passed on to the client. */
  upstreamStatus?: number;
  /** The upstream's own error code, passed on when it is more precise than ours. */
  upstreamCode?: string;
  /** For `rejected`: the guard's status (400–599; otherwise the code's own, 400). */
  status?: number;
  /** The code the client sees instead of ours (a guard's own code outside the closed set). */
  clientCode?: string;
  /** For a rate limit: when to try again (sent as `Retry-After`). */
  retryAfterMs?: number;
  /** Structured details for the body's top level, e.g. a config refusal's `{ ok: false, issues }`. */
  data?: GatewayErrorData;
  /** The id of the request-log row that records this refusal (sent as `x-request-id`). */
  requestId?: string;
  cause?: unknown;
}

/** OpenAI's error body, with the error's `data` beside it. */
export type GatewayErrorBody = Record<string, unknown> & {
  error: { message: string; type: string; code: string; param: string | null };
};

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly param?: string;
  readonly upstreamStatus?: number;
  readonly upstreamCode?: string;
  readonly clientCode?: string;
  readonly retryAfterMs?: number;
  readonly data?: GatewayErrorData;
  readonly requestId?: string;
  /** The HTTP status this error is answered with. */
  readonly status: number;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.param = options.param;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
    this.clientCode = options.clientCode;
    this.retryAfterMs = options.retryAfterMs;
    this.data = options.data;
    this.requestId = options.requestId;
    const borrowed = options.status ?? options.upstreamStatus;
    this.status = BORROWED_STATUS.has(code) && isErrorStatus(borrowed) ? borrowed : GATEWAY_ERROR_STATUS[code];
  }

  /** The same error, naming the request-log row that records it (`x-request-id`). */
  withRequestId(requestId: string): GatewayError {
    const { param, upstreamStatus, upstreamCode, clientCode, retryAfterMs, data, status } = this;
    const options = { param, upstreamStatus, upstreamCode, clientCode, retryAfterMs, data, status, cause: this.cause };
    return new GatewayError(this.code, this.message, { ...options, requestId });
  }

  /** The code the client sees in `error.code` (a guard's own, the upstream's, else ours). */
  get clientVisibleCode(): string {
    return this.clientCode ?? this.upstreamCode ?? this.code;
  }

  /**
   * Headers the error response carries: `Retry-After` for a rate limit, `WWW-Authenticate` for a key,
   * `x-request-id` when the request log recorded it.
   */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.requestId !== undefined) headers["x-request-id"] = this.requestId;
    if (this.retryAfterMs !== undefined)
      headers["retry-after"] = String(Math.max(1, Math.ceil(this.retryAfterMs / 1000)));
    if (this.code === "invalid_api_key") headers["www-authenticate"] = "Bearer";
    return headers;
  }

  /** OpenAI's error body: `{ error: { message, type, code, param } }`, after the error's `data`. */
  toJSON(): GatewayErrorBody {
    return {
      ...this.data,
      error: {
        message: this.message,
        type: openaiErrorType(this.status),
        code: this.clientVisibleCode,
        param: this.param ?? null,
      },
    };
  }
}

/** A 400 naming the field (`param`), its message prefixed with it so a log line alone says what was wrong. */
export function invalidField(param: string, message: string): GatewayError {
  return new GatewayError("invalid_request", `${param}: ${message}`, { param });
}
