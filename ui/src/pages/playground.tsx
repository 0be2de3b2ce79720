/**
 * Routing playground: a prompt (or a whole conversation as JSON) goes to POST /api/explain, which
 * answers how the gateway would route it — classifier verdicts, tier, candidate order with health and
 * adaptive scores, time budgets and retry plan — without calling any upstream model. "Send it" runs it
 * for real (POST /api/playground/send, logged with the key id "playground"), and with a second tier or
 * model chosen, sends it to both at once and shows the answers side by side.
 */
import { createSignal, For, type JSX, Match, onMount, Show, Switch } from "solid-js";
import { call, type Explanation } from "../api.ts";
import {
  AvailabilityBadge,
  CircuitBadge,
  type HealthTarget,
  ScoreBar,
  Spinner,
  TierBadge,
} from "../components/health-parts.tsx";
import { errorText } from "../components/modal.tsx";
import { chosenModel, ModelPicker } from "../components/play-model.tsx";
import { SendResults, type SendSlot } from "../components/play-send.tsx";
import { fmtMs } from "../format.ts";

const EXAMPLE_CONVERSATION = `[
  { "role": "system", "content": "You are a helpful assistant." },
  { "role": "user", "content": "Write a Python function that merges two sorted lists." }
]`;
/** Whole minutes and seconds read better than "600.0 s" for budgets. */
const fmtBudget = (ms: number) =>
  ms >= 60_000 && ms % 60_000 === 0
    ? `${ms / 60_000} min`
    : ms >= 1000 && ms % 1000 === 0
      ? `${ms / 1000} s`
      : fmtMs(ms);

