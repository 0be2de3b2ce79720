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
import { ChangeButton } from "../components/key-change-button.tsx";
import { errorText } from "../components/modal.tsx";
import { chosenModel, ModelPicker } from "../components/play-model.tsx";
import { SendResults, type SendSlot } from "../components/play-send.tsx";
import { ReadOnlyNotice } from "../components/read-only-notice.tsx";
import { fixed, fmtMs } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";

/** The conversation the JSON box starts with, in the language shown when the page opens. */
const exampleConversation = () => `[
  { "role": "system", "content": ${JSON.stringify(t("playground.exampleSystem"))} },
  { "role": "user", "content": ${JSON.stringify(t("playground.exampleUser"))} }
]`;
/** Whole minutes and seconds read better than "600.0 s" for budgets (seconds by their SI symbol). */
const fmtBudget = (ms: number) =>
  ms >= 60_000 && ms % 60_000 === 0
    ? t("playground.minutes", formatNumber(ms / 60_000))
    : ms >= 1000 && ms % 1000 === 0
      ? `${formatNumber(ms / 1000)} s`
      : fmtMs(ms);
/** A score's part with two or three decimals, as the language writes numbers. */

/** The request body for the pasted JSON: an array of messages, or a whole chat request. */
function bodyFromJson(text: string, model: string): { body?: Record<string, unknown>; error?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // The parser's own message (the browser's language) follows the sentence.
    return { error: t("playground.errors.badJson", { message: e instanceof Error ? e.message : String(e) }) };
  }
  if (Array.isArray(parsed)) return { body: { model, messages: parsed } };
  if (parsed && typeof parsed === "object" && Array.isArray((parsed as { messages?: unknown }).messages))
    return { body: { ...(parsed as object), model } };
  return { error: t("playground.errors.notMessages") };
}

