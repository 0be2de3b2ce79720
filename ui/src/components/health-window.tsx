/**
 * The health page's counted window (GET /api/health?window=…): the window picker, each card's verdict,
 * its figures over the window (error rate of its attempts, latency p50/p95, time to first token), a
 * small chart of answered and failed attempts over the window, and the circuit's timeline.
 */
import { For, type JSX, Show } from "solid-js";
import type { HealthTarget, HealthVerdict, HealthWindowRange } from "../api.ts";
import { fmtClock, fmtInt, fmtMs, fmtPct, fmtTime } from "../format.ts";
import { formatTime, t } from "../i18n/index.ts";
import { type ChartSpec, ChartView } from "./chart.tsx";
import { CircuitBadge } from "./health-parts.tsx";
import { verdictWhy } from "./health-why.ts";

export type WindowKey = HealthWindowRange["key"];
export const WINDOW_KEYS: WindowKey[] = ["15m", "1h", "24h"];
/** "the last hour": a window in words, in the active language. */
export const windowName = (key: WindowKey) => (WINDOW_KEYS.includes(key) ? t(`health.window.long${key}`) : key);

export function WindowPicker(props: { value: WindowKey; onChange: (key: WindowKey) => void }): JSX.Element {
  return (
    <fieldset class="segmented health-window-picker">
      <legend class="sr-only">{t("health.window.legend")}</legend>
      <For each={WINDOW_KEYS}>
        {(key) => (
          <button
            type="button"
            aria-pressed={props.value === key}
            onClick={() => props.onChange(key)}
            title={t("health.window.title", { window: windowName(key) })}
          >
            {t(`health.window.${key}`)}
          </button>
        )}
      </For>
    </fieldset>
  );
}

const verdictLabel = (verdict: HealthVerdict) =>
  verdict.label === "no traffic" ? "idle" : (verdict.label as "healthy" | "degraded" | "failing");

/** Healthy / degraded / failing / no traffic, with the reason beside it. */
export function VerdictBadge(props: { verdict: HealthVerdict }): JSX.Element {
  return (
    <span class="health-verdict">
      <span class={`badge ${props.verdict.level === "idle" ? "" : props.verdict.level}`}>
        {t(`health.verdict.${props.verdict.level === "idle" ? "idle" : verdictLabel(props.verdict)}`)}
      </span>
      <span class="muted health-why">{verdictWhy(props.verdict.why)}</span>
    </span>
  );
}

const HOUR = 3_600_000;

function attemptsSpec(target: HealthTarget, range: HealthWindowRange): ChartSpec {
  const series = target.window?.series ?? [];
  const label = (ts: number) =>
    formatTime(ts, range.bucketMs >= HOUR ? { minute: undefined, second: undefined } : { second: undefined });
  return {
    type: "bar",
    stacked: true,
    labels: series.map((p) => label(p.t)),
    series: [
      { label: t("health.chart.answered"), color: "--ok", data: series.map((p) => p.attempts - p.failures) },
      { label: t("health.chart.failed"), color: "--bad", data: series.map((p) => p.failures) },
    ],
    yFormat: (v) => (Number.isInteger(v) ? fmtInt(v) : ""),
    tooltip: (s, i, v) =>
      t("health.chart.tooltip", {
        what: s === 0 ? t("health.chart.answered") : t("health.chart.failed"),
        n: fmtInt(v),
        attempts: fmtInt(series[i].attempts),
      }) + (series[i].attempts > 0 ? ` · p95 ${fmtMs(series[i].latencyMs.p95)}` : ""),
  };
}

/** The window's counted figures and chart; nothing when the gateway keeps no request log. */
export function WindowFigures(props: { target: HealthTarget; range: HealthWindowRange }): JSX.Element {
  return (
    <Show when={props.target.window}>
      {(w) => (
        <div class="health-window">
          <dl class="health-stats">
            <div
              title={t("health.stats.windowFailedTitle", {
                failures: fmtInt(w().totals.failures),
                attempts: fmtInt(w().totals.attempts),
              })}
            >
              <dt>{t("health.stats.errorRate")}</dt>
              <dd classList={{ "health-bad": w().totals.errorRate >= 0.05 }}>
                {w().totals.attempts > 0 ? fmtPct(w().totals.errorRate) : "–"}
              </dd>
            </div>
            <div>
              <dt>{t("health.stats.attempts")}</dt>
              <dd>
                {fmtInt(w().totals.attempts)}
                <Show when={w().totals.failures > 0}>
                  <span class="muted health-failed">
                    {t("health.stats.failedCount", { n: fmtInt(w().totals.failures) })}
                  </span>
                </Show>
              </dd>
            </div>
            <div title={t("health.stats.answeredTitle")}>
              <dt>{t("health.stats.answered")}</dt>
              <dd>{fmtInt(w().totals.answered)}</dd>
            </div>
            <div title={t("health.stats.durationTitle")}>
              <dt>{t("health.stats.latencyP50")}</dt>
              <dd>{fmtMs(w().totals.latencyMs.p50)}</dd>
            </div>
            <div title={t("health.stats.durationTitle")}>
              <dt>{t("health.stats.latencyP95")}</dt>
              <dd>{fmtMs(w().totals.latencyMs.p95)}</dd>
            </div>
            <div title={t("health.stats.ttftTitle", { p95: fmtMs(w().totals.ttftMs.p95) })}>
              <dt>{t("health.stats.ttftP50")}</dt>
              <dd>{fmtMs(w().totals.ttftMs.p50)}</dd>
            </div>
            <div title={t("health.stats.retriesTitle")}>
              <dt>{t("health.stats.retries")}</dt>
              <dd>{fmtInt(w().totals.retries)}</dd>
            </div>
            <div title={t("health.stats.failoversAwayTitle")}>
              <dt>{t("health.stats.failoversAway")}</dt>
              <dd>{fmtInt(w().totals.failovers)}</dd>
            </div>
          </dl>
          <ChartView
            spec={attemptsSpec(props.target, props.range)}
            label={t("health.chart.label", {
              target: props.target.target,
              window: windowName(props.range.key),
              attempts: fmtInt(w().totals.attempts),
              failures: fmtInt(w().totals.failures),
            })}
            height={120}
          />
        </div>
      )}
    </Show>
  );
}

/** "14:03:12" today, with the date before today (a timeline can span days). */
function fmtWhen(at: number): string {
  return new Date(at).toDateString() === new Date().toDateString() ? fmtClock(at) : fmtTime(at);
}

/** The circuit's changes, newest first; "no change" when it has always been closed. */
export function CircuitTimeline(props: { target: HealthTarget }): JSX.Element {
  const newestFirst = () => [...props.target.transitions].reverse();
  return (
    <Show
      when={props.target.transitions.length > 0}
      fallback={<p class="muted health-noerr">{t("health.neverOpened")}</p>}
    >
      <details class="health-timeline">
        <summary>{t("health.changes", { n: props.target.transitions.length })}</summary>
        <ol>
          <For each={newestFirst()}>
            {(change) => (
              <li>
                <time class="muted mono" dateTime={new Date(change.at).toISOString()}>
                  {fmtWhen(change.at)}
                </time>{" "}
                <CircuitBadge state={change.state} /> <span>{change.reason}</span>
              </li>
            )}
          </For>
        </ol>
      </details>
    </Show>
  );
}
