/**
 * A logged request and answer rendered for reading: the conversation by role (text, images as
 * thumbnails, tool calls with their arguments pretty-printed, tool results), and the answer (content,
 * reasoning, tool calls, finish reason). Bodies logged as "none" (null) or cut short (a string that is
 * no longer JSON) are said to be so, and the text that was kept is shown as it is.
 */
import { createSignal, For, type JSX, Match, Show, Switch } from "solid-js";
import { t } from "../i18n/index.ts";
import { imageSource } from "../safe-url.ts";

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));

/** JSON text pretty-printed; anything else as it is. */
export function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Says why a body is missing or partial; renders `children` when it is a whole JSON object. */
export function BodyState(props: {
  body: unknown;
  what: "request" | "response";
  status: number;
  requestKept?: boolean;
  /** Refused before routing: there is no answer, and a body refused with its key or size is never kept. */
  refused?: boolean;
  children: (body: Obj) => JSX.Element;
}): JSX.Element {
  return (
    <Switch fallback={<pre>{JSON.stringify(props.body, null, 2)}</pre>}>
      <Match when={props.refused && (props.body === null || props.body === undefined)}>
        <p class="muted">
          {props.what === "response"
            ? t("logs.body.refusedResponse", { status: props.status })
            : t("logs.body.refusedRequest")}
        </p>
      </Match>
      <Match
        when={
          (props.body === null || props.body === undefined) &&
          props.what === "response" &&
          props.requestKept &&
          props.status !== 200
        }
      >
        <p class="muted">{t("logs.body.endedBefore", { status: props.status })}</p>
      </Match>
      <Match when={props.body === null || props.body === undefined}>
        <p class="notice">
          {t("logs.body.noneBefore", props.what)}
          <code>logging.bodies: "none"</code>
          {t("logs.body.noneAfter")}
        </p>
      </Match>
      <Match when={typeof props.body === "string"}>
        <p class="notice">
          {t("logs.body.truncatedBefore", props.what)}
          <code>logging.bodies: "truncated"</code>
          {t("logs.body.truncatedAfter")}
        </p>
        <pre class="body-text">{props.body as string}</pre>
      </Match>
      <Match when={isObj(props.body) && props.body}>{(body) => props.children(body() as Obj)}</Match>
    </Switch>
  );
}

function Thumb(props: { url: string; n: number }): JSX.Element {
  const [failed, setFailed] = createSignal(false);
  const [big, setBig] = createSignal(false);
  const source = () => imageSource(props.url);
  const isData = () => source().kind === "data";
  const href = () => {
    const s = source();
    return s.kind === "unsafe" ? "" : s.href;
  };
  const kb = () => Math.round((props.url.length * 3) / 4 / 1024);
  // Only a checked http(s) address becomes a link; anything else (javascript:, file:, ...) stays text.
  const fallback = () => (
    <span class="badge image-link">
      {t("logs.conversation.image", { n: props.n })}{" "}
      <Switch
        fallback={
          <span title={t("logs.conversation.unsafeTitle")}>
            {t("logs.conversation.notShown", { url: props.url.slice(0, 40) })}
          </span>
        }
      >
        <Match when={isData()}>{t("logs.conversation.notDisplayable", { kb: kb() })}</Match>
        <Match when={source().kind === "web"}>
          <a href={href()} target="_blank" rel="noopener noreferrer">
            {props.url.slice(0, 80)}
          </a>
        </Match>
      </Switch>
    </span>
  );
  return (
    <Show when={source().kind !== "unsafe" && !failed()} fallback={fallback()}>
      <button
        type="button"
        class="thumb-button"
        classList={{ big: big() }}
        onClick={() => setBig(!big())}
        aria-label={t(big() ? "logs.conversation.shrink" : "logs.conversation.enlarge", { n: props.n })}
        title={isData() ? t("logs.conversation.inlineImage", { kb: kb() }) : href()}
      >
        {/* biome-ignore lint/a11y/noNoninteractiveElementInteractions: onError is a failed load, not a user's action */}
        <img
          class="thumb"
          src={href()}
          alt={t("logs.conversation.imageAlt", { n: props.n })}
          loading="lazy"
          referrerpolicy="no-referrer"
          onError={() => setFailed(true)}
        />
      </button>
    </Show>
  );
}

