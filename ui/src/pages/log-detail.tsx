/**
 * One request in full: who sent it and how it was routed, the attempts on a time axis, the
 * conversation and the answer rendered for reading, tokens and cost, and the raw JSON (rendered only
 * when opened: a body with inline images can be megabytes).
 */

import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { ApiError, call, query } from "../api.ts";
import { CostBreakdownRows } from "../components/cost-breakdown.tsx";
import { Answer, BodyState, Conversation, isObj } from "../components/log-conversation.tsx";
import { AttemptTimeline } from "../components/log-timeline.tsx";
import { type LogDetail, StatusBadge, TierBadge } from "../components/log-types.tsx";
import { fmtInt, fmtMs, fmtUsd } from "../format.ts";
import { LOGS_RETURN_KEY } from "./logs.tsx";

/** The API a request came through, when it was not chat completions. */
const DOOR_LABELS: Record<string, string> = {
  messages: "Anthropic Messages",
  responses: "OpenAI Responses",
  embeddings: "Embeddings",
};

export function LogDetailPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const [detail] = createResource(
    () => params.id,
    (id) => call("GET /api/logs/:id", { params: { id } }),
  );
  const back = `/logs${sessionStorage.getItem(LOGS_RETURN_KEY) ?? ""}`;

  return (
    <div class="stack log-detail">
      <div class="row">
        <A href={back} class="button">
          ← Logs
        </A>
        <h1 class="page-title">Request</h1>
        <code class="detail-id">{params.id}</code>
        <CopyButton text={() => params.id} label="Copy the request id" />
      </div>
      <Show
        when={!detail.error}
        fallback={
          <p class="error" role="alert">
            {detail.error instanceof ApiError && detail.error.status === 404
              ? `No request ${params.id} in the log: it may have been removed by retention.`
              : `Could not load the request: ${String(detail.error?.message ?? detail.error)}`}
          </p>
        }
      >
        <Show when={detail()} fallback={<div class="panel skeleton detail-skeleton" aria-hidden="true" />}>
          {(d) => <Detail d={d()} />}
        </Show>
      </Show>
    </div>
  );
}

