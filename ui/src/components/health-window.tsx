/**
 * The health page's counted window (GET /api/health?window=…): the window picker, each card's verdict,
 * its figures over the window (error rate of its attempts, latency p50/p95, time to first token), a
 * small chart of answered and failed attempts over the window, and the circuit's timeline.
 */
import { For, type JSX, Show } from "solid-js";
import type { HealthTarget, HealthVerdict, HealthWindowRange } from "../api.ts";
import { fmtClock, fmtInt, fmtMs, fmtPct, fmtTime } from "../format.ts";
import { type ChartSpec, ChartView } from "./chart.tsx";
import { CircuitBadge } from "./health-parts.tsx";

export type WindowKey = HealthWindowRange["key"];
export const WINDOW_KEYS: { key: WindowKey; label: string; long: string }[] = [
  { key: "15m", label: "15 min", long: "the last 15 minutes" },
  { key: "1h", label: "1 h", long: "the last hour" },
  { key: "24h", label: "24 h", long: "the last 24 hours" },
];
export const windowName = (key: WindowKey) => WINDOW_KEYS.find((w) => w.key === key)?.long ?? key;

export function WindowPicker(props: { value: WindowKey; onChange: (key: WindowKey) => void }): JSX.Element {
  return (
    <fieldset class="segmented health-window-picker">
      <legend class="sr-only">Window of the figures</legend>
      <For each={WINDOW_KEYS}>
        {(w) => (
          <button
            type="button"
            aria-pressed={props.value === w.key}
            onClick={() => props.onChange(w.key)}
            title={`Figures over ${w.long}`}
          >
            {w.label}
          </button>
        )}
      </For>
    </fieldset>
  );
}

/** Healthy / degraded / failing / no traffic, with the reason beside it. */
export function VerdictBadge(props: { verdict: HealthVerdict }): JSX.Element {
  return (
    <span class="health-verdict">
      <span class={`badge ${props.verdict.level === "idle" ? "" : props.verdict.level}`}>{props.verdict.label}</span>
      <span class="muted health-why">{props.verdict.why}</span>
    </span>
  );
}

const HOUR = 3_600_000;

function attemptsSpec(target: HealthTarget, range: HealthWindowRange): ChartSpec {
  const series = target.window?.series ?? [];
  const label = (t: number) =>
    new Date(t).toLocaleTimeString(
      undefined,
      range.bucketMs >= HOUR ? { hour: "2-digit" } : { hour: "2-digit", minute: "2-digit" },
    );
  return {
    type: "bar",
    stacked: true,
    labels: series.map((p) => label(p.t)),
    series: [
      { label: "answered", color: "--ok", data: series.map((p) => p.attempts - p.failures) },
      { label: "failed", color: "--bad", data: series.map((p) => p.failures) },
    ],
    yFormat: (v) => (Number.isInteger(v) ? fmtInt(v) : ""),
    tooltip: (s, i, v) =>
      `${s === 0 ? "answered" : "failed"}: ${fmtInt(v)} of ${fmtInt(series[i].attempts)} attempts${
        series[i].attempts > 0 ? ` · p95 ${fmtMs(series[i].latencyMs.p95)}` : ""
      }`,
  };
}

/** The window's counted figures and chart; nothing when the gateway keeps no request log. */
export function WindowFigures(props: { target: HealthTarget; range: HealthWindowRange }): JSX.Element {
  return (
    <Show when={props.target.window}>
      {(w) => (
        <div class="health-window">
          <dl class="health-stats">
            <div title={`${fmtInt(w().totals.failures)} of ${fmtInt(w().totals.attempts)} attempts failed`}>
              <dt>Error rate</dt>
              <dd classList={{ "health-bad": w().totals.errorRate >= 0.05 }}>
                {w().totals.attempts > 0 ? fmtPct(w().totals.errorRate) : "–"}
              </dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>
                {fmtInt(w().totals.attempts)}
                <Show when={w().totals.failures > 0}>
                  <span class="muted health-failed"> ({fmtInt(w().totals.failures)} failed)</span>
                </Show>
              </dd>
            </div>
            <div title="Requests it finally answered">
              <dt>Answered</dt>
              <dd>{fmtInt(w().totals.answered)}</dd>
            </div>
            <div title="Duration of its attempts">
              <dt>Latency p50</dt>
              <dd>{fmtMs(w().totals.latencyMs.p50)}</dd>
            </div>
            <div title="Duration of its attempts">
              <dt>Latency p95</dt>
              <dd>{fmtMs(w().totals.latencyMs.p95)}</dd>
            </div>
            <div title={`From the start of the answering attempt; p95 ${fmtMs(w().totals.ttftMs.p95)}`}>
              <dt>First token p50</dt>
              <dd>{fmtMs(w().totals.ttftMs.p50)}</dd>
            </div>
            <div title="Failed attempts retried on this same model">
              <dt>Retries</dt>
              <dd>{fmtInt(w().totals.retries)}</dd>
            </div>
            <div title="Failed attempts after which the request moved to another model">
              <dt>Failovers away</dt>
              <dd>{fmtInt(w().totals.failovers)}</dd>
            </div>
          </dl>
          <ChartView
            spec={attemptsSpec(props.target, props.range)}
            label={`Attempts on ${props.target.target} over ${windowName(props.range.key)}: ${fmtInt(w().totals.attempts)}, ${fmtInt(w().totals.failures)} failed`}
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
    <Show when={props.target.transitions.length > 0} fallback={<p class="muted health-noerr">Circuit never opened</p>}>
      <details class="health-timeline">
        <summary>Circuit changes ({props.target.transitions.length})</summary>
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