function Content(props: { value: unknown; tool?: boolean }): JSX.Element {
  /** 1 for the message's first image, whatever parts come before it. */
  const imageNumber = (index: number) =>
    (props.value as unknown[]).slice(0, index + 1).filter((p) => isObj(p) && p.type === "image_url").length;
  return (
    <Switch fallback={<pre>{JSON.stringify(props.value, null, 2)}</pre>}>
      <Match when={props.value === null || props.value === undefined || props.value === ""}>{null}</Match>
      <Match when={typeof props.value === "string"}>
        <Show
          when={props.tool && pretty(props.value as string) !== props.value}
          fallback={<div class="msg-text">{props.value as string}</div>}
        >
          <pre>{pretty(props.value as string)}</pre>
        </Show>
      </Match>
      <Match when={Array.isArray(props.value)}>
        <For each={props.value as unknown[]}>
          {(part, i) => {
            const p = isObj(part) ? part : { type: "text", text: str(part) };
            const image = isObj(p.image_url)
              ? str(p.image_url.url)
              : typeof p.image_url === "string"
                ? p.image_url
                : "";
            return (
              <Switch fallback={<pre>{JSON.stringify(p, null, 2)}</pre>}>
                <Match when={p.type === "text" || (p.type === undefined && typeof p.text === "string")}>
                  <Content value={p.text} tool={props.tool} />
                </Match>
                <Match when={p.type === "image_url" && image}>
                  <Thumb url={image} n={imageNumber(i())} />
                </Match>
                <Match when={p.type === "input_audio"}>
                  <span class="badge">
                    {t("logs.conversation.audio")}
                    {isObj(p.input_audio) ? ` (${str(p.input_audio.format)})` : ""}
                  </span>
                </Match>
                <Match when={p.type === "file"}>
                  <span class="badge">
                    {t("logs.conversation.file")}
                    {isObj(p.file) && p.file.filename ? `: ${str(p.file.filename)}` : ""}
                  </span>
                </Match>
              </Switch>
            );
          }}
        </For>
      </Match>
    </Switch>
  );
}

function ToolCalls(props: { calls: unknown[] }): JSX.Element {
  return (
    <For each={props.calls}>
      {(call) => {
        const c = isObj(call) ? call : {};
        const fn = isObj(c.function) ? c.function : c;
        return (
          <div class="tool-call">
            <div class="tool-call-head">
              <span aria-hidden="true">ƒ </span>
              <strong class="mono">{str(fn.name) || t("logs.conversation.unnamedTool")}</strong>{" "}
              <Show when={c.id}>
                <span class="muted mono">{str(c.id)}</span>
              </Show>
            </div>
            <pre>{pretty(str(fn.arguments))}</pre>
          </div>
        );
      }}
    </For>
  );
}

function Message(props: { m: Obj }): JSX.Element {
  const role = () => str(props.m.role) || "?";
  const calls = () =>
    Array.isArray(props.m.tool_calls)
      ? props.m.tool_calls
      : isObj(props.m.function_call)
        ? [{ function: props.m.function_call }]
        : [];
  const reasoning = () => str(props.m.reasoning_content ?? props.m.reasoning);
  return (
    <div class={`msg msg-${role()}`}>
      <div class="msg-role">
        {role()}
        <Show when={props.m.name}>
          <span class="muted"> · {str(props.m.name)}</span>
        </Show>
        <Show when={props.m.tool_call_id}>
          <span class="muted mono">
            {t("logs.conversation.resultOf")}
            {str(props.m.tool_call_id)}
          </span>
        </Show>
      </div>
      <Show when={reasoning()}>
        <details class="reasoning">
          <summary>{t("logs.conversation.reasoning")}</summary>
          <div class="msg-text">{reasoning()}</div>
        </details>
      </Show>
      <Content value={props.m.content} tool={role() === "tool" || role() === "function"} />
      <Show when={calls().length > 0}>
        <ToolCalls calls={calls()} />
      </Show>
      <Show
        when={
          (props.m.content === null || props.m.content === undefined || props.m.content === "") &&
          calls().length === 0 &&
          !reasoning()
        }
      >
        <div class="muted">{t("logs.conversation.empty")}</div>
      </Show>
    </div>
  );
}

