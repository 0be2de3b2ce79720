/**
 * What the playground's "Send it" shows for one real request (POST /api/playground/send): the answer,
 * and its figures (status, tier, model, latency, cost, tokens), every attempt with its outcome, and a link
 * to the request in the log. Side by side, one column per requested tier or model.
 */

import { A } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import type { PlaygroundSent } from "../api.ts";
import { fmtInt, fmtMs, fmtUsd } from "../format.ts";
import { t } from "../i18n/index.ts";
import { TierBadge } from "./health-parts.tsx";
import { kindOf } from "./log-timeline.tsx";

/** One column's state: what was asked for, and its answer or the error of the call itself. */
export interface SendSlot {
  requested: string;
  sent?: PlaygroundSent;
  error?: string;
}

/** Each attempt outcome's badge colour; its words are playground.send.outcome in the dictionaries. */
const OUTCOME_CLASS = {
  accepted: "ok",
  retry: "warn",
  failover: "warn",
  fail: "bad",
  cut: "bad",
} as const;
type Outcome = keyof typeof OUTCOME_CLASS;
const isOutcome = (o: string): o is Outcome => Object.hasOwn(OUTCOME_CLASS, o);
/** The colour of an outcome's kind (`kindOf`, as the log's timeline judges it: nothing after a retry is a failure). */
const badgeClass = (kind: string) => (isOutcome(kind) ? OUTCOME_CLASS[kind] : "");
/** An outcome in the language shown; one this UI does not know, as the server wrote it. */
const outcomeWord = (o: string) => (isOutcome(o) ? t(`playground.send.outcome.${o}`) : o);

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
    <section
      class="panel stack play-send"
      aria-label={t("playground.send.answerFor", { requested: props.slot.requested })}
    >
      <h2 class="play-send-title">
        {t("playground.send.sentAs")}
        <code>{props.slot.requested}</code>
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
                {s().answer || <span class="muted">{t("playground.send.empty")}</span>}
              </div>
            </Show>
            <dl class="play-dl play-send-figures">
              <dt>{t("playground.send.status")}</dt>
              <dd>
                <span class={`badge ${s().status === 200 ? "ok" : "bad"}`}>{s().status}</span>
              </dd>
              <dt>{t("playground.send.tier")}</dt>
              <dd>
                <Show when={s().tier} fallback="–">
                  {(tier) => <TierBadge tier={tier()} />}
                </Show>
                <Show when={s().tierReason}>
                  <span class="muted"> {s().tierReason}</span>
                </Show>
              </dd>
              <dt>{t("playground.send.model")}</dt>
              <dd class="mono" data-testid="play-model">
                {s().model ?? t("playground.send.noneAnswered")}
              </dd>
              <dt>{t("playground.send.latency")}</dt>
              <dd>
                {fmtMs(s().latencyMs)}
                <Show when={s().ttftMs !== null}>
                  <span class="muted">{t("playground.send.firstToken", { ms: fmtMs(s().ttftMs) })}</span>
                </Show>
              </dd>
              <dt>{t("playground.send.cost")}</dt>
              <dd>
                {s().costUsd === null ? (
                  <span class="muted">{t("playground.send.notPriced")}</span>
                ) : (
                  fmtUsd(s().costUsd)
                )}
                <span class="muted">
                  {t("playground.send.tokens", {
                    prompt: fmtInt(s().promptTokens),
                    completion: fmtInt(s().completionTokens),
                  })}
                </span>
              </dd>
            </dl>
            <h3>{t("playground.send.attempts", s().attempts.length)}</h3>
            <ol class="play-attempts">
              <For each={s().attempts}>
                {(a, i) => (
                  <li class="play-attempt">
                    <span class={`badge ${badgeClass(kindOf(a, s().attempts[i() + 1]))}`}>
                      {outcomeWord(a.outcome)}
                    </span>{" "}
                    <span class="mono">{a.target}</span>{" "}
                    <span class="muted">
                      {a.status || t("playground.send.noAnswer")} · {fmtMs(a.durationMs)}
                    </span>
                    <Show when={a.reason}>
                      <span class="muted play-attempt-reason"> {a.reason}</span>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
            <Show when={s().logged} fallback={<p class="muted">{t("playground.send.notLogged")}</p>}>
              <A href={`/logs/${encodeURIComponent(s().requestId)}`}>{t("playground.send.inLog")}</A>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
