/**
 * The request table of the logs page and the live tail. The time cell is a real link (keyboard,
 * middle click, "open in new tab"); a click anywhere else on the row opens the request too.
 */
import { A, useNavigate } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { fmtMs, fmtUsd } from "../format.ts";
import { fmtWhen, type LogRowLike, StatusBadge, TierBadge, tokensText } from "./log-types.tsx";

/** "auto → sim/small"; just the model when the client named the one that answered. */
export function ModelCell(props: { requested: string; model: string | null }): JSX.Element {
  const same = () => props.model === props.requested || props.model?.endsWith(`/${props.requested}`);
  return (
    <span class="mono model-cell">
      <Show when={!same()}>
        <span class="muted">{props.requested}</span>
        <span class="muted" aria-label="answered by">
          {" "}
          →{" "}
        </span>
      </Show>
      {props.model ?? <span class="muted">none</span>}
    </span>
  );
}

export function LogTable(props: {
  rows: LogRowLike[];
  compact?: boolean;
  fresh?: (id: string) => boolean;
  caption: string;
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
            <th scope="col">Time</th>
            <th scope="col">Tier</th>
            <th scope="col">Model</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Latency
            </th>
            <th scope="col" class="num" title="Time to first token">
              TTFT
            </th>
            <th scope="col" class="num">
              Attempts
            </th>
            <Show when={!props.compact}>
              <th scope="col" class="num">
                Tokens
              </th>
              <th scope="col" class="num">
                Cost
              </th>
            </Show>
            <th scope="col">Prompt</th>
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
                  <TierBadge tier={row.tier} />
                </td>
                <td>
                  <ModelCell requested={row.requestedModel} model={row.model} />
                </td>
                <td>
                  <StatusBadge status={row.status} errorClass={row.errorClass} />
                </td>
                <td class="num">{fmtMs(row.latencyMs)}</td>
                <td class="num">
                  {fmtMs(row.ttftMs)}
                  <Show when={row.stream}>
                    <span class="muted stream-mark" title="streamed">
                      {" "}
                      ⇶
                    </span>
                  </Show>
                  <Show when={row.door && row.door !== "chat"}>
                    <span class="muted stream-mark" title={`via the ${row.door} API`}>
                      {" "}
                      {row.door}
                    </span>
                  </Show>
                </td>
                <td class="num">
                  <Show when={row.attempts > 1} fallback={row.attempts}>
                    <span
                      class="badge warn"
                      title={`${row.attempts - 1} retr${row.attempts === 2 ? "y" : "ies"} or failover${row.attempts === 2 ? "" : "s"}`}
                    >
                      {row.attempts}
                    </span>
                  </Show>
                </td>
                <Show when={!props.compact}>
                  <td
                    class="num"
                    title={
                      row.promptTokens != null
                        ? `${row.promptTokens} prompt + ${row.completionTokens ?? 0} completion${row.tokenSource === "estimated" ? " (estimated)" : ""}`
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
