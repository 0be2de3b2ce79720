/**
 * The dashboard's charts as specs built from one `/api/stats` answer: requests per second stacked by
 * tier, latency percentiles, failovers and errors, and the model and tier shares (doughnuts with an
 * HTML legend, readable on a phone and by a screen reader).
 */
import { For, type JSX } from "solid-js";
import { fmtInt, fmtMs, fmtPct } from "../format.ts";
import { formatDate, formatTime, t } from "../i18n/index.ts";
import { type ChartSpec, PALETTE, tierColor } from "./chart.tsx";
import { bucketRateUnit, fmtRps, type StatsResult } from "./stat-cards.tsx";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** "14:05", "Mon 14:00" when the range spans days, "Nov 21" for day buckets (UTC days, like the rollup). */
function bucketLabel(ts: number, stats: StatsResult): string {
  if (stats.bucketMs >= DAY)
    return formatDate(ts, { timeZone: "UTC", year: undefined, month: "short", day: "numeric" });
  const time = formatTime(ts, { hour: "2-digit", minute: "2-digit", second: undefined });
  return stats.to - stats.from > DAY
    ? `${formatDate(ts, { weekday: "short", year: undefined, month: undefined, day: undefined })} ${time}`
    : time;
}

export function bucketName(ms: number): string {
  if (ms >= DAY) return t("dashboard.bucket.days", ms / DAY);
  if (ms >= 3_600_000) return t("dashboard.bucket.hours", { n: ms / 3_600_000 });
  return t("dashboard.bucket.minutes", { n: ms / MINUTE });
}

