/**
 * Shapes of the request-log answers (the list item is the server's own type; the detail's bodies are
 * parsed here), and the small badges every log view shares.
 */
import type { JSX } from "solid-js";
import { formatDateTime, formatNumber, formatTime, t } from "../i18n/index.ts";

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

/** The codes that have words of their own (logs.status in the dictionaries). */
const NAMED_STATUSES = ["200", "400", "401", "403", "404", "413", "429", "499", "500", "502", "503", "504"] as const;
type NamedStatus = (typeof NAMED_STATUSES)[number];
const isNamed = (code: string): code is NamedStatus => (NAMED_STATUSES as readonly string[]).includes(code);

/** The words after a status code, in the language shown ("rate limited"); other codes by their class. */
export function statusText(status: number): string {
  const code = String(status);
  if (isNamed(code)) return t(`logs.status.${code}`);
  return status >= 500 ? t("logs.status.error") : status >= 400 ? t("logs.status.refused") : "";
}

export function StatusBadge(props: { status: number; errorClass?: string | null }): JSX.Element {
  const kind = () => (props.status === 200 ? "ok" : props.status === 499 ? "warn" : "bad");
  return (
    <span
      class={`badge ${kind()}`}
      title={props.errorClass ? t("logs.errorClass", { errorClass: props.errorClass }) : undefined}
    >
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
  return `${row.tokenSource === "estimated" ? "≈" : ""}${formatNumber(total)}`;
}

/** Date and time to the second, the date left out for today. */
export function fmtWhen(ts: number): string {
  const d = new Date(ts);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? formatTime(ts)
    : formatDateTime(ts, { year: undefined, month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
