/**
 * A chart.js canvas driven by a plain spec. The chart is created once; a new spec updates its data in
 * place (no flicker, legend toggles kept), a theme switch re-reads the colours from the CSS variables,
 * and the chart is destroyed with the component. Only the controllers and elements used are registered.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type TooltipItem,
} from "chart.js";
import { createEffect, type JSX, on, onCleanup, onMount } from "solid-js";
import { theme } from "../theme.ts";
import { pointRadii } from "./chart-points.ts";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
  Filler,
);

export interface SeriesSpec {
  label: string;
  data: (number | null)[];
  /** A colour, a CSS variable name ("--t1"), or one per point (doughnut slices). */
  color: string | string[];
  dashed?: boolean;
}

export interface ChartSpec {
  type: "bar" | "line" | "doughnut";
  labels: string[];
  series: SeriesSpec[];
  stacked?: boolean;
  /** Line charts: join points across empty (null) buckets instead of breaking the line. */
  spanGaps?: boolean;
  /** Axis tick text. */
  yFormat?: (value: number) => string;
  /** Tooltip line for one point (default: "label: value"). */
  tooltip?: (series: number, index: number, value: number) => string;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
export const resolveColor = (c: string) => (c.startsWith("--") ? css(c) || "#888" : c);

/** Distinct colours for models and tiers other than t1–t3. */
export const PALETTE = [
  "--accent",
  "--t2",
  "--t3",
  "--ok",
  "--warn",
  "--bad",
  "#2bb3c0",
  "#c2497a",
  "#7a8b2f",
  "#8a6cff",
  "#d19a66",
  "#5f6b7a",
];
export const tierColor = (tier: string, index: number) =>
  /^t[123]$/.test(tier) ? `--${tier}` : PALETTE[(index + 3) % PALETTE.length];

type AnyDataset = ChartDataset<"bar" | "line" | "doughnut", (number | null)[]>;

function styleDataset(target: AnyDataset, spec: ChartSpec, s: SeriesSpec): void {
  const color = Array.isArray(s.color) ? s.color.map(resolveColor) : resolveColor(s.color);
  const ds = target as AnyDataset & Record<string, unknown>;
  ds.label = s.label;
  ds.data = s.data;
  ds.backgroundColor = spec.type === "line" ? "transparent" : color;
  ds.borderColor = spec.type === "doughnut" ? resolveColor("--panel") : color;
  ds.borderWidth = spec.type === "line" ? 2 : spec.type === "doughnut" ? 2 : 0;
  if (spec.type === "line") {
    ds.borderDash = s.dashed ? [5, 4] : [];
    ds.pointRadius = pointRadii(s.data, spec.spanGaps ?? false);
    ds.pointBackgroundColor = color;
    ds.pointHoverRadius = 4;
    ds.tension = 0.3;
    ds.cubicInterpolationMode = "monotone"; // no overshoot below a real minimum
    ds.spanGaps = spec.spanGaps ?? false;
  }
}

function applyTheme(): void {
  Chart.defaults.color = css("--muted") || "#666";
  Chart.defaults.borderColor = css("--border") || "#ddd";
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
}

function config(spec: ChartSpec): ChartConfiguration<"bar" | "line" | "doughnut", (number | null)[], string> {
  const tooltip = {
    callbacks: {
      label: (item: TooltipItem<"bar" | "line" | "doughnut">) => {
        const value = typeof item.raw === "number" ? item.raw : 0;
        return spec.tooltip
          ? spec.tooltip(item.datasetIndex, item.dataIndex, value)
          : `${item.dataset.label ?? ""}: ${spec.yFormat ? spec.yFormat(value) : value}`;
      },
    },
  };
  const round = { type: spec.type, data: { labels: [], datasets: [] } };
  if (spec.type === "doughnut") {
    return {
      ...round,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        cutout: "62%",
        animation: { duration: 250 },
        plugins: { legend: { display: false }, tooltip },
      },
    } as ChartConfiguration<"doughnut", (number | null)[], string>;
  }
  return {
    ...round,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 250 },
      interaction: { mode: "index", intersect: false },
      // Colours as functions: read again at each update, so a theme switch reaches a live chart.
      scales: {
        x: {
          stacked: spec.stacked,
          grid: { display: false },
          border: { color: () => css("--border") },
          ticks: { color: () => css("--muted"), maxRotation: 0, autoSkipPadding: 12 },
        },
        y: {
          stacked: spec.stacked,
          beginAtZero: true,
          grid: { color: () => css("--border") },
          border: { display: false },
          ticks: {
            color: () => css("--muted"),
            maxTicksLimit: 6,
            callback: (v: string | number) => (spec.yFormat ? spec.yFormat(Number(v)) : String(v)),
          },
        },
      },
      plugins: {
        legend: { position: "bottom", labels: { color: () => css("--muted"), boxWidth: 12, boxHeight: 12 } },
        tooltip,
      },
    },
  } as ChartConfiguration<"bar" | "line", (number | null)[], string>;
}

/** `label` describes the chart for screen readers (the canvas is an image to them). */
export function ChartView(props: { spec: ChartSpec; label: string; height?: number }): JSX.Element {
  let canvas!: HTMLCanvasElement;
  let chart: Chart<"bar" | "line" | "doughnut", (number | null)[], string> | undefined;
  let frame = 0;

  const update = (animate: boolean) => {
    if (!chart) return;
    const spec = props.spec;
    chart.data.labels = spec.labels;
    const datasets = chart.data.datasets as AnyDataset[];
    spec.series.forEach((s, i) => {
      datasets[i] ??= { data: [] } as AnyDataset;
      styleDataset(datasets[i], spec, s);
    });
    datasets.length = spec.series.length;
    chart.update(animate ? undefined : "none");
  };

  // Chart.js follows its box through a ResizeObserver, throttled to animation frames; a window resize
  // (a phone turned, a window narrowed) is also told at once, so a chart never holds the page wide.
  const resized = () => chart?.resize();
  onMount(() => {
    applyTheme();
    chart = new Chart(canvas, config(props.spec));
    update(false);
    window.addEventListener("resize", resized);
  });
  createEffect(
    on(
      () => props.spec,
      () => update(true),
      { defer: true },
    ),
  );
  // The theme's attribute is set just after the signal changes: read the colours a frame later.
  createEffect(
    on(
      theme,
      () => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => (applyTheme(), update(false)));
      },
      { defer: true },
    ),
  );
  onCleanup(() => {
    window.removeEventListener("resize", resized);
    cancelAnimationFrame(frame);
    chart?.destroy();
    chart = undefined;
  });

  return (
    <div class="chart-box" style={props.height ? { height: `${props.height}px` } : undefined}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