/** Tiers in a stable order: t1, t2, t3 first, then the others by name. */
export function tierNames(stats: StatsResult): string[] {
  const names = new Set<string>(stats.byTier.map((t) => t.tier));
  for (const point of stats.series) for (const tier of Object.keys(point.byTier)) names.add(tier);
  return [...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** "second", "minute", "hour", "day": the requests chart's unit for these buckets, spelled out for its title. */
export function requestsUnitName(stats: StatsResult): string {
  const name = bucketRateUnit(stats.bucketMs).name;
  return name === "s"
    ? t("dashboard.units.second")
    : name === "min"
      ? t("dashboard.units.minute")
      : name === "h"
        ? t("dashboard.units.hour")
        : t("dashboard.units.dayLong");
}

/** Requests per bucket as a rate in the unit that fits the bucket (per day for day buckets, not "0.0005 req/s"). */
export function requestsSpec(stats: StatsResult): ChartSpec {
  const tiers = tierNames(stats);
  const unit = bucketRateUnit(stats.bucketMs);
  // Per second, the current minute's rate is over the time it has run, not the whole minute. Coarser
  // buckets read as counts per unit of the whole bucket: today's bar of a per-day chart is today's count.
  const now = Date.now();
  const units = stats.series.map((p) => {
    const end = unit.name === "s" ? Math.min(p.t + stats.bucketMs, stats.to, now) : p.t + stats.bucketMs;
    return Math.max(1, end - p.t) / 1000 / unit.seconds;
  });
  return {
    type: "bar",
    stacked: true,
    labels: stats.series.map((p) => bucketLabel(p.t, stats)),
    series: tiers.map((tier, i) => ({
      label: tier,
      color: tierColor(tier, i),
      data: stats.series.map((p, j) => (p.byTier[tier] ?? 0) / units[j]),
    })),
    yFormat: (v) => String(Number(v.toPrecision(3))),
    tooltip: (s, i, v) =>
      t("dashboard.charts.requestsTooltip", {
        tier: tiers[s],
        rate: fmtRps(v),
        unit: t(`dashboard.units.${unit.name}`),
        count: fmtInt(stats.series[i].byTier[tiers[s]] ?? 0),
      }),
  };
}

export function latencySpec(stats: StatsResult): ChartSpec {
  const pick = (f: (p: StatsResult["series"][number]) => number | undefined) =>
    stats.series.map((p) => (p.requests > 0 ? (f(p) ?? null) : null));
  return {
    type: "line",
    // A bucket without requests has no latency (not zero): the line joins the buckets around it.
    spanGaps: true,
    labels: stats.series.map((p) => bucketLabel(p.t, stats)),
    series: [
      { label: "p50", color: "--accent", data: pick((p) => p.latencyMs.p50) },
      { label: "p95", color: "--warn", data: pick((p) => p.latencyMs.p95) },
      { label: "p99", color: "--bad", data: pick((p) => p.latencyMs.p99) },
      { label: t("dashboard.charts.firstTokenP50"), color: "--muted", dashed: true, data: pick((p) => p.ttftMs.p50) },
    ],
    yFormat: fmtMs,
  };
}

/** Cost and savings per bucket, in dollars (from integer micro-dollars). */
export function costSpec(stats: StatsResult): ChartSpec {
  const usd = (micros: number) => micros / 1_000_000;
  return {
    type: "line",
    labels: stats.series.map((p) => bucketLabel(p.t, stats)),
    series: [
      { label: t("dashboard.charts.costSeries"), color: "--accent", data: stats.series.map((p) => usd(p.costMicros)) },
      {
        label: t("dashboard.charts.savedSeries"),
        color: "--ok",
        data: stats.series.map((p) => usd(p.savings.savedMicros)),
      },
    ],
    yFormat: (v) => `$${v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2)}`,
  };
}

export function failoverSpec(stats: StatsResult): ChartSpec {
  return {
    type: "bar",
    labels: stats.series.map((p) => bucketLabel(p.t, stats)),
    series: [
      { label: t("dashboard.charts.failoversSeries"), color: "--warn", data: stats.series.map((p) => p.failovers) },
      { label: t("dashboard.charts.failedSeries"), color: "--bad", data: stats.series.map((p) => p.errors) },
    ],
    yFormat: (v) => (Number.isInteger(v) ? fmtInt(v) : ""),
  };
}

export interface Slice {
  name: string;
  value: number;
  color: string;
  detail: string;
}

/** Models by requests: the largest seven and "other". */
export function modelSlices(stats: StatsResult): Slice[] {
  const top = stats.byModel.slice(0, 7).map((m, i) => ({
    name: m.model,
    value: m.requests,
    color: PALETTE[i],
    detail: t("dashboard.charts.sliceDetail", { p95: fmtMs(m.latencyMs.p95), errors: fmtPct(m.errorRate) }),
  }));
  const rest = stats.byModel.slice(7);
  if (rest.length > 0)
    top.push({
      name: t("dashboard.charts.others", { n: rest.length }),
      value: rest.reduce((n, m) => n + m.requests, 0),
      color: "--muted",
      detail: "",
    });
  // Requests no model answered (refused, or every attempt failed) are in no model's row.
  const none = stats.totals.requests - stats.byModel.reduce((n, m) => n + m.requests, 0);
  if (none > 0)
    top.push({
      name: t("dashboard.charts.noModel"),
      value: none,
      color: "--bad",
      detail: t("dashboard.charts.noModelDetail"),
    });
  return top;
}

export function tierSlices(stats: StatsResult): Slice[] {
  const tiers = tierNames(stats);
  return stats.byTier.map((tier) => ({
    name: tier.tier,
    value: tier.requests,
    color: tierColor(tier.tier, tiers.indexOf(tier.tier)),
    detail: t("dashboard.charts.sliceDetail", { p95: fmtMs(tier.latencyMs.p95), errors: fmtPct(tier.errorRate) }),
  }));
}

export function doughnutSpec(slices: Slice[]): ChartSpec {
  const total = slices.reduce((n, s) => n + s.value, 0) || 1;
  return {
    type: "doughnut",
    labels: slices.map((s) => s.name),
    series: [
      {
        label: t("dashboard.charts.requestsSeries"),
        data: slices.map((s) => s.value),
        color: slices.map((s) => s.color),
      },
    ],
    tooltip: (_s, i, v) => `${slices[i].name}: ${fmtInt(v)} (${fmtPct(v / total)})`,
  };
}

/** The doughnut's legend as a list: name, share, requests and a detail line. */
export function SliceLegend(props: { slices: Slice[] }): JSX.Element {
  const total = () => props.slices.reduce((n, s) => n + s.value, 0) || 1;
  return (
    <ul class="slice-legend">
      <For each={props.slices}>
        {(s) => (
          <li>
            <span
              class="swatch"
              style={{ background: s.color.startsWith("--") ? `var(${s.color})` : s.color }}
              aria-hidden="true"
            />
            <span class="slice-name mono" title={s.name}>
              {s.name}
            </span>
            <span class="slice-share">{fmtPct(s.value / total())}</span>
            <span class="muted slice-count">{fmtInt(s.value)}</span>
            <span class="muted slice-detail">{s.detail}</span>
          </li>
        )}
      </For>
    </ul>
  );
}
