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
import { ConfirmDialog, errorText } from "../components/modal.tsx";
import { fmtClock, fmtInt, fmtMs, fmtPct } from "../format.ts";

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
      setError(`Could not refresh: ${errorText(e)}`);
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
    setNotice(`The circuit of ${target} was reset: its failures are forgotten and it is closed.`);
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
        <h1 class="health-title">Models &amp; health</h1>
        <span class="spacer" />
        <span class="muted health-updated" aria-live="off">
          <Show when={updatedAt()} fallback="Loading…">
            Updated {fmtClock(updatedAt()!)}
          </Show>
        </span>
        <label class="health-inline">
          <input type="checkbox" checked={auto()} onChange={(e) => setAuto(e.currentTarget.checked)} />
          Auto-refresh (5 s)
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>

      <section class="grid health-summary" aria-label="Circuit summary">
        <SummaryCard label="Targets" value={data.targets.length} />
        <SummaryCard label="Failing" value={verdicts().bad} tone="bad" />
        <SummaryCard label="Degraded" value={verdicts().warn} tone="warn" />
        <SummaryCard label="Closed" value={counts().closed} tone="ok" />
        <SummaryCard label="Half-open" value={counts().half_open} tone="warn" />
        <SummaryCard label="Open" value={counts().open} tone="bad" />
      </section>

      <div class="row health-window-row">
        <span>
          Figures over <strong>{windowName(windowKey())}</strong>
          <span class="muted"> (counted from the request log)</span>
        </span>
        <WindowPicker value={windowKey()} onChange={chooseWindow} />
      </div>

      <search class="row health-filters">
        <label class="health-grow">
          Filter
          <input
            type="search"
            placeholder="provider/model or tier"
            value={search()}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        <label>
          Circuit
          <select value={stateFilter()} onChange={(e) => setStateFilter(e.currentTarget.value as "" | CircuitState)}>
            <option value="">any</option>
            <option value="closed">closed</option>
            <option value="half_open">half-open</option>
            <option value="open">open</option>
          </select>
        </label>
        <fieldset class="segmented health-view">
          <legend class="sr-only">Layout</legend>
          <button type="button" aria-pressed={grouped()} onClick={() => setGrouped(true)}>
            By tier
          </button>
          <button type="button" aria-pressed={!grouped()} onClick={() => setGrouped(false)}>
            All models
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
          <button type="button" class="health-dismiss" aria-label="Dismiss" onClick={() => setNotice("")}>
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
          fallback={
            <p class="muted">
              {data.targets.length === 0 ? "No targets are configured." : "No model matches the filter."}
            </p>
          }
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
                <section aria-label={tier ? `Tier ${tier}` : "In no tier"}>
                  <h2 class="row health-group">
                    <Show when={tier} fallback="In no tier">
                      <TierBadge tier={tier} /> Tier {tier}
                    </Show>
                    <span class="muted health-count">
                      {inGroup(tier).length} model{inGroup(tier).length === 1 ? "" : "s"}
                    </span>
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
            title="Reset the circuit?"
            confirmLabel="Reset circuit"
            danger
            onConfirm={() => reset(target())}
            onClose={() => setResetting(undefined)}
          >
            <p>
              <strong class="mono">{target()}</strong> forgets its failures, penalty and recent errors, and its circuit
              closes at once: the next requests may go to it again even if it is still failing.
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
      <ScoreBar score={t().score} label={`Health score of ${t().target}`} level={barLevel()} />

      <Show when={t().state === "open" && t().cooldownUntil}>
        <p class="health-state-line">
          Cooling down: <Countdown until={t().cooldownUntil!} now={props.now} /> left
          <Show when={t().cooldownReason}>
            <span class="muted"> · {t().cooldownReason}</span>
          </Show>
        </p>
      </Show>
      <Show when={t().state === "half_open"}>
        <p class="health-state-line">
          Cooldown over: the next request probes it
          <Show when={t().cooldownReason}>
            <span class="muted"> · after {t().cooldownReason}</span>
          </Show>
        </p>
      </Show>

      <Show
        when={props.range && t().window}
        fallback={
          <dl class="health-stats">
            <div
              title={`Failed share of about ${fmtInt(t().attemptsInWindow)} attempts in the last ${fmtMs(t().windowMs)} (older ones count less)`}
            >
              <dt>Error rate</dt>
              <dd classList={{ "health-bad": t().errorRate >= 0.05 }}>
                {t().attemptsInWindow > 0 ? fmtPct(t().errorRate) : "–"}
              </dd>
            </div>
            <div>
              <dt>Latency</dt>
              <dd>{fmtMs(t().latencyMs)}</dd>
            </div>
            <div>
              <dt>TTFT</dt>
              <dd>{fmtMs(t().ttftMs)}</dd>
            </div>
          </dl>
        }
      >
        <WindowFigures target={t()} range={props.range!} />
      </Show>
      <dl class="health-stats health-lifetime">
        <div title="Since the last reset">
          <dt>Successes</dt>
          <dd>{fmtInt(t().successes)}</dd>
        </div>
        <div title="Since the last reset">
          <dt>Failures</dt>
          <dd classList={{ "health-bad": t().failures > 0 }}>{fmtInt(t().failures)}</dd>
        </div>
        <div>
          <dt>In a row</dt>
          <dd>{fmtInt(t().consecutiveFailures)}</dd>
        </div>
      </dl>
      <CircuitTimeline target={t()} />

      <Show when={t().recentErrors.length > 0} fallback={<p class="muted health-noerr">No recent errors</p>}>
        <details class="health-errors">
          <summary>Recent errors ({t().recentErrors.length})</summary>
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
        <button type="button" onClick={props.onTest} disabled={props.test?.running} aria-label={`Test ${t().target}`}>
          <Show when={props.test?.running}>
            <Spinner />
          </Show>
          {props.test?.running ? "Testing…" : "Test"}
        </button>
        <button
          type="button"
          class="danger"
          onClick={props.onReset}
          disabled={nothingToReset()}
          aria-label={`Reset the circuit of ${t().target}`}
          title={nothingToReset() ? "Nothing to reset: no failures recorded" : undefined}
        >
          Reset circuit
        </button>
        <div class="health-test" aria-live="polite">
          <Show when={props.test?.running}>
            <span class="muted">Sending one tiny request…</span>
          </Show>
          <Show when={!props.test?.running && props.test?.result}>
            {(() => {
              const r = props.test!.result!;
              return r.ok ? (
                <span class="health-ok" title={r.answer}>
                  ✓ Answered in {fmtMs(r.latencyMs)}
                  <Show when={r.answer}>
                    : <q>{short(r.answer!)}</q>
                  </Show>
                </span>
              ) : (
                <span class="health-bad">
                  ✗ Failed after {fmtMs(r.latencyMs)}: {r.error}
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
