/**
 * The attempts of one request on a shared time axis: each attempt's start offset and duration as a bar
 * proportional to the whole request, coloured by outcome, with its status and the reason the gateway
 * gave, and what a rejected attempt answered (its body or first events, as `logging.bodies` kept it),
 * so a rule's false positive can be read here. For a streamed answer the time after the accepted
 * attempt's first token is drawn too.
 */
import { For, type JSX, Show } from "solid-js";
import { fmtMs } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";
import type { AttemptSummary } from "./log-types.tsx";

const OUTCOMES = new Set<string>(["accepted", "retry", "failover", "fail", "cut"]);
const isOutcome = (o: string): o is AttemptSummary["outcome"] => OUTCOMES.has(o);

/**
 * What happened after `a`, in words. A "retry" or "failover" that nothing followed (rows written before
 * the gateway said so itself) is labelled by what really happened: the request ended there.
 */
export function outcomeLabel(a: AttemptSummary, next: AttemptSummary | undefined): string {
  if (a.outcome === "failover") {
    if (!next) return t("logs.timeline.noOtherTarget");
    if (next.target === a.target) return t("logs.timeline.triedAgain");
    return t("logs.timeline.failedOverTo", { target: next.target });
  }
  if (a.outcome === "retry" && !next) return t("logs.timeline.notRetried");
  // An outcome this UI does not know (a newer server) is shown as the server wrote it.
  return isOutcome(a.outcome) ? t(`logs.timeline.outcome.${a.outcome}`) : a.outcome;
}

/** The kind of an outcome for its colour: a retry or failover that nothing followed is a failure. */
export const kindOf = (a: Pick<AttemptSummary, "outcome">, next: unknown) =>
  (a.outcome === "failover" || a.outcome === "retry") && !next ? "fail" : a.outcome;

const pct = (part: number, whole: number) => `${Math.max(0, Math.min(100, (part / whole) * 100)).toFixed(2)}%`;

export function AttemptTimeline(props: {
  attempts: AttemptSummary[];
  start: number;
  latencyMs: number;
  stream: boolean;
}): JSX.Element {
  const total = () =>
    Math.max(props.latencyMs, ...props.attempts.map((a) => a.startedAt - props.start + a.durationMs), 1);
  const accepted = () => props.attempts.find((a) => a.outcome === "accepted");
  /** After the accepted attempt: the rest of the answer (a stream's body, or the reply being sent). */
  const tail = () => {
    const a = accepted();
    if (!a) return undefined;
    const end = a.startedAt - props.start + a.durationMs;
    return total() - end > 1 ? { from: end, ms: total() - end } : undefined;
  };

  return (
    <Show when={props.attempts.length > 0} fallback={<p class="muted">{t("logs.timeline.noAttempt")}</p>}>
      <ol class="timeline" aria-label={t("logs.timeline.label", props.attempts.length, fmtMs(total()))}>
        <For each={props.attempts}>
          {(a, i) => {
            const offset = () => a.startedAt - props.start;
            const next = () => props.attempts[i() + 1];
            return (
              <li class="attempt">
                <span class={`dot ${kindOf(a, next())}`} aria-hidden="true" />
                <div class="attempt-body">
                  <div class="row attempt-head">
                    <strong class="mono">
                      {i() + 1}. {a.target}
                    </strong>
                    <span class={`outcome outcome-${kindOf(a, next())}`}>{outcomeLabel(a, next())}</span>
                    <span class="spacer" />
                    <span
                      class={`badge ${a.status === 200 ? "ok" : a.status === 0 ? "" : "bad"}`}
                      title={a.errorClass ? t("logs.errorClass", { errorClass: a.errorClass }) : undefined}
                    >
                      {a.status === 0 ? t("logs.timeline.noAnswer") : a.status}
                      <Show when={a.errorClass}> · {a.errorClass}</Show>
                    </span>
                  </div>
                  <div class="attempt-track" aria-hidden="true">
                    <span
                      class={`attempt-bar bar-${kindOf(a, next())}`}
                      style={{
                        left: pct(offset(), total()),
                        width: pct(Math.max(a.durationMs, total() / 400), total()),
                      }}
                    />
                  </div>
                  <div class="muted attempt-meta">
                    {t("logs.timeline.meta", { offset: fmtMs(offset()), duration: fmtMs(a.durationMs) })}
                    <Show when={a.outcome === "accepted" && props.stream}>{t("logs.timeline.toFirstToken")}</Show>
                    <Show when={a.reason}> · {a.reason}</Show>
                  </div>
                  <Show when={a.body}>{(body) => <RejectedBody body={body()} status={a.status} />}</Show>
                </div>
              </li>
            );
          }}
        </For>
        <Show when={tail()}>
          {(rest) => (
            <li class="attempt attempt-rest">
              <span class="dot rest" aria-hidden="true" />
              <div class="attempt-body">
                <div class="row attempt-head">
                  <strong class="rest-title">
                    {props.stream ? t("logs.timeline.streaming") : t("logs.timeline.sending")}
                  </strong>
                </div>
                <div class="attempt-track" aria-hidden="true">
                  <span
                    class="attempt-bar bar-rest"
                    style={{ left: pct(rest().from, total()), width: pct(rest().ms, total()) }}
                  />
                </div>
                <div class="muted attempt-meta">
                  {t("logs.timeline.rest", { from: fmtMs(rest().from), to: fmtMs(total()), ms: fmtMs(rest().ms) })}
                </div>
              </div>
            </li>
          )}
        </Show>
      </ol>
      <div class="timeline-axis muted" aria-hidden="true">
        <span>0</span>
        <span>{fmtMs(total() / 2)}</span>
        <span>{fmtMs(total())}</span>
      </div>
    </Show>
  );
}

/** What a rejected attempt answered, folded: a 2xx is the answer a rule turned down, else the error body. */
function RejectedBody(props: { body: string; status: number }): JSX.Element {
  const title = () =>
    props.status >= 200 && props.status < 300 ? t("logs.timeline.rejectedAnswer") : t("logs.timeline.errorBody");
  /** A JSON body pretty-printed; first events (one per line) and cut bodies as they are. */
  const text = () => {
    try {
      return JSON.stringify(JSON.parse(props.body), null, 2);
    } catch {
      return props.body;
    }
  };
  return (
    <details class="attempt-rejected">
      <summary>
        {title()} <span class="muted">{t("logs.timeline.characters", { n: formatNumber(props.body.length) })}</span>
      </summary>
      <pre>{text()}</pre>
    </details>
  );
}
