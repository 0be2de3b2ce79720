/** Errors in Anthropic's shape: `{ type: "error", error: { type, message } }`, the type named by status. */
import type { Obj } from "../door.ts";

const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  408: "timeout_error",
  413: "request_too_large",
  429: "rate_limit_error",
  503: "overloaded_error",
  504: "timeout_error",
};

export function messagesError(status: number, error: { message: string }): Obj {
  return {
    type: "error",
    error: { type: TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error"), message: error.message },
  };
}