const PARAMS_SHOWN = [
  "model",
  "stream",
  "temperature",
  "top_p",
  "max_tokens",
  "max_completion_tokens",
  "tool_choice",
  "response_format",
  "reasoning_effort",
  "seed",
  "n",
  "stop",
];

export function Conversation(props: { body: Obj }): JSX.Element {
  const messages = () => (Array.isArray(props.body.messages) ? props.body.messages.filter(isObj) : []);
  const tools = () =>
    Array.isArray(props.body.tools)
      ? props.body.tools.filter(isObj).map((t) => str(isObj(t.function) ? t.function.name : t.name))
      : [];
  const params = () =>
    PARAMS_SHOWN.filter((k) => props.body[k] !== undefined).map((k) => [k, str(props.body[k])] as const);
  return (
    <div class="stack">
      <div class="request-params">
        <For each={params()}>
          {([k, v]) => (
            <span class="badge">
              <span class="muted">{k}</span> {v.length > 60 ? `${v.slice(0, 60)}…` : v}
            </span>
          )}
        </For>
        <Show when={tools().length > 0}>
          <span class="badge">
            <span class="muted">tools</span> {tools().join(", ")}
          </span>
        </Show>
      </div>
      <For each={messages()} fallback={<pre>{JSON.stringify(props.body, null, 2)}</pre>}>
        {(m) => <Message m={m} />}
      </For>
    </div>
  );
}

/** The finish reasons this UI names, with the colour of their badge; others are shown as sent. */
const FINISH = {
  stop: "ok",
  tool_calls: "ok",
  function_call: "ok",
  length: "warn",
  content_filter: "bad",
} as const;
const isKnownFinish = (reason: string): reason is keyof typeof FINISH => Object.hasOwn(FINISH, reason);

export function Answer(props: { body: Obj }): JSX.Element {
  const error = () => (isObj(props.body.error) ? props.body.error : undefined);
  const choices = () => (Array.isArray(props.body.choices) ? props.body.choices.filter(isObj) : []);
  return (
    <Switch fallback={<pre>{JSON.stringify(props.body, null, 2)}</pre>}>
      <Match when={error()}>
        {(e) => (
          <p class="error">
            {str(e().message) || t("logs.conversation.errorFallback")}
            <Show when={e().code}>
              {" "}
              <code>{str(e().code)}</code>
            </Show>
          </p>
        )}
      </Match>
      <Match when={choices().length > 0}>
        <div class="stack">
          <For each={choices()}>
            {(choice) => {
              const finish = (): [string, string] => {
                const reason = choice.finish_reason;
                if (typeof reason !== "string") return ["warn", t("logs.conversation.finish.none")];
                return isKnownFinish(reason) ? [FINISH[reason], t(`logs.conversation.finish.${reason}`)] : ["", reason];
              };
              return (
                <div class="stack answer-choice">
                  <div class="row">
                    <Show when={choices().length > 1}>
                      <strong>{t("logs.conversation.choice", { n: str(choice.index) })}</strong>
                    </Show>
                    <span class="muted">{t("logs.conversation.finishReason")}</span>
                    <span class={`badge ${finish()[0]}`}>{finish()[1]}</span>
                    <Show when={props.body.model}>
                      <span class="muted">
                        {t("logs.conversation.upstreamModel")} <span class="mono">{str(props.body.model)}</span>
                      </span>
                    </Show>
                  </div>
                  <Message
                    m={
                      isObj(choice.message)
                        ? choice.message
                        : isObj(choice.delta)
                          ? choice.delta
                          : { role: "assistant", content: choice.text }
                    }
                  />
                </div>
              );
            }}
          </For>
        </div>
      </Match>
    </Switch>
  );
}