/** The request body for the pasted JSON: an array of messages, or a whole chat request. */
function bodyFromJson(text: string, model: string): { body?: Record<string, unknown>; error?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `The conversation is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (Array.isArray(parsed)) return { body: { model, messages: parsed } };
  if (parsed && typeof parsed === "object" && Array.isArray((parsed as { messages?: unknown }).messages))
    return { body: { ...(parsed as object), model } };
  return {
    error: 'Paste an array of messages ([{ "role": "user", "content": "…" }]) or a request body with "messages".',
  };
}

export function PlaygroundPage(): JSX.Element {
  const [mode, setMode] = createSignal<"prompt" | "json">("prompt");
  const [prompt, setPrompt] = createSignal("");
  const [system, setSystem] = createSignal("");
  const [json, setJson] = createSignal(EXAMPLE_CONVERSATION);
  const [model, setModel] = createSignal("auto");
  const [otherModel, setOtherModel] = createSignal("");
  const [compare, setCompare] = createSignal("");
  const [stream, setStream] = createSignal(false);
  const [otherCompare, setOtherCompare] = createSignal("");
  const [targets, setTargets] = createSignal<HealthTarget[]>([]);
  const [result, setResult] = createSignal<Explanation>();
  const [slots, setSlots] = createSignal<SendSlot[]>([]);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal<"explain" | "send">();

  onMount(
    () =>
      void call("GET /api/health")
        .then((r) => setTargets(r.targets))
        .catch(() => {}),
  );

  const requested = () => chosenModel(model(), otherModel());
  const compared = () => (compare() ? chosenModel(compare(), otherCompare()) : undefined);

  /** The request body for `requestedModel`, or undefined with the error shown. */
  const bodyFor = (requestedModel: string): Record<string, unknown> | undefined => {
    if (mode() === "prompt") {
      if (!prompt().trim()) return void setError("Type a prompt first.");
      const messages = [
        ...(system().trim() ? [{ role: "system", content: system() }] : []),
        { role: "user", content: prompt() },
      ];
      return { model: requestedModel, messages };
    }
    const built = bodyFromJson(json(), requestedModel);
    if (built.error) return void setError(built.error);
    return built.body;
  };

  const explain = async (event?: Event) => {
    event?.preventDefault();
    setError("");
    const body = bodyFor(requested());
    if (!body) return;
    setBusy("explain");
    try {
      setResult(await call("POST /api/explain", { body }));
    } catch (e) {
      setResult(undefined);
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };

  /** Sends the request for real, to the requested model and, side by side, to the compared one. */
  const send = async () => {
    setError("");
    const names = [requested(), ...(compared() ? [compared()!] : [])];
    // The streamed request is read whole by the route: what differs is the upstream call (and its TTFT).
    const bodies = names.map((name) => {
      const body = bodyFor(name);
      return body && stream() ? { ...body, stream: true } : body;
    });
    if (bodies.some((b) => !b)) return;
    setBusy("send");
    setSlots(names.map((requestedModel) => ({ requested: requestedModel })));
    try {
      const answers = await Promise.all(
        bodies.map((body) =>
          call("POST /api/playground/send", { body: body! }).then(
            (sent) => ({ sent }),
            (e: unknown) => ({ error: errorText(e) }),
          ),
        ),
      );
      setSlots(names.map((requestedModel, i) => ({ requested: requestedModel, ...answers[i] })));
    } finally {
      setBusy(undefined);
    }
  };

  const submitOnCtrlEnter = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void explain(event);
  };

  return (
    <div class="stack play-page">
      <h1>Routing playground</h1>
      <p class="notice">
        <strong>Explain the route</strong> shows how the gateway would route a request{" "}
        <strong>without calling any upstream model</strong>: the local classifiers run, a classifier that would ask a
        model is shown as not run, and nothing is logged or remembered for sticky conversations.{" "}
        <strong>Send it</strong> runs the request for real, as /v1 would, and it is logged (key <code>playground</code>)
        and costs what any request costs.
      </p>

      <form class="panel stack" onSubmit={explain} aria-label="Request to explain">
        <div class="row">
          <fieldset class="segmented">
            <legend class="sr-only">Input</legend>
            <button type="button" aria-pressed={mode() === "prompt"} onClick={() => setMode("prompt")}>
              Prompt
            </button>
            <button type="button" aria-pressed={mode() === "json"} onClick={() => setMode("json")}>
              Conversation (JSON)
            </button>
          </fieldset>
          <span class="spacer" />
          <ModelPicker
            label="Requested model"
            otherLabel="Model name"
            value={model()}
            onChange={setModel}
            other={otherModel()}
            onOther={setOtherModel}
            targets={targets()}
          />
        </div>

        <Show
          when={mode() === "prompt"}
          fallback={
            <label>
              Messages as JSON (an array of messages, or a whole request body: its model is replaced by the one chosen
              above)
              <textarea
                class="play-json"
                value={json()}
                onInput={(e) => setJson(e.currentTarget.value)}
                onKeyDown={submitOnCtrlEnter}
                spellcheck={false}
              />
            </label>
          }
        >
          <label>
            System prompt (optional)
            <input
              value={system()}
              onInput={(e) => setSystem(e.currentTarget.value)}
              placeholder="You are a helpful assistant."
            />
          </label>
          <label>
            Prompt
            <textarea
              class="play-prompt"
              value={prompt()}
              onInput={(e) => setPrompt(e.currentTarget.value)}
              onKeyDown={submitOnCtrlEnter}
              placeholder="Explain the proof of Fermat's last theorem step by step…"
            />
          </label>
        </Show>

        <div class="row play-actions">
          <button type="submit" class="primary" disabled={busy() !== undefined}>
            <Show when={busy() === "explain"}>
              <Spinner />
            </Show>
            {busy() === "explain" ? "Explaining…" : "Explain the route"}
          </button>
          <button type="button" onClick={() => void send()} disabled={busy() !== undefined}>
            <Show when={busy() === "send"}>
              <Spinner />
            </Show>
            {busy() === "send" ? "Sending…" : compared() ? "Send it to both" : "Send it"}
          </button>
          <ModelPicker
            label="Side by side with"
            otherLabel="Side by side with: name"
            none="nothing (one answer)"
            value={compare()}
            onChange={setCompare}
            other={otherCompare()}
            onOther={setOtherCompare}
            targets={targets()}
          />
          <label class="play-inline">
            <input type="checkbox" checked={stream()} onChange={(e) => setStream(e.currentTarget.checked)} />
            Stream
          </label>
          <span class="muted play-hint">Ctrl+Enter in the text box explains.</span>
        </div>
      </form>

      <div aria-live="polite" aria-busy={busy() !== undefined} class="live-slot">
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={slots().length > 0}>
          <SendResults slots={slots()} />
        </Show>
        <Show when={result()}>{(r) => <ExplanationView result={r()} />}</Show>
      </div>
    </div>
  );
}

function ExplanationView(props: { result: Explanation }): JSX.Element {
  const r = () => props.result;
  const decider = () => r().classifiers.find((c) => c.name === r().decidedBy);
  const routeText = () =>
    r().route === "auto"
      ? `"${r().requestedModel}": classified`
      : r().route === "tier"
        ? `tier "${r().requestedModel}" pinned by the client`
        : `model "${r().requestedModel}" pinned by the client`;
  const hasScores = () => r().candidates.some((c) => c.score);
  return (
    <div class="stack play-result">
      <section class="panel play-summary stack" aria-label="Decision">
        <div class="row">
          <span class="muted">Tier</span>
          <span class="play-tier">
            <TierBadge tier={r().tier} />
          </span>
          <span class="muted">via</span>
          <span>{routeText()}</span>
        </div>
        <p class="play-reason">
          <span class="muted">Reason: </span>
          {r().reason}
        </p>
        <p class="muted play-strategy">
          Strategy <strong>{r().strategy}</strong> · {r().candidates.length} candidate
          {r().candidates.length === 1 ? "" : "s"}
        </p>
      </section>

      <section class="panel" aria-labelledby="play-classifiers">
        <h2 id="play-classifiers">Classifiers</h2>
        <Show
          when={r().route === "auto"}
          fallback={
            <p class="muted">Not run: the client asked for a {r().route === "tier" ? "tier" : "model"} by name.</p>
          }
        >
          <Show
            when={r().classifiers.length > 0}
            fallback={<p class="muted">No classifier is configured: the default tier applies.</p>}
          >
            <ol class="play-classifiers">
              <For each={r().classifiers}>
                {(c) => (
                  <li class="play-classifier" classList={{ "play-decided": decider() === c }}>
                    <div class="row">
                      <strong class="mono">{c.name}</strong>
                      <Switch>
                        <Match when={decider() === c}>
                          <span class="badge ok">decided</span>
                        </Match>
                        <Match when={c.verdict}>
                          <span class="badge">answered, not first</span>
                        </Match>
                        <Match when={c.note?.startsWith("asks a model")}>
                          <span class="badge warn">not run</span>
                        </Match>
                        <Match when={c.note}>
                          <span class="badge bad">no verdict</span>
                        </Match>
                        <Match when={true}>
                          <span class="badge">no opinion</span>
                        </Match>
                      </Switch>
                      <span class="spacer" />
                      <span class="muted mono">{fmtMs(c.ms)}</span>
                    </div>
                    <Show when={c.verdict}>
                      {(v) => (
                        <p class="play-verdict">
                          <TierBadge tier={v().tier} /> {v().reason}
                          <Show when={v().confidence !== undefined}>
                            <span class="muted"> · confidence {Math.round(v().confidence! * 100)} %</span>
                          </Show>
                        </p>
                      )}
                    </Show>
                    <Show when={c.note}>
                      <p class="muted play-verdict">{c.note}</p>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Show>
      </section>

      <section class="panel" aria-labelledby="play-candidates">
        <h2 id="play-candidates">Candidates, in the order they would be tried</h2>
        <Show when={r().candidates.length > 0} fallback={<p class="muted">No candidate: the tier has no model.</p>}>
          <div class="table-wrap">
            <table class="play-table stack-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Model</th>
                  <th scope="col">Availability</th>
                  <th scope="col">Circuit</th>
                  <th scope="col">Health</th>
                  <th scope="col">Latency</th>
                  <Show when={hasScores()}>
                    <th
                      scope="col"
                      title="score = health² · (0.5·speed + 0.3·weight + 0.2·chance) · load · (1 − streak)"
                    >
                      Adaptive score
                    </th>
                  </Show>
                </tr>
              </thead>
              <tbody>
                <For each={r().candidates}>
                  {(c, i) => (
                    <tr>
                      <td data-label="Order">{i() + 1}</td>
                      <td data-label="Model" class="mono">
                        {c.ref}
                      </td>
                      <td data-label="Availability">
                        <AvailabilityBadge value={c.availability} />
                      </td>
                      <td data-label="Circuit">
                        <CircuitBadge state={c.health.state} />
                      </td>
                      <td data-label="Health" class="play-health">
                        <ScoreBar score={c.health.score} label={`Health score of ${c.ref}`} />
                      </td>
                      <td data-label="Latency">{fmtMs(c.health.latencyMs)}</td>
                      <Show when={hasScores()}>
                        <td data-label="Adaptive score">
                          <Show when={c.score} fallback={<span class="muted">pinned</span>}>
                            {(s) => (
                              <div class="play-score">
                                <strong class="mono">{s().total.toFixed(3)}</strong>
                                <span class="muted mono play-parts">
                                  health {s().health.toFixed(2)} · speed {s().speed.toFixed(2)} · weight{" "}
                                  {s().weight.toFixed(2)} · chance {s().chance.toFixed(2)} · load {s().load.toFixed(2)}{" "}
                                  · streak {s().streak.toFixed(2)}
                                </span>
                              </div>
                            )}
                          </Show>
                        </td>
                      </Show>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <p class="muted play-foot">
            Models cooling down go to the back; they are still tried when everything before them failed.
          </p>
        </Show>
      </section>

      <div class="grid two">
        <section class="panel" aria-labelledby="play-timeouts">
          <h2 id="play-timeouts">Time budgets</h2>
          <dl class="play-dl">
            <dt>Headers within</dt>
            <dd>{fmtBudget(r().timeouts.connectMs)}</dd>
            <dt>First token within</dt>
            <dd>{fmtBudget(r().timeouts.firstTokenMs)}</dd>
            <dt>Longest silence in a stream</dt>
            <dd>{fmtBudget(r().timeouts.idleMs)}</dd>
            <dt>Whole request</dt>
            <dd>{fmtBudget(r().timeouts.totalMs)}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="play-retry">
          <h2 id="play-retry">Retry plan</h2>
          <dl class="play-dl">
            <dt>Attempts in total</dt>
            <dd>at most {r().retry.maxAttempts}</dd>
            <dt>Attempts per model</dt>
            <dd>
              {r().retry.perTarget} ({r().retry.perTarget - 1} retr{r().retry.perTarget - 1 === 1 ? "y" : "ies"} before
              failover)
            </dd>
            <dt>Backoff</dt>
            <dd>
              {fmtMs(r().retry.backoff.baseMs)} doubling, up to {fmtBudget(r().retry.backoff.maxMs)}, with jitter
            </dd>
            <dt>Longest Retry-After waited</dt>
            <dd>{fmtBudget(r().retry.backoff.maxRetryAfterMs)}</dd>
            <dt>Retry rules</dt>
            <dd>
              <NameList names={r().retry.rules} />
            </dd>
            <dt>Parameter adapters</dt>
            <dd>
              <NameList names={r().retry.adapters} />
            </dd>
          </dl>
        </section>
      </div>

      <details class="panel">
        <summary>Raw answer (JSON)</summary>
        <pre>{JSON.stringify(r(), null, 2)}</pre>
      </details>
    </div>
  );
}

function NameList(props: { names: string[] }): JSX.Element {
  return (
    <Show when={props.names.length > 0} fallback={<span class="muted">none</span>}>
      <span class="play-names">
        <For each={props.names}>{(n) => <code>{n}</code>}</For>
      </span>
    </Show>
  );
}