function Detail(props: { d: LogDetail }): JSX.Element {
  const d = () => props.d;
  const [keys] = createResource(() => call("GET /api/keys").catch(() => ({ keys: [] })));
  const keyName = (id: string | null) => {
    const key = keys()?.keys.find((k) => k.id === id);
    return key ? `${key.name} (${key.prefix}…)` : undefined;
  };
  const usage = () =>
    isObj(d().responseBody) && isObj((d().responseBody as Record<string, unknown>).usage)
      ? ((d().responseBody as Record<string, unknown>).usage as Record<string, unknown>)
      : undefined;
  const extraUsage = () => {
    const u = usage();
    if (!u) return [];
    const out: [string, number][] = [];
    for (const value of Object.values(u))
      if (isObj(value))
        for (const [k, v] of Object.entries(value))
          if (typeof v === "number" && v > 0) out.push([`${k.replace(/_/g, " ")}`, v]);
    return out;
  };
  return (
    <>
      <div class="grid two">
        <section class="panel" aria-labelledby="sum-h">
          <h2 id="sum-h" class="panel-title">
            Summary
          </h2>
          <dl class="kv">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={d().status} errorClass={d().errorClass} />
              <Show when={d().errorClass}>
                {" "}
                <span class="muted">{d().errorClass}</span>
              </Show>
            </dd>
            <dt>Time</dt>
            <dd title={new Date(d().ts).toISOString()}>
              {new Date(d().ts).toLocaleString(undefined, {
                year: "numeric",
                month: "short",
                day: "numeric",
                hour: "2-digit",
                minute: "2-digit",
                second: "2-digit",
                fractionalSecondDigits: 3,
              })}
            </dd>
            <Show when={d().refused}>
              <dt>Refused</dt>
              <dd data-testid="refused-note">
                before any route was planned: no tier chosen, no model called
                {d().errorClass ? ` (${d().errorClass})` : ""}
              </dd>
            </Show>
            <dt>Requested</dt>
            <dd class="mono">
              {d().requestedModel || <span class="muted">not read (refused before the body was parsed)</span>}
              {d().stream ? " · streamed" : ""}
              {d().door !== "chat" ? ` · via ${DOOR_LABELS[d().door] ?? d().door}` : ""}
            </dd>
            <dt>Tier</dt>
            <dd>
              <Show when={d().tier} fallback={<span class="muted">none</span>}>
                <TierBadge tier={d().tier} />
              </Show>{" "}
              <span class="muted">{d().tierReason ?? ""}</span>
            </dd>
            <dt>Answered by</dt>
            <dd>{d().model ? <span class="mono">{d().model}</span> : <span class="muted">no model answered</span>}</dd>
            <dt>API key</dt>
            <dd>
              <Show when={d().apiKeyId} fallback={<span class="muted">none (open gateway or a config key)</span>}>
                <A href={`/logs${query({ key: d().apiKeyId })}`} title="Requests with this key">
                  {keyName(d().apiKeyId) ?? <span class="mono">{d().apiKeyId}</span>}
                </A>
              </Show>
            </dd>
            <dt>Client IP</dt>
            <dd class="mono">{d().clientIp ?? "–"}</dd>
            <dt>Request id</dt>
            <dd class="mono">{d().id}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="num-h">
          <h2 id="num-h" class="panel-title">
            Timing, tokens and cost
          </h2>
          <dl class="kv">
            <dt>Latency</dt>
            <dd>{fmtMs(d().latencyMs)}</dd>
            <dt>First token</dt>
            <dd>{fmtMs(d().ttftMs)}</dd>
            <dt>Gateway overhead</dt>
            <dd>
              {fmtMs(d().overheadMs)} <span class="muted">(time in the gateway itself)</span>
            </dd>
            <dt>Attempts</dt>
            <dd>{d().attempts}</dd>
            <dt>Prompt tokens</dt>
            <dd>{fmtInt(d().promptTokens)}</dd>
            <dt>Completion tokens</dt>
            <dd>{fmtInt(d().completionTokens)}</dd>
            <dt>Total tokens</dt>
            <dd>
              {d().promptTokens == null && d().completionTokens == null
                ? "–"
                : fmtInt((d().promptTokens ?? 0) + (d().completionTokens ?? 0))}{" "}
              <Show when={d().tokenSource}>
                <span
                  class={`badge ${d().tokenSource === "upstream" ? "ok" : "warn"}`}
                  title={
                    d().tokenSource === "upstream"
                      ? "Counted by the upstream"
                      : "The upstream reported no usage: estimated by the gateway"
                  }
                >
                  {d().tokenSource === "upstream" ? "from the upstream" : "estimated"}
                </span>
              </Show>
            </dd>
            <For each={extraUsage()}>
              {([k, v]) => (
                <>
                  <dt class="muted">{k}</dt>
                  <dd>{fmtInt(v)}</dd>
                </>
              )}
            </For>
            <dt>Cost</dt>
            <dd>
              {d().costUsd != null ? (
                fmtUsd(d().costUsd)
              ) : (
                <span class="muted">
                  {d().model && d().promptTokens != null ? "not priced (no price in the config or the catalog)" : "–"}
                </span>
              )}
            </dd>
            <Show when={d().costDetail}>{(c) => <CostBreakdownRows detail={c()} log={d()} />}</Show>
          </dl>
        </section>
      </div>

      <Show when={d().errorMessage}>
        <p class="error" role="alert">
          <strong>Error:</strong> {d().errorMessage}
        </p>
      </Show>

      <section class="panel" aria-labelledby="att-h">
        <h2 id="att-h" class="panel-title">
          Attempts
        </h2>
        <AttemptTimeline attempts={d().attemptTrace} start={d().ts} latencyMs={d().latencyMs} stream={d().stream} />
      </section>

      <section class="panel" aria-labelledby="req-h">
        <h2 id="req-h" class="panel-title">
          Conversation
        </h2>
        <BodyState body={d().requestBody} what="request" status={d().status} refused={d().refused}>
          {(body) => <Conversation body={body} />}
        </BodyState>
      </section>

      <section class="panel" aria-labelledby="res-h">
        <h2 id="res-h" class="panel-title">
          Answer
        </h2>
        <BodyState
          body={d().responseBody}
          what="response"
          status={d().status}
          requestKept={d().requestBody !== null}
          refused={d().refused}
        >
          {(body) => <Answer body={body} />}
        </BodyState>
      </section>

      <section class="panel stack" aria-labelledby="raw-h">
        <h2 id="raw-h" class="panel-title">
          Raw JSON
        </h2>
        <RawJson title="Request body" value={d().requestBody} />
        <RawJson title="Response body" value={d().responseBody} />
        <RawJson title="Attempt trace" value={d().attemptTrace} />
      </section>
    </>
  );
}

/** Collapsed JSON, rendered only once opened. */
function RawJson(props: { title: string; value: unknown }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const text = () => (typeof props.value === "string" ? props.value : (JSON.stringify(props.value, null, 2) ?? "null"));
  const size = () => {
    const n = (typeof props.value === "string" ? props.value : (JSON.stringify(props.value) ?? "")).length;
    return n > 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
  };
  return (
    <details class="raw-json" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {props.title} <span class="muted">({props.value === null ? "not logged" : size()})</span>
      </summary>
      <Show when={open()}>
        <div class="row raw-actions">
          <CopyButton text={text} label={`Copy the ${props.title.toLowerCase()}`} />
        </div>
        <pre>{text()}</pre>
      </Show>
    </details>
  );
}

function CopyButton(props: { text: () => string; label: string }): JSX.Element {
  const [done, setDone] = createSignal(false);
  const copy = async () => {
    await navigator.clipboard.writeText(props.text());
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return (
    <Show when={typeof navigator.clipboard?.writeText === "function"}>
      <button
        type="button"
        class="small"
        onClick={() => void copy().catch(() => {})}
        aria-label={props.label}
        title={props.label}
      >
        {done() ? "Copied" : "Copy"}
      </button>
    </Show>
  );
}
