/**
 * The dashboard's figure cards (the `/api/stats` answer is the server's own type), each
 * with its change against the previous period of equal length. Whether a rise is good, bad or neither
 * decides the colour; rates change in percentage points, not in percent of themselves.
 */
import { For, type JSX, Show } from "solid-js";
import { fmtInt, fmtMs, fmtPct, fmtUsd } from "../format.ts";
import { fmtRate, fmtRps, rateUnitFor } from "./rate-units.ts";

export type { StatsResult, Totals } from "../../../src/store/queries/stats.ts";
export { bucketRateUnit, fmtRate, fmtRps, type RateUnit, rateUnitFor } from "./rate-units.ts";

import type { StatsResult, Totals } from "../../../src/store/queries/stats.ts";
export type Percentiles = Totals["latencyMs"];

/** Which way is good: "down" for errors and latency, "neutral" for volume. */
type Better = "down" | "neutral";

interface CardSpec {
  label: string;
  value: (t: Totals) => number | undefined;
  format: (n: number | undefined) => string;
  better: Better;
  /** A rate: the change is shown in percentage points. */
  rate?: boolean;
  sub?: (t: Totals) => string;
}

export const fmtCompact = (n: number | undefined) =>
  n === undefined
    ? "–"
    : n >= 1e9
      ? `${(n / 1e9).toFixed(2)} B`
      : n >= 1e6
        ? `${(n / 1e6).toFixed(2)} M`
        : n >= 1e4
          ? `${(n / 1e3).toFixed(1)} k`
          : fmtInt(n);

const CARDS: CardSpec[] = [
  {
    label: "Requests",
    value: (t) => t.requests,
    format: fmtInt,
    better: "neutral",
    sub: (t) => `${fmtInt(t.errors)} failed`,
  },
  {
    label: "Request rate",
    value: (t) => t.rps,
    format: fmtRate,
    better: "neutral",
    // The same rate in another unit: per hour for a quiet range read per day, per day otherwise.
    sub: (t) =>
      t.rps > 0 && rateUnitFor(t.rps).name === "day"
        ? `${fmtRps(t.rps * 3600)} / h`
        : `${fmtRps(t.rps * 86_400)} / day`,
  },
  {
    label: "Error rate",
    value: (t) => t.errorRate,
    format: fmtPct,
    better: "down",
    rate: true,
    sub: (t) => `${t.failovers ? fmtInt(t.failovers) : "no"} failover${t.failovers === 1 ? "" : "s"}`,
  },
  {
    label: "Latency p50",
    value: (t) => t.latencyMs.p50,
    format: fmtMs,
    better: "down",
    sub: (t) => `avg ${fmtMs(t.latencyMs.avg)}`,
  },
  {
    label: "Latency p95",
    value: (t) => t.latencyMs.p95,
    format: fmtMs,
    better: "down",
    sub: (t) => `p99 ${fmtMs(t.latencyMs.p99)}`,
  },
  {
    label: "First token p50",
    value: (t) => t.ttftMs.p50,
    format: fmtMs,
    better: "down",
    sub: (t) => `p95 ${fmtMs(t.ttftMs.p95)}`,
  },
  {
    label: "Tokens",
    value: (t) => t.promptTokens + t.completionTokens,
    format: fmtCompact,
    better: "neutral",
    sub: (t) => `${fmtCompact(t.promptTokens)} in · ${fmtCompact(t.completionTokens)} out`,
  },
  {
    label: "Cost",
    // No request priced: the cost is unknown, not $0.
    value: (t) => (t.requests > 0 && t.unpriced === t.requests ? undefined : t.costUsd),
    format: (x) => (x === undefined ? "not priced" : fmtUsd(x)),
    better: "neutral",
    sub: (t) =>
      t.requests > 0 && t.unpriced === t.requests
        ? "no model with a price"
        : t.requests > 0
          ? `${fmtUsd(t.costUsd / t.requests)} / request${t.unpriced > 0 ? ` · ${t.unpriced} not priced` : ""}`
          : "\u00a0",
  },
];

function delta(spec: CardSpec, now: Totals, before: Totals): { text: string; cls: string; title: string } {
  if (before.requests === 0)
    return { text: "no traffic before", cls: "", title: "Nothing to compare: the previous period had no requests." };
  const a = spec.value(now);
  const b = spec.value(before);
  if (a === undefined || b === undefined) return { text: "–", cls: "", title: "" };
  const diff = a - b;
  let text: string;
  if (spec.rate) text = `${diff >= 0 ? "+" : "−"}${Math.abs(diff * 100).toFixed(Math.abs(diff) < 0.1 ? 2 : 1)} pp`;
  else if (b === 0) text = a === 0 ? "±0 %" : "new";
  else {
    const ratio = diff / b;
    text = `${ratio >= 0 ? "+" : "−"}${Math.abs(ratio * 100).toFixed(Math.abs(ratio) < 0.1 ? 1 : 0)} %`;
  }
  const flat = Math.abs(diff) < 1e-9;
  const arrow = flat ? "" : diff > 0 ? "▲ " : "▼ ";
  const cls = spec.better === "neutral" || flat ? "" : diff > 0 ? "up" : "down";
  return { text: `${arrow}${text}`, cls, title: `Previous period: ${spec.format(b)}` };
}

/** The eight figures; `stats` undefined shows placeholders of the same size. */
export function StatCards(props: { stats: StatsResult | undefined }): JSX.Element {
  return (
    <div class="grid cards stat-cards">
      <For each={CARDS}>
        {(spec) => (
          <div class="panel card">
            <div class="label">{spec.label}</div>
            <Show
              when={props.stats}
              fallback={
                <>
                  <div class="value skeleton" aria-hidden="true">
                    &nbsp;
                  </div>
                  <div class="delta">&nbsp;</div>
                  <div class="stat-sub">&nbsp;</div>
                </>
              }
            >
              {(s) => {
                const d = () => delta(spec, s().totals, s().previous);
                return (
                  <>
                    <div class="value">{spec.format(spec.value(s().totals))}</div>
                    <div class={`delta ${d().cls}`} title={d().title}>
                      {d().text}
                    </div>
                    <div class="stat-sub muted">{spec.sub ? spec.sub(s().totals) : "\u00a0"}</div>
                  </>
                );
              }}
            </Show>
          </div>
        )}
      </For>
    </div>
  );
}
