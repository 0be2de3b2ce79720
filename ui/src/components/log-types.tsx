/**
 * Shapes of the request-log answers (the list item is the server's own type; the detail's bodies are
 * parsed here), and the small badges every log view shares.
 */
import type { JSX } from "solid-js";

export type { LogListItem } from "../../../src/store/queries/logs.ts";

import type { LogListItem } from "../../../src/store/queries/logs.ts";

export type { AttemptSummary } from "../../../src/plugin/types.ts";
export type { LogDetail, LogPage } from "../api.ts";

/** What the live tail sends per request (`event: request`). */
export type TailRow = Pick<
  LogListItem,
  | "id"
  | "ts"
  | "tier"
  | "model"
  | "status"
  | "latencyMs"
  | "ttftMs"
  | "attempts"
  | "errorClass"
  | "promptPreview"
  | "stream"
  | "requestedModel"
>;

/** A row any log table can show: the tail's fields, the list's extras when present. */
export type LogRowLike = TailRow & Partial<LogListItem>;

const KNOWN_TIERS = new Set(["t1", "t2", "t3"]);

export function TierBadge(props: { tier: string }): JSX.Element {
  return <span class={`badge ${KNOWN_TIERS.has(props.tier) ? props.tier : ""}`}>{props.tier}</span>;
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  413: "too large",
  429: "rate limited",
  499: "client left",
  500: "error",
  502: "upstream failed",
  503: "unavailable",
  504: "timeout",
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? "error" : status >= 400 ? "refused" : "");
}

export function StatusBadge(props: { status: number; errorClass?: string | null }): JSX.Element {
  const kind = () => (props.status === 200 ? "ok" : props.status === 499 ? "warn" : "bad");
  return (
    <span class={`badge ${kind()}`} title={props.errorClass ? `error class: ${props.errorClass}` : undefined}>
      {props.status} {statusText(props.status)}
    </span>
  );
}

/** "12 + 34" tokens, "≈" when the gateway estimated them (the upstream sent no usage). */
export function tokensText(row: {
  promptTokens?: number | null;
  completionTokens?: number | null;
  tokenSource?: string | null;
}): string {
  if (row.promptTokens == null && row.completionTokens == null) return "–";
  const total = (row.promptTokens ?? 0) + (row.completionTokens ?? 0);
  return `${row.tokenSource === "estimated" ? "≈" : ""}${total.toLocaleString()}`;
}

/** Date and time to the second, the date left out for today. */
export function fmtWhen(ts: number): string {
  const d = new Date(ts);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString()
    : d.toLocaleString(undefined, {
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
}
