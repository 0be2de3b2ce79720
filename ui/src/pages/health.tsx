/**
 * Models & health: every configured target with its health score, circuit state, live cooldown, a
 * verdict (healthy / degraded / failing: src/routing/health-window.ts), its counted figures over a chosen
 * window (error rate of its attempts, latency and first-token p50 / p95, a chart), its circuit's
 * timeline and recent errors; a one-request test and a circuit reset per model. Refreshed every 5 s in place (rows are reconciled by target, so nothing
 * flickers and an expanded error list or a focused button survives the refresh).
 */

import { batch, createEffect, createMemo, createSignal, For, type JSX, onCleanup, onMount, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { call, type HealthWindowRange } from "../api.ts";
import {
  CircuitBadge,
  type CircuitState,
  Countdown,
  type HealthTarget,
  ScoreBar,
  Spinner,
  type TestResult,
  TierBadge,
  tiersOf,
  useNow,
} from "../components/health-parts.tsx";
import {
  CircuitTimeline,
  VerdictBadge,
  WindowFigures,
  type WindowKey,
  WindowPicker,
  windowName,
} from "../components/health-window.tsx";
import { ChangeButton } from "../components/key-change-button.tsx";
import { ConfirmDialog, errorText } from "../components/modal.tsx";
import { ReadOnlyNotice } from "../components/read-only-notice.tsx";
import { fmtClock, fmtInt, fmtMs, fmtPct } from "../format.ts";
import { t as tr } from "../i18n/index.ts";

const REFRESH_MS = 5000;
const short = (text: string) => (text.length > 70 ? `${text.slice(0, 70).trimEnd()}…` : text);
type TestState = { running: boolean; result?: TestResult; error?: string };

export function HealthPage(): JSX.Element {
  const [data, setData] = createStore<{ targets: HealthTarget[] }>({ targets: [] });
  const [windowKey, setWindowKey] = createSignal<WindowKey>("1h");
  const [range, setRange] = createSignal<HealthWindowRange>();
  const [tests, setTests] = createStore<Record<string, TestState>>({});
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal("");
  const [updatedAt, setUpdatedAt] = createSignal<number>();
  const [auto, setAuto] = createSignal(true);
  const [grouped, setGrouped] = createSignal(true);
  const [search, setSearch] = createSignal("");
  const [stateFilter, setStateFilter] = createSignal<"" | CircuitState>("");
  const [resetting, setResetting] = createSignal<string>();
  const [notice, setNotice] = createSignal("");
  const now = useNow(1000);

  let inFlight = false;
  let again = false;
  const load = async (): Promise<void> => {
    // A load asked for during another (a new window) runs right after it, not never.
    if (inFlight) return void (again = true);
    inFlight = true;
    try {
      const result = await call("GET /api/health", { query: { window: windowKey() } });
      batch(() => {
        setRange(result.window);
        setData("targets", reconcile(result.targets, { key: "target", merge: true }));
        setUpdatedAt(Date.now());
        setError("");
      });
    } catch (e) {
      setError(tr("health.refreshFailed", { message: errorText(e) }));
    } finally {
      inFlight = false;
      setLoaded(true);
    }
    if (again) {
      again = false;
      return load();
    }
  };
  const chooseWindow = (key: WindowKey) => {
    setWindowKey(key);
    void load();
  };

  onMount(() => {
    void load();
    const timer = setInterval(() => auto() && document.visibilityState === "visible" && void load(), REFRESH_MS);
    const onVisible = () => document.visibilityState === "visible" && auto() && void load();
    document.addEventListener("visibilitychange", onVisible);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    });
  });

  // A cooldown that just ended: fetch at once to show the half-open state (once per cooldown).
  const refreshedFor = new Set<string>();
  createEffect(() => {
    const t = now();
    for (const target of data.targets) {
      if (target.state !== "open" || !target.cooldownUntil || target.cooldownUntil > t) continue;
      const key = `${target.target}@${target.cooldownUntil}`;
      if (refreshedFor.has(key)) continue;
      refreshedFor.add(key);
      void load();
    }
  });

  const visible = createMemo(() => {
    const q = search().trim().toLowerCase();
    const s = stateFilter();
    return data.targets.filter(
      (t) =>
        (!q || t.target.toLowerCase().includes(q) || t.tiers.some((tier) => tier.toLowerCase() === q)) &&
        (!s || t.state === s),
    );
  });
  // Group names are strings, so <For> keeps each section's DOM across refreshes.
  const groupNames = createMemo(() => {
    const list = visible();
    const names = tiersOf(data.targets).filter((tier) => list.some((t) => t.tiers.includes(tier)));
    return list.some((t) => t.tiers.length === 0) ? [...names, ""] : names;
  });
  const inGroup = (tier: string) => visible().filter((t) => (tier ? t.tiers.includes(tier) : t.tiers.length === 0));
  const counts = createMemo(() => {
    const c = { closed: 0, half_open: 0, open: 0 };
    for (const t of data.targets) c[t.state] += 1;
    return c;
  });

  // By verdict too: a closed circuit is not a healthy model (a model failing a third of its attempts).
  const verdicts = createMemo(() => {
    const c = { ok: 0, warn: 0, bad: 0, idle: 0 };
    for (const t of data.targets) c[t.verdict.level] += 1;
    return c;
  });

  const test = async (target: string) => {
    setTests(target, { running: true });
    try {
      const result = await call("POST /api/models/test", { body: { model: target } });
      setTests(target, { running: false, result });
    } catch (e) {
      setTests(target, { running: false, error: errorText(e) });
    }
    void load();
  };

  const reset = async (target: string) => {
    const answer = await call("POST /api/health/reset", { body: { target } });
    const index = data.targets.findIndex((t) => t.target === target);
    if (index >= 0) {
      const { tiers, window, verdict } = data.targets[index];
      // The window's counted figures stay as they were until the reload below brings the new verdict.
      setData("targets", index, reconcile({ ...answer.health, tiers, window, verdict }, { merge: true }));
    }
    setNotice(tr("health.resetDone", { target }));
    void load();
  };

  const card = (t: HealthTarget) => (
    <TargetCard
      target={t}
      now={now()}
      range={range()}
      test={tests[t.target]}
      onTest={() => void test(t.target)}
      onReset={() => setResetting(t.target)}
      showTiers={!grouped()}
    />
  );

  return (
    <div class="stack health-page">
      <div class="row">
        <h1 class="health-title">{tr("health.title")}</h1>
        <span class="spacer" />
        <span class="muted health-updated" aria-live="off">
          <Show when={updatedAt()} fallback={tr("common.loading")}>
            {tr("health.updated", { time: fmtClock(updatedAt()!) })}
          </Show>
        </span>
        <label class="health-inline">
          <input type="checkbox" checked={auto()} onChange={(e) => setAuto(e.currentTarget.checked)} />
          {tr("health.autoRefresh")}
        </label>
        <button type="button" onClick={() => void load()}>
          {tr("health.refresh")}
        </button>
      </div>
      <ReadOnlyNotice />

      <section class="grid health-summary" aria-label={tr("health.summary.region")}>
        <SummaryCard label={tr("health.summary.targets")} value={data.targets.length} />
        <SummaryCard label={tr("health.summary.failing")} value={verdicts().bad} tone="bad" />
        <SummaryCard label={tr("health.summary.degraded")} value={verdicts().warn} tone="warn" />
        <SummaryCard label={tr("health.summary.closed")} value={counts().closed} tone="ok" />
        <SummaryCard label={tr("health.summary.halfOpen")} value={counts().half_open} tone="warn" />
        <SummaryCard label={tr("health.summary.open")} value={counts().open} tone="bad" />
      </section>

      <div class="row health-window-row">
        <span>
          {tr("health.figuresOver")}
          <strong>{windowName(windowKey())}</strong>
          <span class="muted">{tr("health.countedFrom")}</span>
        </span>
        <WindowPicker value={windowKey()} onChange={chooseWindow} />
      </div>

      <search class="row health-filters">
        <label class="health-grow">
          {tr("health.filter")}
          <input
            type="search"
            placeholder={tr("health.filterPlaceholder")}
            value={search()}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        <label>
          {tr("health.circuit")}
          <select value={stateFilter()} onChange={(e) => setStateFilter(e.currentTarget.value as "" | CircuitState)}>
            <option value="">{tr("health.any")}</option>
            <option value="closed">{tr("health.state.closed")}</option>
            <option value="half_open">{tr("health.state.half_open")}</option>
            <option value="open">{tr("health.state.open")}</option>
          </select>
        </label>
        <fieldset class="segmented health-view">
          <legend class="sr-only">{tr("health.layout")}</legend>
          <button type="button" aria-pressed={grouped()} onClick={() => setGrouped(true)}>
            {tr("health.byTier")}
          </button>
          <button type="button" aria-pressed={!grouped()} onClick={() => setGrouped(false)}>
            {tr("health.allModels")}
          </button>
        </fieldset>
      </search>

      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div aria-live="polite" class="sr-only live-slot">
        {notice()}
      </div>
      <Show when={notice()}>
        <p class="success row">
          {notice()}
          <span class="spacer" />
          <button type="button" class="health-dismiss" aria-label={tr("health.dismiss")} onClick={() => setNotice("")}>
            ✕
          </button>
        </p>
      </Show>

      <Show
        when={loaded()}
        fallback={
          <div class="health-grid">
            <For each={[1, 2, 3]}>{() => <div class="panel health-card skeleton" />}</For>
          </div>
        }
      >
        <Show
          when={visible().length > 0}
          fallback={<p class="muted">{data.targets.length === 0 ? tr("health.noTargets") : tr("health.noMatch")}</p>}
        >
          <Show
            when={grouped()}
            fallback={
              <div class="health-grid">
                <For each={visible()}>{card}</For>
              </div>
            }
          >
            <For each={groupNames()}>
              {(tier) => (
                <section aria-label={tier ? tr("health.tier", { tier }) : tr("health.noTier")}>
                  <h2 class="row health-group">
                    <Show when={tier} fallback={tr("health.noTier")}>
                      <TierBadge tier={tier} /> {tr("health.tier", { tier })}
                    </Show>
                    <span class="muted health-count">{tr("health.models", inGroup(tier).length)}</span>
                  </h2>
                  <div class="health-grid">
                    <For each={inGroup(tier)}>{card}</For>
                  </div>
                </section>
              )}
            </For>
          </Show>
        </Show>
      </Show>

      <Show when={resetting()}>
        {(target) => (
          <ConfirmDialog
            title={tr("health.resetTitle")}
            confirmLabel={tr("health.resetCircuit")}
            danger
            onConfirm={() => reset(target())}
            onClose={() => setResetting(undefined)}
          >
            <p>
              <strong class="mono">{target()}</strong>
              {tr("health.resetBody")}
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </div>
  );
}

function SummaryCard(props: { label: string; value: number; tone?: string }): JSX.Element {
  return (
    <div class="panel health-summary-card">
      <div class="label">{props.label}</div>
      <div class={`value ${props.tone && props.value > 0 ? `health-${props.tone}` : ""}`}>{props.value}</div>
    </div>
  );
}

function TargetCard(props: {
  target: HealthTarget;
  now: number;
  range?: HealthWindowRange;
  test?: TestState;
  onTest: () => void;
  onReset: () => void;
  showTiers: boolean;
}): JSX.Element {
  const t = () => props.target;
  const barLevel = () => {
    const level = t().verdict.level;
    return level === "idle" ? undefined : level;
  };
  const nothingToReset = () =>
    t().state === "closed" && t().failureScore === 0 && t().consecutiveFailures === 0 && t().recentErrors.length === 0;
  const headingId = `health-${t().target.replace(/[^a-z0-9]/gi, "-")}-${Math.random().toString(36).slice(2, 7)}`;
  return (
    <article
      class="panel health-card"
      classList={{
        "health-open": t().verdict.level === "bad",
        "health-half": t().verdict.level === "warn",
      }}
      aria-labelledby={headingId}
    >
      <div class="row health-card-head">
        <h3 id={headingId} class="mono health-name">
          {t().target}
        </h3>
        <span class="spacer" />
        <CircuitBadge state={t().state} />
      </div>
      <VerdictBadge verdict={t().verdict} />
      <Show when={props.showTiers && t().tiers.length > 0}>
        <div class="row health-tiers">
          <For each={t().tiers}>{(tier) => <TierBadge tier={tier} />}</For>
        </div>
      </Show>
      <ScoreBar score={t().score} label={tr("health.scoreOf", { target: t().target })} level={barLevel()} />

      <Show when={t().state === "open" && t().cooldownUntil}>
        <p class="health-state-line">
          {tr("health.coolingDown")}
          <Countdown until={t().cooldownUntil!} now={props.now} />
          {tr("health.left")}
          <Show when={t().cooldownReason}>
            <span class="muted"> · {t().cooldownReason}</span>
          </Show>
        </p>
      </Show>
      <Show when={t().state === "half_open"}>
        <p class="health-state-line">
          {tr("health.cooldownOver")}
          <Show when={t().cooldownReason}>
            <span class="muted">{tr("health.after", { reason: t().cooldownReason ?? "" })}</span>
          </Show>
        </p>
      </Show>

      <Show
        when={props.range && t().window}
        fallback={
          <dl class="health-stats">
            <div
              title={tr("health.stats.errorRateTitle", {
                attempts: fmtInt(t().attemptsInWindow),
                window: fmtMs(t().windowMs),
              })}
            >
              <dt>{tr("health.stats.errorRate")}</dt>
              <dd classList={{ "health-bad": t().errorRate >= 0.05 }}>
                {t().attemptsInWindow > 0 ? fmtPct(t().errorRate) : "–"}
              </dd>
            </div>
            <div>
              <dt>{tr("health.stats.latency")}</dt>
              <dd>{fmtMs(t().latencyMs)}</dd>
            </div>
            <div>
              <dt>{tr("health.stats.ttft")}</dt>
              <dd>{fmtMs(t().ttftMs)}</dd>
            </div>
          </dl>
        }
      >
        <WindowFigures target={t()} range={props.range!} />
      </Show>
      <dl class="health-stats health-lifetime">
        <div title={tr("health.stats.sinceReset")}>
          <dt>{tr("health.stats.successes")}</dt>
          <dd>{fmtInt(t().successes)}</dd>
        </div>
        <div title={tr("health.stats.sinceReset")}>
          <dt>{tr("health.stats.failures")}</dt>
          <dd classList={{ "health-bad": t().failures > 0 }}>{fmtInt(t().failures)}</dd>
        </div>
        <div>
          <dt>{tr("health.stats.inARow")}</dt>
          <dd>{fmtInt(t().consecutiveFailures)}</dd>
        </div>
      </dl>
      <CircuitTimeline target={t()} />

      <Show when={t().recentErrors.length > 0} fallback={<p class="muted health-noerr">{tr("health.noErrors")}</p>}>
        <details class="health-errors">
          <summary>{tr("health.recentErrors", { n: t().recentErrors.length })}</summary>
          <ul>
            <For each={t().recentErrors}>
              {(entry) => (
                <li>
                  <time class="muted mono" dateTime={new Date(entry.at).toISOString()}>
                    {fmtClock(entry.at)}
                  </time>{" "}
                  <span>{entry.reason}</span>
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>

      <div class="row health-actions">
        <ChangeButton
          onClick={props.onTest}
          disabled={props.test?.running}
          aria-label={tr("health.testTarget", { target: t().target })}
        >
          <Show when={props.test?.running}>
            <Spinner />
          </Show>
          {props.test?.running ? tr("health.testing") : tr("health.test")}
        </ChangeButton>
        <ChangeButton
          class="danger"
          onClick={props.onReset}
          disabled={nothingToReset()}
          aria-label={tr("health.resetTarget", { target: t().target })}
          title={nothingToReset() ? tr("health.nothingToReset") : undefined}
        >
          {tr("health.resetCircuit")}
        </ChangeButton>
        <div class="health-test" aria-live="polite">
          <Show when={props.test?.running}>
            <span class="muted">{tr("health.sending")}</span>
          </Show>
          <Show when={!props.test?.running && props.test?.result}>
            {(() => {
              const r = props.test!.result!;
              return r.ok ? (
                <span class="health-ok" title={r.answer}>
                  {tr("health.answeredIn", { ms: fmtMs(r.latencyMs) })}
                  <Show when={r.answer}>
                    : <q>{short(r.answer!)}</q>
                  </Show>
                </span>
              ) : (
                <span class="health-bad">
                  {tr("health.failedAfter", { ms: fmtMs(r.latencyMs), error: r.error ?? "" })}
                </span>
              );
            })()}
          </Show>
          <Show when={!props.test?.running && props.test?.error}>
            <span class="health-bad">✗ {props.test!.error}</span>
          </Show>
        </div>
      </div>
    </article>
  );
}
