/**
 * The request table of the logs page and the live tail. The time cell is a real link (keyboard,
 * middle click, "open in new tab"); a click anywhere else on the row opens the request too. Under the
 * model, a failed request says where it failed and why, a rescued one what it was rescued from, and a
 * refused one why it was refused. Time, latency and cost sort (server side) when the page allows it.
 */
import { A, useNavigate } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { fmtInt, fmtMs, fmtUsd } from "../format.ts";
import { t } from "../i18n/index.ts";
import { fmtWhen, type LogRowLike, StatusBadge, TierBadge, tokensText } from "./log-types.tsx";

/** "auto → sim/small"; just the model when the client named the one that answered. */
export function ModelCell(props: { requested: string; model: string | null }): JSX.Element {
  const same = () => props.model === props.requested || props.model?.endsWith(`/${props.requested}`);
  return (
    <span class="mono model-cell">
      <Show when={!same() && props.requested}>
        <span class="muted">{props.requested}</span>
        <span class="muted" aria-hidden="true">
          {" "}
          →{" "}
        </span>
        <span class="sr-only">{t("logs.table.answeredBy")} </span>
      </Show>
      {props.model ?? <span class="muted">{t("logs.table.none")}</span>}
    </span>
  );
}

/** Why a row is not a plain success: refused (the reason), failed (where, why), rescued (from where). */
export function failureNote(row: LogRowLike): { text: string; kind: "bad" | "warn" } | undefined {
  // The reasons are the server's own (English) words: only the frame around them is translated.
  if (row.refused) {
    const reason = row.errorMessage ?? row.errorClass ?? t("logs.table.noReason");
    return { text: t("logs.table.refused", { reason }), kind: "bad" };
  }
  const failure = row.lastFailure;
  if (row.status !== 200) {
    if (failure) return { text: t("logs.table.failedAt", failure), kind: "bad" };
    return row.errorMessage || row.errorClass ? { text: row.errorMessage ?? row.errorClass!, kind: "bad" } : undefined;
  }
  if (failure && failure.target !== row.model) return { text: t("logs.table.rescuedFrom", failure), kind: "warn" };
  return undefined;
}

export type SortKey = "ts" | "latency" | "cost";
export interface TableSort {
  by: SortKey;
  order: "asc" | "desc";
}

/** A column header that sorts the list: the first click orders it descending, the next ascending. */
function SortHeader(props: {
  label: string;
  by: SortKey;
  sort?: TableSort;
  onSort?: (sort: TableSort) => void;
  class?: string;
  title?: string;
}): JSX.Element {
  const current = () => props.sort?.by === props.by;
  const aria = () => (current() ? (props.sort?.order === "asc" ? "ascending" : "descending") : undefined);
  return (
    <th scope="col" class={props.class} title={props.title} aria-sort={aria()}>
      <Show when={props.onSort} fallback={props.label}>
        <button
          type="button"
          class="sort-button"
          onClick={() =>
            props.onSort?.({ by: props.by, order: current() && props.sort?.order === "desc" ? "asc" : "desc" })
          }
        >
          {props.label}
          <span aria-hidden="true" class="sort-mark">
            {current() ? (props.sort?.order === "asc" ? " ▲" : " ▼") : ""}
          </span>
        </button>
      </Show>
    </th>
  );
}

export function LogTable(props: {
  rows: LogRowLike[];
  compact?: boolean;
  fresh?: (id: string) => boolean;
  caption: string;
  /** The list's order, and how to change it (absent: the headers do not sort). */
  sort?: TableSort;
  onSort?: (sort: TableSort) => void;
}): JSX.Element {
  const navigate = useNavigate();
  const open = (event: MouseEvent, id: string) => {
    if ((event.target as HTMLElement).closest("a")) return; // the link does it
    if (window.getSelection()?.toString()) return; // selecting text, not opening
    const href = `/logs/${encodeURIComponent(id)}`;
    if (event.ctrlKey || event.metaKey) window.open(href, "_blank");
    else navigate(href);
  };
  return (
    <div class="table-wrap">
      <table class="log-table">
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            <SortHeader label={t("logs.table.time")} by="ts" sort={props.sort} onSort={props.onSort} />
            <th scope="col">{t("logs.table.tier")}</th>
            <th scope="col">{t("logs.table.model")}</th>
            <th scope="col">{t("logs.table.status")}</th>
            <SortHeader
              label={t("logs.table.latency")}
              by="latency"
              sort={props.sort}
              onSort={props.onSort}
              class="num"
            />
            <th scope="col" class="num" title={t("logs.table.ttftTitle")}>
              {t("logs.table.ttft")}
            </th>
            <th scope="col" class="num">
              {t("logs.table.attempts")}
            </th>
            <Show when={!props.compact}>
              <th scope="col" class="num">
                {t("logs.table.tokens")}
              </th>
              <SortHeader label={t("logs.table.cost")} by="cost" sort={props.sort} onSort={props.onSort} class="num" />
            </Show>
            <th scope="col">{t("logs.table.prompt")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr
                class="clickable"
                classList={{ "log-new": props.fresh?.(row.id) ?? false }}
                onClick={(e) => open(e, row.id)}
              >
                <td>
                  <A
                    href={`/logs/${encodeURIComponent(row.id)}`}
                    title={`${new Date(row.ts).toISOString()} · ${row.id}`}
                  >
                    {fmtWhen(row.ts)}
                  </A>
                </td>
                <td>
                  <Show when={row.tier} fallback={<span class="muted">–</span>}>
                    <TierBadge tier={row.tier} />
                  </Show>
                </td>
                <td class="model-td">
                  <ModelCell requested={row.requestedModel} model={row.model} />
                  <Show when={failureNote(row)}>
                    {(note) => (
                      <span class={`failure-note ${note().kind}`} title={note().text}>
                        {note().text}
                      </span>
                    )}
                  </Show>
                </td>
                <td>
                  <StatusBadge status={row.status} errorClass={row.errorClass} />
                </td>
                <td class="num">{fmtMs(row.latencyMs)}</td>
                <td class="num">
                  {fmtMs(row.ttftMs)}
                  <Show when={row.stream}>
                    <span class="muted stream-mark" title={t("logs.table.streamed")}>
                      {" "}
                      ⇶
                    </span>
                  </Show>
                  <Show when={row.door && row.door !== "chat"}>
                    <span class="muted stream-mark" title={t("logs.table.via", { door: row.door ?? "" })}>
                      {" "}
                      {row.door}
                    </span>
                  </Show>
                </td>
                <td class="num">
                  <Show when={row.attempts > 1} fallback={row.attempts}>
                    <span class="badge warn" title={t("logs.table.retries", row.attempts - 1, Boolean(row.failedOver))}>
                      {row.attempts}
                      {row.failedOver ? " ⤳" : ""}
                    </span>
                  </Show>
                </td>
                <Show when={!props.compact}>
                  <td
                    class="num"
                    title={
                      row.promptTokens != null
                        ? t(
                            "logs.table.tokensTitle",
                            fmtInt(row.promptTokens),
                            fmtInt(row.completionTokens ?? 0),
                            row.tokenSource === "estimated",
                          )
                        : undefined
                    }
                  >
                    {tokensText(row)}
                  </td>
                  <td class="num">{row.costUsd == null ? "–" : fmtUsd(row.costUsd)}</td>
                </Show>
                <td class="wrap prompt-cell" title={row.promptPreview ?? ""}>
                  {row.promptPreview ?? <span class="muted">–</span>}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
