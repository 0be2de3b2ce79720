/**
 * Dashboard: the traffic of a time range at a glance. Figures with their change against the previous
 * period, requests per second by tier, latency percentiles, failovers, model and tier shares and a
 * per-model table. Refreshes every 10 s (pausable, skipped while the tab is hidden); the old figures
 * stay until the new ones arrive, and every chart keeps its fixed height, so nothing jumps.
 */
import { A, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { ApiError, call, query } from "../api.ts";
import { ChartView } from "../components/chart.tsx";
import {
  bucketName,
  costSpec,
  doughnutSpec,
  failoverSpec,
  latencySpec,
  modelSlices,
  requestsSpec,
  requestsUnitName,
  type Slice,
  SliceLegend,
  tierSlices,
} from "../components/chart-specs.tsx";
import { baselineName, fmtMicros, SavingsSummary } from "../components/cost-panels.tsx";
import { StatCards, type StatsResult } from "../components/stat-cards.tsx";
import { FirstRequest } from "../components/stat-empty.tsx";
import { ModelTable } from "../components/stat-models.tsx";
import {
  type RangeKey,
  RangePicker,
  type RangeValue,
  rangeFromQuery,
  rangeToQuery,
  resolveRange,
} from "../components/stat-range.tsx";
import { fmtClock, fmtInt, fmtMs, fmtPct } from "../format.ts";
import { t } from "../i18n/index.ts";

const REFRESH_MS = 10_000;
const KEYS: RangeKey[] = ["1h", "today", "7d", "30d", "custom"];
/** What the changes compare with, per range (the others: the period of the same length just before). */
const compareNote = (key: RangeKey) =>
  key === "1h" || key === "7d" || key === "30d" || key === "today"
    ? t(`dashboard.compare.${key}`)
    : t("dashboard.compare.other");

export function DashboardPage(): JSX.Element {
  const [params, setParams] = useSearchParams<{ range?: string; from?: string; to?: string }>();
  const range = createMemo(() => rangeFromQuery(params, "1h"), undefined, {
    equals: (a, b) => a.key === b.key && a.from === b.from && a.to === b.to,
  });
  const setRange = (r: RangeValue) =>
    setParams({ range: undefined, from: undefined, to: undefined, ...rangeToQuery(r, "1h") }, { replace: true });

  const [stats, setStats] = createSignal<StatsResult>();
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [paused, setPaused] = createSignal(false);
  const [updatedAt, setUpdatedAt] = createSignal<number>();
  let seq = 0;

  const load = async () => {
    const { from, to } = resolveRange(range());
    if (from === undefined || to === undefined || from >= to) return setError(t("dashboard.startBeforeEnd"));
    const mine = ++seq;
    setBusy(true);
    try {
      const answer = await call("GET /api/stats", { query: { from: Math.floor(from), to: Math.ceil(to) } });
      if (mine !== seq) return; // a newer range was asked for meanwhile
      // The server rounds the range's end up to the minute (or UTC day) and divides by all of it:
      // over the time that has really passed, the rate of a live range is not understated.
      answer.totals.rps =
        answer.totals.requests / (Math.max(60_000, Math.min(answer.to, Date.now()) - answer.from) / 1000);
      setStats(answer);
      setError("");
      setUpdatedAt(Date.now());
    } catch (e) {
      if (mine === seq) setError(t("dashboard.loadFailed", { message: e instanceof ApiError ? e.message : String(e) }));
    } finally {
      if (mine === seq) setBusy(false);
    }
  };
  createEffect(on(range, () => void load()));

  // A fixed range that ended in the past never changes: only live ranges are refreshed.
  const live = () => range().key !== "custom" || (range().to ?? 0) > Date.now() - 60_000;
  const timer = setInterval(() => {
    if (!paused() && !document.hidden && live() && !busy()) void load();
  }, REFRESH_MS);
  const onVisible = () => {
    if (!document.hidden && !paused() && live() && Date.now() - (updatedAt() ?? 0) > REFRESH_MS) void load();
  };
  document.addEventListener("visibilitychange", onVisible);
  onCleanup(() => (clearInterval(timer), document.removeEventListener("visibilitychange", onVisible)));

  const empty = () => stats()?.totals.requests === 0;
  const models = createMemo(() => (stats() ? modelSlices(stats()!) : []));
  const tiers = createMemo(() => (stats() ? tierSlices(stats()!) : []));

  return (
    <div class="stack dashboard">
      <div class="row">
        <h1 class="page-title">{t("dashboard.title")}</h1>
        <span class="spacer" />
        <span class="muted refresh-state" aria-live="polite">
          {busy() && !stats()
            ? t("common.loading")
            : updatedAt()
              ? t("dashboard.updated", { time: fmtClock(updatedAt()!) })
              : ""}
          {!live() ? t("dashboard.fixedRange") : paused() ? t("dashboard.paused") : ""}
        </span>
        <button
          type="button"
          disabled={!live()}
          onClick={() => setPaused(!paused())}
          title={t("dashboard.refreshEvery")}
        >
          {paused() ? t("dashboard.resume") : t("dashboard.pause")}
        </button>
        <button type="button" onClick={() => void load()} disabled={busy()}>
          {t("dashboard.refresh")}
        </button>
      </div>
      <RangePicker value={range()} onChange={setRange} keys={KEYS} variant="buttons" />
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <p class="muted compare-note">
        {compareNote(range().key)}
        <Show when={stats()?.resolution === "day"}>{t("dashboard.compare.utcDays")}</Show>
      </p>

      <StatCards stats={stats()} />

      <Show
        when={!empty()}
        fallback={<EmptyState onWider={() => setRange({ key: "30d" })} wide={range().key === "30d"} />}
      >
        <div class="grid two">
          <ChartPanel
            stats={stats()}
            title={t("dashboard.charts.requestsTitle", {
              unit: stats() ? requestsUnitName(stats()!) : t("dashboard.units.second"),
            })}
            note={stats() ? t("dashboard.charts.buckets", { bucket: bucketName(stats()!.bucketMs) }) : ""}
          >
            {(s) => (
              <ChartView
                spec={requestsSpec(s())}
                label={t("dashboard.charts.requestsLabel", {
                  unit: requestsUnitName(s()),
                  total: fmtInt(s().totals.requests),
                })}
              />
            )}
          </ChartPanel>
          <ChartPanel stats={stats()} title={t("dashboard.charts.latency")} note={t("dashboard.charts.latencyNote")}>
            {(s) => (
              <ChartView
                spec={latencySpec(s())}
                label={t("dashboard.charts.latencyLabel", {
                  p50: fmtMs(s().totals.latencyMs.p50),
                  p95: fmtMs(s().totals.latencyMs.p95),
                })}
              />
            )}
          </ChartPanel>
        </div>
        <div class="grid chart-trio">
          <ChartPanel stats={stats()} title={t("dashboard.charts.models")} note={t("dashboard.charts.share")}>
            {() => (
              <>
                <ChartView
                  spec={doughnutSpec(models())}
                  label={t("dashboard.charts.modelsLabel", { list: sliceList(models()) })}
                  height={180}
                />
                <SliceLegend slices={models()} />
              </>
            )}
          </ChartPanel>
          <ChartPanel stats={stats()} title={t("dashboard.charts.tiers")} note={t("dashboard.charts.share")}>
            {() => (
              <>
                <ChartView
                  spec={doughnutSpec(tiers())}
                  label={t("dashboard.charts.tiersLabel", { list: sliceList(tiers()) })}
                  height={180}
                />
                <SliceLegend slices={tiers()} />
              </>
            )}
          </ChartPanel>
          <ChartPanel
            stats={stats()}
            title={t("dashboard.charts.failovers")}
            note={stats() ? t("dashboard.charts.per", { bucket: bucketName(stats()!.bucketMs) }) : ""}
          >
            {(s) => (
              <ChartView
                spec={failoverSpec(s())}
                label={t("dashboard.charts.failoversLabel", {
                  failovers: fmtInt(s().totals.failovers),
                  errors: fmtInt(s().totals.errors),
                })}
                height={260}
              />
            )}
          </ChartPanel>
        </div>
        <Show when={stats()}>{(s) => <ModelTable stats={s()} />}</Show>
        <Show when={stats()}>{(s) => <DoorTable stats={s()} />}</Show>
        <Show when={stats()}>{(s) => <SavingsSummary stats={s()} />}</Show>
        <ChartPanel
          stats={stats()}
          title={t("dashboard.charts.costTitle")}
          note={t("dashboard.charts.against", { baseline: stats() ? baselineName(stats()!) : "" })}
        >
          {(s) => (
            <ChartView
              spec={costSpec(s())}
              label={t("dashboard.charts.costLabel", {
                cost: fmtMicros(s().totals.costMicros),
                saved: fmtMicros(s().totals.savings.savedMicros),
              })}
            />
          )}
        </ChartPanel>
      </Show>
    </div>
  );
}

/** A titled panel whose body appears with the first answer; a placeholder of the same height before. */
function ChartPanel(props: {
  title: string;
  note: string;
  stats: StatsResult | undefined;
  children: (s: () => StatsResult) => JSX.Element;
}): JSX.Element {
  return (
    <section class="panel chart-panel" aria-label={props.title}>
      <div class="row chart-head">
        <h2>{props.title}</h2>
        <span class="muted">{props.note}</span>
      </div>
      <Show when={props.stats} fallback={<div class="chart-box skeleton" aria-hidden="true" />}>
        {(s) => props.children(s)}
      </Show>
    </section>
  );
}

/** "a/first 12, b/backup 3": a doughnut's slices for its screen-reader label. */
const sliceList = (slices: Slice[]) => slices.map((s) => `${s.name} ${fmtInt(s.value)}`).join(", ");

const DOORS = ["chat", "messages", "responses", "embeddings"] as const;
const doorName = (door: string) =>
  DOORS.includes(door as (typeof DOORS)[number]) ? t(`dashboard.doors.${door as (typeof DOORS)[number]}`) : door;

/** Requests per front door: which clients use the gateway, and how their requests fare. */
function DoorTable(props: { stats: StatsResult }): JSX.Element {
  const total = () => props.stats.totals.requests || 1;
  return (
    <section class="panel" aria-label={t("dashboard.doors.region")}>
      <h2 class="panel-title">{t("dashboard.doors.title")}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("dashboard.doors.api")}</th>
              <th class="num">{t("dashboard.doors.requests")}</th>
              <th class="num">{t("dashboard.doors.share")}</th>
              <th class="num">{t("dashboard.doors.failed")}</th>
              <th class="num">{t("dashboard.doors.failedOver")}</th>
              <th class="num">{t("dashboard.doors.meanLatency")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.stats.byDoor}>
              {(d) => (
                <tr>
                  <td>
                    <A
                      href={`/logs${query({ door: d.door, range: "custom", from: props.stats.from, to: props.stats.to })}`}
                      title={t("dashboard.doors.showInLogs")}
                    >
                      {doorName(d.door)}
                    </A>
                  </td>
                  <td class="num">{fmtInt(d.requests)}</td>
                  <td class="num">{fmtPct(d.requests / total())}</td>
                  <td class="num" classList={{ "text-bad": d.errors / (d.requests || 1) > 0.05 }}>
                    {fmtInt(d.errors)}
                  </td>
                  <td class="num">{fmtInt(d.failedOver)}</td>
                  <td class="num">{fmtMs(d.latencyMsAvg)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function EmptyState(props: { onWider: () => void; wide: boolean }): JSX.Element {
  return (
    <section class="panel empty-state stack" aria-label={t("dashboard.empty.region")}>
      <h2>{t("dashboard.empty.title")}</h2>
      <FirstRequest />
      <p class="muted">
        {t("dashboard.empty.showsUpBefore")}
        <A href="/tail">{t("dashboard.empty.showsUpLink")}</A>
        {t("dashboard.empty.showsUpAfter")}
      </p>
      <Show when={!props.wide}>
        <div>
          <button type="button" onClick={props.onWider}>
            {t("dashboard.empty.wider")}
          </button>
        </div>
      </Show>
    </section>
  );
}