export function PlaygroundPage(): JSX.Element {
  const [mode, setMode] = createSignal<"prompt" | "json">("prompt");
  const [prompt, setPrompt] = createSignal("");
  const [system, setSystem] = createSignal("");
  const [json, setJson] = createSignal(exampleConversation());
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
      if (!prompt().trim()) return void setError(t("playground.errors.noPrompt"));
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
      <h1>{t("playground.title")}</h1>
      <ReadOnlyNotice />
      <p class="notice">
        <strong>{t("playground.intro.explain")}</strong>
        {t("playground.intro.shows")}
        <strong>{t("playground.intro.withoutCalling")}</strong>
        {t("playground.intro.local")}
        <strong>{t("playground.intro.send")}</strong>
        {t("playground.intro.runs")}
        <code>playground</code>
        {t("playground.intro.costs")}
      </p>

      <form class="panel stack" onSubmit={explain} aria-label={t("playground.form")}>
        <div class="row">
          <fieldset class="segmented">
            <legend class="sr-only">{t("playground.input")}</legend>
            <button type="button" aria-pressed={mode() === "prompt"} onClick={() => setMode("prompt")}>
              {t("playground.prompt")}
            </button>
            <button type="button" aria-pressed={mode() === "json"} onClick={() => setMode("json")}>
              {t("playground.json")}
            </button>
          </fieldset>
          <span class="spacer" />
          <ModelPicker
            label={t("playground.requestedModel")}
            otherLabel={t("playground.modelName")}
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
              {t("playground.jsonLabel")}
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
            {t("playground.system")}
            <input
              value={system()}
              onInput={(e) => setSystem(e.currentTarget.value)}
              placeholder={t("playground.systemPlaceholder")}
            />
          </label>
          <label>
            {t("playground.prompt")}
            <textarea
              class="play-prompt"
              value={prompt()}
              onInput={(e) => setPrompt(e.currentTarget.value)}
              onKeyDown={submitOnCtrlEnter}
              placeholder={t("playground.promptPlaceholder")}
            />
          </label>
        </Show>

        <div class="row play-actions">
          <button type="submit" class="primary" disabled={busy() !== undefined}>
            <Show when={busy() === "explain"}>
              <Spinner />
            </Show>
            {busy() === "explain" ? t("playground.explaining") : t("playground.intro.explain")}
          </button>
          <ChangeButton onClick={() => void send()} disabled={busy() !== undefined}>
            <Show when={busy() === "send"}>
              <Spinner />
            </Show>
            {busy() === "send"
              ? t("playground.sending")
              : compared()
                ? t("playground.sendBoth")
                : t("playground.intro.send")}
          </ChangeButton>
          <ModelPicker
            label={t("playground.sideBySide")}
            otherLabel={t("playground.sideBySideName")}
            none={t("playground.nothing")}
            value={compare()}
            onChange={setCompare}
            other={otherCompare()}
            onOther={setOtherCompare}
            targets={targets()}
          />
          <label class="play-inline">
            <input type="checkbox" checked={stream()} onChange={(e) => setStream(e.currentTarget.checked)} />
            {t("playground.stream")}
          </label>
          <span class="muted play-hint">{t("playground.hint")}</span>
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
  const routeText = () => {
    const name = r().requestedModel;
    if (r().route === "auto") return t("playground.result.classified", { name });
    return r().route === "tier"
      ? t("playground.result.tierPinned", { name })
      : t("playground.result.modelPinned", { name });
  };
  const hasScores = () => r().candidates.some((c) => c.score);
  return (
    <div class="stack play-result">
      <section class="panel play-summary stack" aria-label={t("playground.result.decision")}>
        <div class="row">
          <span class="muted">{t("playground.result.tier")}</span>
          <span class="play-tier">
            <TierBadge tier={r().tier} />
          </span>
          <span class="muted">{t("playground.result.via")}</span>
          <span>{routeText()}</span>
        </div>
        <p class="play-reason">
          <span class="muted">{t("playground.result.reason")}</span>
          {r().reason}
        </p>
        <p class="muted play-strategy">
          {t("playground.result.strategy")}
          <strong>{r().strategy}</strong>
          {t("playground.result.candidates", r().candidates.length)}
        </p>
      </section>

      <section class="panel" aria-labelledby="play-classifiers">
        <h2 id="play-classifiers">{t("playground.result.classifiers")}</h2>
        <Show
          when={r().route === "auto"}
          fallback={
            <p class="muted">
              {r().route === "tier" ? t("playground.result.notRunTier") : t("playground.result.notRunModel")}
            </p>
          }
        >
          <Show when={r().classifiers.length > 0} fallback={<p class="muted">{t("playground.result.noClassifier")}</p>}>
            <ol class="play-classifiers">
              <For each={r().classifiers}>
                {(c) => (
                  <li class="play-classifier" classList={{ "play-decided": decider() === c }}>
                    <div class="row">
                      <strong class="mono">{c.name}</strong>
                      <Switch>
                        <Match when={decider() === c}>
                          <span class="badge ok">{t("playground.result.decided")}</span>
                        </Match>
                        <Match when={c.verdict}>
                          <span class="badge">{t("playground.result.answeredNotFirst")}</span>
                        </Match>
                        {/* The server's note (English in the API) says why a classifier did not run. */}
                        <Match when={c.note?.startsWith("asks a model")}>
                          <span class="badge warn">{t("playground.result.notRun")}</span>
                        </Match>
                        <Match when={c.note}>
                          <span class="badge bad">{t("playground.result.noVerdict")}</span>
                        </Match>
                        <Match when={true}>
                          <span class="badge">{t("playground.result.noOpinion")}</span>
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
                            <span class="muted">
                              {t("playground.result.confidence", {
                                pct: t("common.percent", { n: formatNumber(Math.round(v().confidence! * 100)) }),
                              })}
                            </span>
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
        <h2 id="play-candidates">{t("playground.result.candidatesTitle")}</h2>
        <Show when={r().candidates.length > 0} fallback={<p class="muted">{t("playground.result.noCandidate")}</p>}>
          <div class="table-wrap">
            <table class="play-table stack-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("playground.result.model")}</th>
                  <th scope="col">{t("playground.result.availability")}</th>
                  <th scope="col">{t("playground.result.circuit")}</th>
                  <th scope="col">{t("playground.result.health")}</th>
                  <th scope="col">{t("playground.result.latency")}</th>
                  <Show when={hasScores()}>
                    <th
                      scope="col"
                      title="score = health² · (0.5·speed + 0.3·weight + 0.2·chance) · load · (1 − streak)"
                    >
                      {t("playground.result.adaptiveScore")}
                    </th>
                  </Show>
                </tr>
              </thead>
              <tbody>
                <For each={r().candidates}>
                  {(c, i) => (
                    <tr>
                      <td data-label={t("playground.result.order")}>{i() + 1}</td>
                      <td data-label={t("playground.result.model")} class="mono">
                        {c.ref}
                      </td>
                      <td data-label={t("playground.result.availability")}>
                        <AvailabilityBadge value={c.availability} />
                      </td>
                      <td data-label={t("playground.result.circuit")}>
                        <CircuitBadge state={c.health.state} />
                      </td>
                      <td data-label={t("playground.result.health")} class="play-health">
                        <ScoreBar
                          score={c.health.score}
                          label={t("playground.result.healthScoreOf", { target: c.ref })}
                        />
                      </td>
                      <td data-label={t("playground.result.latency")}>{fmtMs(c.health.latencyMs)}</td>
                      <Show when={hasScores()}>
                        <td data-label={t("playground.result.adaptiveScore")}>
                          <Show when={c.score} fallback={<span class="muted">{t("playground.result.pinned")}</span>}>
                            {(s) => (
                              <div class="play-score">
                                <strong class="mono">{fixed(s().total, 3)}</strong>
                                <span class="muted mono play-parts">
                                  {t("playground.result.parts", {
                                    health: fixed(s().health, 2),
                                    speed: fixed(s().speed, 2),
                                    weight: fixed(s().weight, 2),
                                    chance: fixed(s().chance, 2),
                                    load: fixed(s().load, 2),
                                    streak: fixed(s().streak, 2),
                                  })}
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
          <p class="muted play-foot">{t("playground.result.coolingLast")}</p>
        </Show>
      </section>

      <div class="grid two">
        <section class="panel" aria-labelledby="play-timeouts">
          <h2 id="play-timeouts">{t("playground.result.budgets")}</h2>
          <dl class="play-dl">
            <dt>{t("playground.result.headersWithin")}</dt>
            <dd>{fmtBudget(r().timeouts.connectMs)}</dd>
            <dt>{t("playground.result.firstTokenWithin")}</dt>
            <dd>{fmtBudget(r().timeouts.firstTokenMs)}</dd>
            <dt>{t("playground.result.longestSilence")}</dt>
            <dd>{fmtBudget(r().timeouts.idleMs)}</dd>
            <dt>{t("playground.result.wholeRequest")}</dt>
            <dd>{fmtBudget(r().timeouts.totalMs)}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="play-retry">
          <h2 id="play-retry">{t("playground.result.retryPlan")}</h2>
          <dl class="play-dl">
            <dt>{t("playground.result.attemptsTotal")}</dt>
            <dd>{t("playground.result.atMost", { n: r().retry.maxAttempts })}</dd>
            <dt>{t("playground.result.attemptsPerModel")}</dt>
            <dd>{t("playground.result.perTarget", r().retry.perTarget)}</dd>
            <dt>{t("playground.result.backoff")}</dt>
            <dd>
              {t("playground.result.backoffText", {
                base: fmtMs(r().retry.backoff.baseMs),
                max: fmtBudget(r().retry.backoff.maxMs),
              })}
            </dd>
            <dt>{t("playground.result.longestRetryAfter")}</dt>
            <dd>{fmtBudget(r().retry.backoff.maxRetryAfterMs)}</dd>
            <dt>{t("playground.result.retryRules")}</dt>
            <dd>
              <NameList names={r().retry.rules} />
            </dd>
            <dt>{t("playground.result.adapters")}</dt>
            <dd>
              <NameList names={r().retry.adapters} />
            </dd>
          </dl>
        </section>
      </div>

      <details class="panel">
        <summary>{t("playground.result.raw")}</summary>
        <pre>{JSON.stringify(r(), null, 2)}</pre>
      </details>
    </div>
  );
}

function NameList(props: { names: string[] }): JSX.Element {
  return (
    <Show when={props.names.length > 0} fallback={<span class="muted">{t("playground.result.none")}</span>}>
      <span class="play-names">
        <For each={props.names}>{(n) => <code>{n}</code>}</For>
      </span>
    </Show>
  );
}
