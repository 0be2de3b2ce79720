/**
 * The logs page's filters, all kept in the URL query (so a filtered view can be shared and survives a
 * reload): time range, status, tier, final model, API key, and a text search sent 400 ms after the last
 * keystroke (Enter sends it at once).
 */
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { type RangeKey, RangePicker, rangeFromQuery, rangeToQuery } from "./stat-range.tsx";

export interface LogQuery {
  range?: string;
  from?: string;
  to?: string;
  status?: string;
  tier?: string;
  model?: string;
  key?: string;
  /** The front door: chat, messages, responses, embeddings. */
  door?: string;
  q?: string;
  [name: string]: string | undefined;
}

/** The front doors a request can come through (the log's `door` column). */
const DOORS: [string, string][] = [
  ["", "Any API"],
  ["chat", "Chat completions"],
  ["messages", "Anthropic Messages"],
  ["responses", "OpenAI Responses"],
  ["embeddings", "Embeddings"],
];

export interface KeyOption {
  id: string;
  name: string;
  prefix: string;
  revokedAt: number | null;
}

const RANGES: RangeKey[] = ["all", "1h", "24h", "today", "7d", "30d", "custom"];
const STATUSES: [string, string][] = [
  ["", "Any status"],
  ["ok", "OK (200)"],
  ["error", "Any error"],
  ["429", "429 rate limited"],
  ["499", "499 client left"],
  ["502", "502 upstream failed"],
  ["504", "504 timeout"],
];
const DEBOUNCE_MS = 400;

export function LogFilters(props: {
  params: LogQuery;
  set: (patch: Partial<LogQuery>) => void;
  tiers: string[];
  models: string[];
  keys: KeyOption[];
}): JSX.Element {
  const [text, setText] = createSignal(props.params.q ?? "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    const q = text().trim();
    if (q !== (props.params.q ?? "")) props.set({ q: q || undefined });
  };
  const typed = (value: string) => {
    setText(value);
    clearTimeout(timer);
    timer = setTimeout(send, DEBOUNCE_MS);
  };
  // Back/forward or a shared link changes q: follow it unless the user is typing.
  createEffect(
    on(
      () => props.params.q,
      (q) => timer === undefined && setText(q ?? ""),
      { defer: true },
    ),
  );
  onCleanup(() => clearTimeout(timer));

  const active = () => ["range", "status", "tier", "model", "key", "door", "q"].some((k) => props.params[k]);
  const selectValue = (value: string | undefined, known: string[]) =>
    value && !known.includes(value) ? [...known, value] : known;

  return (
    <form
      class="log-filters"
      role="search"
      aria-label="Filter the request log"
      onSubmit={(e) => (e.preventDefault(), send())}
    >
      <RangePicker
        value={rangeFromQuery(props.params, "all")}
        onChange={(r) => props.set({ range: undefined, from: undefined, to: undefined, ...rangeToQuery(r, "all") })}
        keys={RANGES}
        variant="select"
      />
      <label>
        Status
        <select onChange={(e) => props.set({ status: e.currentTarget.value || undefined })}>
          <For each={STATUSES}>
            {([value, label]) => (
              <option value={value} selected={value === (props.params.status ?? "")}>
                {label}
              </option>
            )}
          </For>
        </select>
      </label>
      <label>
        Tier
        <select onChange={(e) => props.set({ tier: e.currentTarget.value || undefined })}>
          <option value="">Any tier</option>
          <For each={selectValue(props.params.tier, props.tiers)}>
            {(tier) => (
              <option value={tier} selected={tier === props.params.tier}>
                {tier}
              </option>
            )}
          </For>
        </select>
      </label>
      <label>
        Model (final)
        <input
          list="log-filter-models"
          value={props.params.model ?? ""}
          placeholder="provider/model"
          onChange={(e) => props.set({ model: e.currentTarget.value.trim() || undefined })}
        />
        <datalist id="log-filter-models">
          <For each={props.models}>{(model) => <option value={model} />}</For>
        </datalist>
      </label>
      <label>
        API key
        <select onChange={(e) => props.set({ key: e.currentTarget.value || undefined })}>
          <option value="">Any key</option>
          <For each={props.keys}>
            {(key) => (
              <option value={key.id} selected={key.id === props.params.key}>
                {key.name} ({key.prefix}…){key.revokedAt ? ", revoked" : ""}
              </option>
            )}
          </For>
          <Show when={props.params.key && !props.keys.some((k) => k.id === props.params.key)}>
            <option value={props.params.key} selected>
              {props.params.key}
            </option>
          </Show>
        </select>
      </label>
      <label>
        API
        <select onChange={(e) => props.set({ door: e.currentTarget.value || undefined })}>
          <For each={DOORS}>
            {([value, label]) => (
              <option value={value} selected={value === (props.params.door ?? "")}>
                {label}
              </option>
            )}
          </For>
        </select>
      </label>
      <label class="log-search">
        Search prompts and bodies
        <input type="search" value={text()} placeholder="text…" onInput={(e) => typed(e.currentTarget.value)} />
      </label>
      <Show when={active()}>
        <button
          type="button"
          class="log-clear"
          onClick={() => (
            setText(""),
            clearTimeout(timer),
            (timer = undefined),
            props.set({
              range: undefined,
              from: undefined,
              to: undefined,
              status: undefined,
              tier: undefined,
              model: undefined,
              key: undefined,
              door: undefined,
              q: undefined,
            })
          )}
        >
          Clear filters
        </button>
      </Show>
    </form>
  );
}
