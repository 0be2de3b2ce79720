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
  SliceLegend,
  tierSlices,
} from "../components/chart-specs.tsx";
import { fmtMicros, SavingsSummary } from "../components/cost-panels.tsx";
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

const REFRESH_MS = 10_000;
const KEYS: RangeKey[] = ["1h", "today", "7d", "30d", "custom"];
const PREVIOUS: Partial<Record<RangeKey, string>> = {
  "1h": "the hour before",
  "7d": "the 7 days before",
  "30d": "the 30 days before",
  today: "the same length of time before midnight",
};

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
    if (from === undefined || to === undefined || from >= to) return setError("Choose a start before the end.");
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
      if (mine === seq)
        setError(
          `Could not load the statistics: ${e instanceof ApiError ? e.message : String(e)}. The figures shown are from the last successful load.`,
        );
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
        <h1 class="page-title">Dashboard</h1>
        <span class="spacer" />
        <span class="muted refresh-state" aria-live="polite">
          {busy() && !stats() ? "Loading…" : updatedAt() ? `Updated ${fmtClock(updatedAt()!)}` : ""}
          {!live() ? " · fixed range" : paused() ? " · auto-refresh paused" : ""}
        </span>
        <button type="button" disabled={!live()} onClick={() => setPaused(!paused())} title="Refresh every 10 seconds">
          {paused() ? "Resume auto-refresh" : "Pause auto-refresh"}
        </button>
        <button type="button" onClick={() => void load()} disabled={busy()}>
          ↻ Refresh
        </button>
      </div>
      <RangePicker value={range()} onChange={setRange} keys={KEYS} variant="buttons" />
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <p class="muted compare-note">
        Changes compare with {PREVIOUS[range().key] ?? "the period of the same length just before"}.
        <Show when={stats()?.resolution === "day"}> Ranges longer than three days are counted in whole UTC days.</Show>
      </p>

      <StatCards stats={stats()} />

      <Show
        when={!empty()}
        fallback={<EmptyState onWider={() => setRange({ key: "30d" })} wide={range().key === "30d"} />}
      >
        <div class="grid two">
          <ChartPanel
            stats={stats()}
            title={`Requests per ${stats() ? requestsUnitName(stats()!) : "second"}, by tier`}
            note={stats() ? `${bucketName(stats()!.bucketMs)} buckets` : ""}
          >
            {(s) => (
              <ChartView
                spec={requestsSpec(s())}
                label={`Requests per ${requestsUnitName(s())} by tier over time, ${fmtInt(s().totals.requests)} requests in all`}
              />
            )}
          </ChartPanel>
          <ChartPanel stats={stats()} title="Latency" note="p50 / p95 / p99, and time to first token">
            {(s) => (
              <ChartView
                spec={latencySpec(s())}
                label={`Latency percentiles over time: p50 ${fmtMs(s().totals.latencyMs.p50)}, p95 ${fmtMs(s().totals.latencyMs.p95)} over the range`}
              />
            )}
          </ChartPanel>
        </div>
        <div class="grid chart-trio">
          <ChartPanel stats={stats()} title="Models" note="share of requests">
            {() => (
              <>
                <ChartView
                  spec={doughnutSpec(models())}
                  label={`Requests by final model: ${models()
                    .map((m) => `${m.name} ${m.value}`)
                    .join(", ")}`}
                  height={180}
                />
                <SliceLegend slices={models()} />
              </>
            )}
          </ChartPanel>
          <ChartPanel stats={stats()} title="Tiers" note="share of requests">
            {() => (
              <>
                <ChartView
                  spec={doughnutSpec(tiers())}
                  label={`Requests by tier: ${tiers()
                    .map((t) => `${t.name} ${t.value}`)
                    .join(", ")}`}
                  height={180}
                />
                <SliceLegend slices={tiers()} />
              </>
            )}
          </ChartPanel>
          <ChartPanel
            stats={stats()}
            title="Failovers and failed requests"
            note={stats() ? `per ${bucketName(stats()!.bucketMs)}` : ""}
          >
            {(s) => (
              <ChartView
                spec={failoverSpec(s())}
                label={`Failovers and failed requests over time: ${fmtInt(s().totals.failovers)} failovers, ${fmtInt(s().totals.errors)} failed requests`}
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
          title="Cost and savings over time"
          note={`against ${stats()?.savingsBaseline ?? ""}`}
        >
          {(s) => (
            <ChartView
              spec={costSpec(s())}
              label={`Cost and savings over time: cost ${fmtMicros(s().totals.costMicros)}, saved ${fmtMicros(s().totals.savings.savedMicros)}`}
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

const DOOR_NAMES: Record<string, string> = {
  chat: "Chat completions",
  messages: "Anthropic Messages",
  responses: "OpenAI Responses",
  embeddings: "Embeddings",
};

/** Requests per front door: which clients use the gateway, and how their requests fare. */
function DoorTable(props: { stats: StatsResult }): JSX.Element {
  const total = () => props.stats.totals.requests || 1;
  return (
    <section class="panel" aria-label="Front doors">
      <h2 class="panel-title">By front door</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>API</th>
              <th class="num">Requests</th>
              <th class="num">Share</th>
              <th class="num">Failed</th>
              <th class="num">Failed over</th>
              <th class="num">Mean latency</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.stats.byDoor}>
              {(d) => (
                <tr>
                  <td>
                    <A
                      href={`/logs${query({ door: d.door, range: "custom", from: props.stats.from, to: props.stats.to })}`}
                      title="Show these requests in the logs"
                    >
                      {DOOR_NAMES[d.door] ?? d.door}
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
    <section class="panel empty-state stack" aria-label="No traffic yet">
      <h2>No requests in this range</h2>
      <FirstRequest />
      <p class="muted">
        It shows up here within seconds, and at once in the <A href="/tail">live tail</A>.
      </p>
      <Show when={!props.wide}>
        <div>
          <button type="button" onClick={props.onWider}>
            Show the last 30 days
          </button>
        </div>
      </Show>
    </section>
  );
}
