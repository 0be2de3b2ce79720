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
import { formatDateTime, formatNumber, t } from "../i18n/index.ts";
import { LOGS_RETURN_KEY } from "./logs.tsx";

/** The API a request came through, when it was not chat completions (an unknown one by its name). */
const doorLabel = (door: string): string =>
  door === "messages" || door === "responses" || door === "embeddings" ? t(`logs.filters.doors.${door}`) : door;

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
          {t("logs.detail.back")}
        </A>
        <h1 class="page-title">{t("logs.detail.title")}</h1>
        <code class="detail-id">{params.id}</code>
        <CopyButton text={() => params.id} label={t("logs.detail.copyId")} />
      </div>
      <Show
        when={!detail.error}
        fallback={
          <p class="error" role="alert">
            {detail.error instanceof ApiError && detail.error.status === 404
              ? t("logs.detail.notFound", { id: params.id })
              : t("logs.detail.loadFailed", { message: String(detail.error?.message ?? detail.error) })}
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
            {t("logs.detail.summary")}
          </h2>
          <dl class="kv">
            <dt>{t("logs.detail.status")}</dt>
            <dd>
              <StatusBadge status={d().status} errorClass={d().errorClass} />
              <Show when={d().errorClass}>
                {" "}
                <span class="muted">{d().errorClass}</span>
              </Show>
            </dd>
            <dt>{t("logs.detail.time")}</dt>
            <dd title={new Date(d().ts).toISOString()}>
              {formatDateTime(d().ts, {
                month: "short",
                hour: "2-digit",
                minute: "2-digit",
                second: "2-digit",
                fractionalSecondDigits: 3,
              })}
            </dd>
            <Show when={d().refused}>
              <dt>{t("logs.detail.refused")}</dt>
              <dd data-testid="refused-note">
                {t("logs.detail.refusedNote")}
                {d().errorClass ? t("logs.detail.refusedClass", d().errorClass ?? "") : ""}
              </dd>
            </Show>
            <dt>{t("logs.detail.requested")}</dt>
            <dd class="mono">
              {d().requestedModel || <span class="muted">{t("logs.detail.notRead")}</span>}
              {d().stream ? t("logs.detail.streamed") : ""}
              {d().door !== "chat" ? t("logs.detail.via", { door: doorLabel(d().door) }) : ""}
            </dd>
            <dt>{t("logs.detail.tier")}</dt>
            <dd>
              <Show when={d().tier} fallback={<span class="muted">{t("logs.detail.none")}</span>}>
                <TierBadge tier={d().tier} />
              </Show>{" "}
              <span class="muted">{d().tierReason ?? ""}</span>
            </dd>
            <dt>{t("logs.detail.answeredBy")}</dt>
            <dd>
              {d().model ? (
                <span class="mono">{d().model}</span>
              ) : (
                <span class="muted">{t("logs.detail.noModel")}</span>
              )}
            </dd>
            <dt>{t("logs.detail.apiKey")}</dt>
            <dd>
              <Show when={d().apiKeyId} fallback={<span class="muted">{t("logs.detail.noKey")}</span>}>
                <A href={`/logs${query({ key: d().apiKeyId })}`} title={t("logs.detail.keyRequests")}>
                  {keyName(d().apiKeyId) ?? <span class="mono">{d().apiKeyId}</span>}
                </A>
              </Show>
            </dd>
            <dt>{t("logs.detail.clientIp")}</dt>
            <dd class="mono">{d().clientIp ?? "–"}</dd>
            <dt>{t("logs.detail.requestId")}</dt>
            <dd class="mono">{d().id}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="num-h">
          <h2 id="num-h" class="panel-title">
            {t("logs.detail.figures")}
          </h2>
          <dl class="kv">
            <dt>{t("logs.detail.latency")}</dt>
            <dd>{fmtMs(d().latencyMs)}</dd>
            <dt>{t("logs.detail.firstToken")}</dt>
            <dd>{fmtMs(d().ttftMs)}</dd>
            <dt>{t("logs.detail.overhead")}</dt>
            <dd>
              {fmtMs(d().overheadMs)} <span class="muted">{t("logs.detail.overheadNote")}</span>
            </dd>
            <dt>{t("logs.detail.attempts")}</dt>
            <dd>{d().attempts}</dd>
            <dt>{t("logs.detail.promptTokens")}</dt>
            <dd>{fmtInt(d().promptTokens)}</dd>
            <dt>{t("logs.detail.completionTokens")}</dt>
            <dd>{fmtInt(d().completionTokens)}</dd>
            <dt>{t("logs.detail.totalTokens")}</dt>
            <dd>
              {d().promptTokens == null && d().completionTokens == null
                ? "–"
                : fmtInt((d().promptTokens ?? 0) + (d().completionTokens ?? 0))}{" "}
              <Show when={d().tokenSource}>
                <span
                  class={`badge ${d().tokenSource === "upstream" ? "ok" : "warn"}`}
                  title={
                    d().tokenSource === "upstream"
                      ? t("logs.detail.fromUpstreamTitle")
                      : t("logs.detail.estimatedTitle")
                  }
                >
                  {d().tokenSource === "upstream" ? t("logs.detail.fromUpstream") : t("logs.detail.estimated")}
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
            <dt>{t("logs.detail.cost")}</dt>
            <dd>
              {d().costUsd != null ? (
                fmtUsd(d().costUsd)
              ) : (
                <span class="muted">{d().model && d().promptTokens != null ? t("logs.detail.notPriced") : "–"}</span>
              )}
            </dd>
            <Show when={d().costDetail}>{(c) => <CostBreakdownRows detail={c()} log={d()} />}</Show>
          </dl>
        </section>
      </div>

      <Show when={d().errorMessage}>
        <p class="error" role="alert">
          <strong>{t("logs.detail.error")}</strong> {d().errorMessage}
        </p>
      </Show>

      <section class="panel" aria-labelledby="att-h">
        <h2 id="att-h" class="panel-title">
          {t("logs.detail.attemptsTitle")}
        </h2>
        <AttemptTimeline attempts={d().attemptTrace} start={d().ts} latencyMs={d().latencyMs} stream={d().stream} />
      </section>

      <section class="panel" aria-labelledby="req-h">
        <h2 id="req-h" class="panel-title">
          {t("logs.detail.conversation")}
        </h2>
        <BodyState body={d().requestBody} what="request" status={d().status} refused={d().refused}>
          {(body) => <Conversation body={body} />}
        </BodyState>
      </section>

      <section class="panel" aria-labelledby="res-h">
        <h2 id="res-h" class="panel-title">
          {t("logs.detail.answer")}
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
          {t("logs.detail.raw")}
        </h2>
        <RawJson
          title={t("logs.detail.requestBody")}
          copyLabel={t("logs.detail.copyRequestBody")}
          value={d().requestBody}
        />
        <RawJson
          title={t("logs.detail.responseBody")}
          copyLabel={t("logs.detail.copyResponseBody")}
          value={d().responseBody}
        />
        <RawJson title={t("logs.detail.trace")} copyLabel={t("logs.detail.copyTrace")} value={d().attemptTrace} />
      </section>
    </>
  );
}

/** Collapsed JSON, rendered only once opened. */
function RawJson(props: { title: string; copyLabel: string; value: unknown }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const text = () => (typeof props.value === "string" ? props.value : (JSON.stringify(props.value, null, 2) ?? "null"));
  const size = () => {
    const n = (typeof props.value === "string" ? props.value : (JSON.stringify(props.value) ?? "")).length;
    return n > 1024
      ? `${formatNumber(n / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`
      : `${formatNumber(n)} B`;
  };
  return (
    <details class="raw-json" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {props.title} <span class="muted">({props.value === null ? t("logs.detail.notLogged") : size()})</span>
      </summary>
      <Show when={open()}>
        <div class="row raw-actions">
          <CopyButton text={text} label={props.copyLabel} />
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
        {done() ? t("logs.detail.copied") : t("logs.detail.copy")}
      </button>
    </Show>
  );
}
