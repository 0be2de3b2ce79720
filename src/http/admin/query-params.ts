/** Reading admin query strings into typed filters, with a 400 that names the parameter when one is wrong. */
import { GatewayError } from "../../errors.ts";
import type { LogFilter } from "../../store/queries/logs.ts";

const bad = (param: string, message: string) => new GatewayError("invalid_request", message, { param });

/** An epoch-ms or ISO-8601 time, or undefined when absent. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const number = Number(value);
  const ms = Number.isFinite(number) ? number : Date.parse(value);
  if (!Number.isFinite(ms)) throw bad(name, `${name} must be epoch milliseconds or an ISO-8601 time, got "${value}"`);
  return ms;
}

export function intParam(
  query: URLSearchParams,
  name: string,
  options: { min?: number; max?: number } = {},
): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const n = Number(value);
  if (
    !Number.isInteger(n) ||
    (options.min !== undefined && n < options.min) ||
    (options.max !== undefined && n > options.max)
  ) {
    throw bad(
      name,
      `${name} must be a whole number${options.min !== undefined ? ` from ${options.min}` : ""}${options.max !== undefined ? ` to ${options.max}` : ""}, got "${value}"`,
    );
  }
  return n;
}

export function logFilter(query: URLSearchParams): LogFilter {
  const status = query.get("status");
  let parsedStatus: LogFilter["status"];
  if (status === "ok" || status === "error") parsedStatus = status;
  else if (status) parsedStatus = intParam(query, "status", { min: 100, max: 599 });
  return {
    from: timeParam(query, "from"),
    to: timeParam(query, "to"),
    status: parsedStatus,
    tier: query.get("tier") || undefined,
    model: query.get("model") || undefined,
    apiKeyId: query.get("key") || undefined,
    q: query.get("q") || undefined,
  };
}
