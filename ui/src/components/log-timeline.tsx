/**
 * The attempts of one request on a shared time axis: each attempt's start offset and duration as a bar
 * proportional to the whole request, coloured by outcome, with its status and the reason the gateway
 * gave, and what a rejected attempt answered (its body or first events, as `logging.bodies` kept it),
 * so a rule's false positive can be read here. For a streamed answer the time after the accepted
 * attempt's first token is drawn too.
 */
import { For, type JSX, Show } from "solid-js";
import { fmtMs } from "../format.ts";
import type { AttemptSummary } from "./log-types.tsx";

const OUTCOME: Record<AttemptSummary["outcome"], string> = {
  accepted: "accepted",
  retry: "retried on the same target",
  failover: "failed over to the next target",
  fail: "failed, request ended",
  cut: "cut after the first byte",
};

/**
 * What happened after `a`, in words. A "retry" or "failover" that nothing followed (rows written before
 * the gateway said so itself) is labelled by what really happened: the request ended there.
 */
export function outcomeLabel(a: AttemptSummary, next: AttemptSummary | undefined): string {
  if (a.outcome === "failover") {
    if (!next) return "failed, no other target to fail over to";
    if (next.target === a.target) return "failed, tried again";
    return `failed over to ${next.target}`;
  }
  if (a.outcome === "retry" && !next) return "failed, not retried";
  return OUTCOME[a.outcome] ?? a.outcome;
}

/** The kind of an outcome for its colour: a retry or failover that nothing followed is a failure. */
const kindOf = (a: AttemptSummary, next: AttemptSummary | undefined) =>
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
    <Show
      when={props.attempts.length > 0}
      fallback={
        <p class="muted">No upstream attempt: the request was answered or refused before any model was called.</p>
      }
    >
      <ol
        class="timeline"
        aria-label={`${props.attempts.length} attempt${props.attempts.length === 1 ? "" : "s"} over ${fmtMs(total())}`}
      >
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
                      title={a.errorClass ? `error class: ${a.errorClass}` : undefined}
                    >
                      {a.status === 0 ? "no answer" : a.status}
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
                    starts at +{fmtMs(offset())}, takes {fmtMs(a.durationMs)}
                    <Show when={a.outcome === "accepted" && props.stream}> (to the first token)</Show>
                    <Show when={a.reason}> · {a.reason}</Show>
                  </div>
                  <Show when={a.body}>{(body) => <RejectedBody body={body()} status={a.status} />}</Show>
                </div>
              </li>
            );
          }}
        </For>
        <Show when={tail()}>
          {(t) => (
            <li class="attempt attempt-rest">
              <span class="dot rest" aria-hidden="true" />
              <div class="attempt-body">
                <div class="row attempt-head">
                  <strong class="rest-title">{props.stream ? "Streaming the answer" : "Sending the answer"}</strong>
                </div>
                <div class="attempt-track" aria-hidden="true">
                  <span
                    class="attempt-bar bar-rest"
                    style={{ left: pct(t().from, total()), width: pct(t().ms, total()) }}
                  />
                </div>
                <div class="muted attempt-meta">
                  from +{fmtMs(t().from)} to +{fmtMs(total())} ({fmtMs(t().ms)})
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
    props.status >= 200 && props.status < 300 ? "Rejected answer (what the upstream sent)" : "Error body";
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
        {title()} <span class="muted">({props.body.length.toLocaleString()} characters)</span>
      </summary>
      <pre>{text()}</pre>
    </details>
  );
}
