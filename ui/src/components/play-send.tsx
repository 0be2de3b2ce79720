/**
 * What the playground's "Send it" shows for one real request (POST /api/playground/send): the answer,
 * and its figures (status, tier, model, latency, cost, tokens), every attempt with its outcome, and a link
 * to the request in the log. Side by side, one column per requested tier or model.
 */
import { A } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import type { PlaygroundSent } from "../api.ts";
import { fmtInt, fmtMs, fmtUsd } from "../format.ts";
import { TierBadge } from "./health-parts.tsx";

/** One column's state: what was asked for, and its answer or the error of the call itself. */
export interface SendSlot {
  requested: string;
  sent?: PlaygroundSent;
  error?: string;
}

const OUTCOME_CLASS: Record<string, string> = {
  accepted: "ok",
  retry: "warn",
  failover: "warn",
  fail: "bad",
  cut: "bad",
};

export function SendResults(props: { slots: SendSlot[] }): JSX.Element {
  return (
    <div class="play-send-grid" classList={{ "play-send-pair": props.slots.length > 1 }}>
      <For each={props.slots}>{(slot) => <SendResultView slot={slot} />}</For>
    </div>
  );
}

function SendResultView(props: { slot: SendSlot }): JSX.Element {
  const sent = () => props.slot.sent;
  return (
    <section class="panel stack play-send" aria-label={`Answer for ${props.slot.requested}`}>
      <h2 class="play-send-title">
        Sent as <code>{props.slot.requested}</code>
      </h2>
      <Show when={props.slot.error}>
        <p class="error" role="alert">
          {props.slot.error}
        </p>
      </Show>
      <Show when={sent()}>
        {(s) => (
          <>
            <Show
              when={s().answer !== null}
              fallback={
                <p class="error play-answer">
                  {s().status} {s().error?.code}: {s().error?.message}
                </p>
              }
            >
              <div class="play-answer" data-testid="play-answer">
                {s().answer || <span class="muted">(an empty answer)</span>}
              </div>
            </Show>
            <dl class="play-dl play-send-figures">
              <dt>Status</dt>
              <dd>
                <span class={`badge ${s().status === 200 ? "ok" : "bad"}`}>{s().status}</span>
              </dd>
              <dt>Tier</dt>
              <dd>
                <Show when={s().tier} fallback="–">
                  {(tier) => <TierBadge tier={tier()} />}
                </Show>
                <Show when={s().tierReason}>
                  <span class="muted"> {s().tierReason}</span>
                </Show>
              </dd>
              <dt>Model</dt>
              <dd class="mono" data-testid="play-model">
                {s().model ?? "none answered"}
              </dd>
              <dt>Latency</dt>
              <dd>
                {fmtMs(s().latencyMs)}
                <Show when={s().ttftMs !== null}>
                  <span class="muted"> · first token {fmtMs(s().ttftMs)}</span>
                </Show>
              </dd>
              <dt>Cost</dt>
              <dd>
                {s().costUsd === null ? <span class="muted">not priced</span> : fmtUsd(s().costUsd)}
                <span class="muted">
                  {" "}
                  · {fmtInt(s().promptTokens)} in, {fmtInt(s().completionTokens)} out
                </span>
              </dd>
            </dl>
            <h3>
              {s().attempts.length} attempt{s().attempts.length === 1 ? "" : "s"}
            </h3>
            <ol class="play-attempts">
              <For each={s().attempts}>
                {(a) => (
                  <li class="play-attempt">
                    <span class={`badge ${OUTCOME_CLASS[a.outcome] ?? ""}`}>{a.outcome}</span>{" "}
                    <span class="mono">{a.target}</span>{" "}
                    <span class="muted">
                      {a.status || "no answer"} · {fmtMs(a.durationMs)}
                    </span>
                    <Show when={a.reason}>
                      <span class="muted play-attempt-reason"> {a.reason}</span>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
            <Show
              when={s().logged}
              fallback={<p class="muted">Not in the log yet: the figures are the response's own.</p>}
            >
              <A href={`/logs/${encodeURIComponent(s().requestId)}`}>This request in the log</A>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
