/**
 * What the query schemas (contract/inputs.ts) cannot say: a time is epoch ms or ISO-8601 text, and the
 * log filter's `key` is the store's `apiKeyId`. A bad time is a 400 naming the parameter.
 */
import type { Static } from "@sinclair/typebox";
import { GatewayError } from "../../errors.ts";
import type { LogFilter, LogSort } from "../../store/queries/logs.ts";
import type { LogsQuery } from "./contract/inputs.ts";

type Time = number | string | undefined;

/** Epoch milliseconds (the schema read a number already), ISO-8601 text, or undefined when absent. */
export function timeParam<N extends string>(query: { [K in N]?: Time }, name: N): number | undefined {
  const value = query[name];
  if (value === undefined || typeof value === "number") return value;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new GatewayError(
      "invalid_request",
      `${name} must be epoch milliseconds or an ISO-8601 time, got "${value}"`,
      {
        param: name,
      },
    );
  return ms;
}

const yes = (value: "true" | "false" | undefined) => (value === undefined ? undefined : value === "true");

export function logFilter(query: Omit<Static<typeof LogsQuery>, "cursor" | "limit">): LogFilter {
  const { status, tier, model, key, q, door, code, attempted, minAttempts, requested, minLatencyMs } = query;
  return {
    from: timeParam(query, "from"),
    to: timeParam(query, "to"),
    status,
    tier,
    model,
    apiKeyId: key,
    q,
    door,
    refused: yes(query.refused),
    errorCode: code,
    attempted,
    failedOver: yes(query.failedOver),
    minAttempts,
    stream: yes(query.stream),
    requestedModel: requested,
    minLatencyMs,
  };
}

/** The list's order: `sort` (ts, latency, cost) and `order` (desc by default). */
export function logSort(query: Pick<Static<typeof LogsQuery>, "sort" | "order">): LogSort {
  return { by: query.sort, order: query.order };
}
