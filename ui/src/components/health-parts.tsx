/**
 * Pieces shared by the health page and the routing playground: the shapes of GET /api/health, a score
 * bar, circuit and availability badges, a ticking clock and a live cooldown countdown.
 */
import { createSignal, type JSX, onCleanup, Show } from "solid-js";
import type { HealthTarget, TestResult } from "../api.ts";
import { t } from "../i18n/index.ts";

export type { CircuitState, HealthView } from "../../../src/routing/health.ts";

import type { CircuitState } from "../../../src/routing/health.ts";

/** GET /api/health: every configured target with the tiers it serves; POST /api/models/test. */
export type { HealthTarget, TestResult };

/** Every tier named in the health list, sorted (t1, t2, … then the others). */
export function tiersOf(targets: readonly HealthTarget[]): string[] {
  return [...new Set(targets.flatMap((t) => t.tiers))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** A clock signal that ticks every `everyMs` while the component lives. */
export function useNow(everyMs = 1000): () => number {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}

/** "2 h 05 min", "4:09", "12 s". */
export function fmtRemaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

const STATE_CLASS: Record<CircuitState, string> = { closed: "ok", half_open: "warn", open: "bad" };

export function CircuitBadge(props: { state: CircuitState }): JSX.Element {
  return (
    <span
      class={`badge ${STATE_CLASS[props.state]}`}
      title={
        props.state === "open"
          ? t("health.state.openTitle")
          : props.state === "half_open"
            ? t("health.state.halfOpenTitle")
            : t("health.state.closedTitle")
      }
    >
      <span class="sr-only">{t("health.state.srPrefix")}</span>
      {t(`health.state.${props.state}`)}
    </span>
  );
}

const AVAILABILITY = { ready: "ok", probe: "warn", cooling: "bad" } as const;
export function AvailabilityBadge(props: { value: "ready" | "probe" | "cooling" }): JSX.Element {
  return (
    <span class={`badge ${AVAILABILITY[props.value] ?? ""}`}>
      {props.value in AVAILABILITY ? t(`health.availability.${props.value}`) : props.value}
    </span>
  );
}

export function TierBadge(props: { tier: string }): JSX.Element {
  return <span class={`badge ${/^t[123]$/.test(props.tier) ? props.tier : ""}`}>{props.tier}</span>;
}

/**
 * Health score 0–100 as a bar with the number beside it. Its colour follows the score, or `level` when
 * given (the health page passes its verdict, so a high score of a model failing its window is not green).
 */
export function ScoreBar(props: { score: number; label?: string; level?: "ok" | "warn" | "bad" }): JSX.Element {
  const level = () => props.level ?? (props.score >= 80 ? "ok" : props.score >= 40 ? "warn" : "bad");
  return (
    <div class="health-score">
      <meter class="sr-only" min={0} max={100} value={props.score} aria-label={props.label ?? t("health.score")} />
      <div class="health-bar" aria-hidden="true">
        <div class={`health-fill ${level()}`} style={{ width: `${Math.max(0, Math.min(100, props.score))}%` }} />
      </div>
      <span class="health-score-num">{props.score}</span>
    </div>
  );
}

/** Time left until `until` (epoch ms), ticking with `now`. */
export function Countdown(props: { until: number; now: number }): JSX.Element {
  return (
    <Show when={props.until > props.now} fallback={<span>{t("health.ending")}</span>}>
      <span class="health-countdown">{fmtRemaining(props.until - props.now)}</span>
    </Show>
  );
}

export function Spinner(props: { label?: string }): JSX.Element {
  return (
    <>
      <span class="spinner" aria-hidden="true" />
      <Show when={props.label}>
        <span class="sr-only">{props.label}</span>
      </Show>
    </>
  );
}
