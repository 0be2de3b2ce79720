/**
 * The dashboard's figure cards (the `/api/stats` answer is the server's own type), each
 * with its change against the previous period of equal length. Whether a rise is good, bad or neither
 * decides the colour; rates change in percentage points, not in percent of themselves.
 */
import { For, type JSX, Show } from "solid-js";
import { fixed, fmtInt, fmtMs, fmtPct, fmtUsd } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";
import { fmtRate, fmtRps, rateUnitFor } from "./rate-units.ts";

export type { StatsResult, Totals } from "../../../src/store/queries/stats.ts";
export { bucketRateUnit, fmtRate, fmtRps, type RateUnit, rateUnitFor } from "./rate-units.ts";

import type { StatsResult, Totals } from "../../../src/store/queries/stats.ts";
export type Percentiles = Totals["latencyMs"];

/** Which way is good: "down" for errors and latency, "neutral" for volume. */
type Better = "down" | "neutral";

interface CardSpec {
  /** Read at render (not at load): it follows the language. */
  label: () => string;
  value: (t: Totals) => number | undefined;
  format: (n: number | undefined) => string;
  better: Better;
  /** A rate: the change is shown in percentage points. */
  rate?: boolean;
  sub?: (t: Totals) => string;
}

// Compact figures keep the SI-style B / M / k in Chinese too (亿/万 would change the scale readers compare).
export const fmtCompact = (n: number | undefined) =>
  n === undefined
    ? "–"
    : n >= 1e9
      ? `${fixed(n / 1e9, 2)} B`
      : n >= 1e6
        ? `${fixed(n / 1e6, 2)} M`
        : n >= 1e4
          ? `${fixed(n / 1e3, 1)} k`
          : fmtInt(n);

const CARDS: CardSpec[] = [
  {
    label: () => t("dashboard.cards.requests"),
    value: (s) => s.requests,
    format: fmtInt,
    better: "neutral",
    sub: (s) => t("dashboard.cards.failed", { n: fmtInt(s.errors) }),
  },
  {
    label: () => t("dashboard.cards.rate"),
    value: (s) => s.rps,
    format: fmtRate,
    better: "neutral",
    // The same rate in another unit: per hour for a quiet range read per day, per day otherwise.
    sub: (s) =>
      s.rps > 0 && rateUnitFor(s.rps).name === "day"
        ? t("dashboard.cards.perHour", { n: fmtRps(s.rps * 3600) })
        : t("dashboard.cards.perDay", { n: fmtRps(s.rps * 86_400) }),
  },
  {
    label: () => t("dashboard.cards.errorRate"),
    value: (s) => s.errorRate,
    format: fmtPct,
    better: "down",
    rate: true,
    sub: (s) => t("dashboard.cards.failovers", s.failovers, fmtInt(s.failovers)),
  },
  {
    label: () => t("dashboard.cards.latencyP50"),
    value: (s) => s.latencyMs.p50,
    format: fmtMs,
    better: "down",
    sub: (s) => t("dashboard.cards.avg", { ms: fmtMs(s.latencyMs.avg) }),
  },
  {
    label: () => t("dashboard.cards.latencyP95"),
    value: (s) => s.latencyMs.p95,
    format: fmtMs,
    better: "down",
    sub: (s) => `p99 ${fmtMs(s.latencyMs.p99)}`,
  },
  {
    label: () => t("dashboard.cards.ttftP50"),
    value: (s) => s.ttftMs.p50,
    format: fmtMs,
    better: "down",
    sub: (s) => `p95 ${fmtMs(s.ttftMs.p95)}`,
  },
  {
    label: () => t("dashboard.cards.tokens"),
    value: (s) => s.promptTokens + s.completionTokens,
    format: fmtCompact,
    better: "neutral",
    sub: (s) =>
      t("dashboard.cards.inOut", { input: fmtCompact(s.promptTokens), output: fmtCompact(s.completionTokens) }),
  },
  {
    label: () => t("dashboard.cards.cost"),
    // No request priced: the cost is unknown, not $0.
    value: (s) => (s.requests > 0 && s.unpriced === s.requests ? undefined : s.costUsd),
    format: (x) => (x === undefined ? t("dashboard.cards.notPriced") : fmtUsd(x)),
    better: "neutral",
    sub: (s) =>
      s.requests > 0 && s.unpriced === s.requests
        ? t("dashboard.cards.noPrice")
        : s.requests > 0
          ? t("dashboard.cards.perRequest", fmtUsd(s.costUsd / s.requests), s.unpriced)
          : "\u00a0",
  },
];

function delta(spec: CardSpec, now: Totals, before: Totals): { text: string; cls: string; title: string } {
  if (before.requests === 0)
    return { text: t("dashboard.cards.noTrafficBefore"), cls: "", title: t("dashboard.cards.nothingToCompare") };
  const a = spec.value(now);
  const b = spec.value(before);
  if (a === undefined || b === undefined) return { text: "–", cls: "", title: "" };
  const diff = a - b;
  let text: string;
  const sign = diff >= 0 ? "+" : "−";
  if (spec.rate)
    text = sign + t("dashboard.cards.pp", { n: fixed(Math.abs(diff * 100), Math.abs(diff) < 0.1 ? 2 : 1) });
  else if (b === 0) text = a === 0 ? `±${t("common.percent", { n: "0" })}` : t("dashboard.cards.new");
  else {
    const ratio = diff / b;
    text = sign + t("common.percent", { n: fixed(Math.abs(ratio * 100), Math.abs(ratio) < 0.1 ? 1 : 0) });
  }
  const flat = Math.abs(diff) < 1e-9;
  const arrow = flat ? "" : diff > 0 ? "▲ " : "▼ ";
  const cls = spec.better === "neutral" || flat ? "" : diff > 0 ? "up" : "down";
  return { text: `${arrow}${text}`, cls, title: t("dashboard.cards.previous", { value: spec.format(b) }) };
}

/** The eight figures; `stats` undefined shows placeholders of the same size. */
export function StatCards(props: { stats: StatsResult | undefined }): JSX.Element {
  return (
    <div class="grid cards stat-cards">
      <For each={CARDS}>
        {(spec) => (
          <div class="panel card">
            <div class="label">{spec.label()}</div>
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
