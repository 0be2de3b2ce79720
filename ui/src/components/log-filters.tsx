/**
 * The logs page's filters, all kept in the URL query (so a filtered view can be shared and survives a
 * reload): time range, status, refused or routed, error code, tier, requested and final model, a
 * target any attempt went to, failed over, retried, streamed, slower than, API key, API, and a text
 * search sent 400 ms after the last keystroke (Enter sends it at once). On a narrow screen they fold
 * behind a "Filters (n)" button, so the first screen shows requests, not a form.
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
  /** "true": refused before routing; "false": routed. */
  refused?: string;
  /** The error code the request ended with. */
  code?: string;
  /** A provider/model any attempt went to. */
  attempted?: string;
  /** "true": attempts on more than one target. */
  failedOver?: string;
  /** "2": retried or failed over. */
  minAttempts?: string;
  /** "true" / "false". */
  stream?: string;
  /** The model the client asked for. */
  requested?: string;
  minLatencyMs?: string;
  /** ts (default), latency, cost. */
  sort?: string;
  /** desc (default), asc. */
  order?: string;
  [name: string]: string | undefined;
}

/** The query keys that filter (not the order): what "Clear filters" clears and "Filters (n)" counts. */
export const FILTER_KEYS = [
  "range",
  "status",
  "refused",
  "code",
  "tier",
  "requested",
  "model",
  "attempted",
  "failedOver",
  "minAttempts",
  "stream",
  "minLatencyMs",
  "key",
  "door",
  "q",
] as const;

/** How many filters `params` sets (a custom range counts once). */
export function activeFilters(params: LogQuery): number {
  return FILTER_KEYS.filter((k) => params[k] || (k === "range" && (params.from || params.to))).length;
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
  ["400", "400 bad request"],
  ["401", "401 unauthorized"],
  ["403", "403 forbidden"],
  ["413", "413 too large"],
  ["429", "429 rate limited"],
  ["499", "499 client left"],
  ["502", "502 upstream failed"],
  ["503", "503 unavailable"],
  ["504", "504 timeout"],
];
const REFUSED: [string, string][] = [
  ["", "Refused or routed"],
  ["true", "Refused before routing"],
  ["false", "Routed to a model"],
];
const STREAMED: [string, string][] = [
  ["", "Streamed or not"],
  ["true", "Streamed"],
  ["false", "Not streamed"],
];
/** Codes a request can end with: suggestions for the code filter (any code can be typed). */
const CODES = [
  "invalid_api_key",
  "rate_limited",
  "budget_exceeded",
  "concurrency_limited",
  "limits_unavailable",
  "forbidden",
  "invalid_request",
  "payload_too_large",
  "request_timeout",
  "overloaded",
  "model_not_found",
  "upstream_client_error",
  "upstream_error",
  "upstream_timeout",
  "no_available_target",
  "stream_cut",
  "stream_stalled",
  "client_closed",
];
const DEBOUNCE_MS = 400;

/** Every filter key set to undefined: the patch that clears them. */
const CLEARED = Object.fromEntries([...FILTER_KEYS, "from", "to"].map((k) => [k, undefined])) as Partial<LogQuery>;

export function LogFilters(props: {
  params: LogQuery;
  set: (patch: Partial<LogQuery>) => void;
  tiers: string[];
  models: string[];
  keys: KeyOption[];
}): JSX.Element {
  const [text, setText] = createSignal(props.params.q ?? "");
  const [open, setOpen] = createSignal(false);
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

  const count = () => activeFilters(props.params);
  const selectValue = (value: string | undefined, known: string[]) =>
    value && !known.includes(value) ? [...known, value] : known;
  const choice = (label: string, key: keyof LogQuery & string, options: [string, string][]) => (
    <label>
      {label}
      <select onChange={(e) => props.set({ [key]: e.currentTarget.value || undefined })}>
        <For each={options}>
          {([value, text]) => (
            <option value={value} selected={value === (props.params[key] ?? "")}>
              {text}
            </option>
          )}
        </For>
      </select>
    </label>
  );
  const field = (label: string, key: keyof LogQuery & string, list: string, placeholder: string) => (
    <label>
      {label}
      <input
        list={list}
        value={props.params[key] ?? ""}
        placeholder={placeholder}
        onChange={(e) => props.set({ [key]: e.currentTarget.value.trim() || undefined })}
      />
    </label>
  );
  const check = (label: string, key: keyof LogQuery & string, on: string, title: string) => (
    <label class="log-check" title={title}>
      <input
        type="checkbox"
        checked={props.params[key] === on}
        onChange={(e) => props.set({ [key]: e.currentTarget.checked ? on : undefined })}
      />
      {label}
    </label>
  );

  return (
    <div class="log-filters-wrap">
      <button
        type="button"
        class="log-filters-toggle"
        aria-expanded={open()}
        aria-controls="log-filters"
        onClick={() => setOpen(!open())}
      >
        Filters ({count()})
      </button>
      <form
        id="log-filters"
        class="log-filters"
        classList={{ folded: !open() }}
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
        {choice("Status", "status", STATUSES)}
        {choice("Refused", "refused", REFUSED)}
        {field("Error code", "code", "log-filter-codes", "e.g. rate_limited")}
        <datalist id="log-filter-codes">
          <For each={CODES}>{(code) => <option value={code} />}</For>
        </datalist>
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
        {field("Requested model", "requested", "log-filter-requested", "auto, a tier, a model")}
        <datalist id="log-filter-requested">
          <For each={["auto", ...props.tiers, ...props.models]}>{(model) => <option value={model} />}</For>
        </datalist>
        {field("Model (final)", "model", "log-filter-models", "provider/model")}
        {field("Attempted (any attempt)", "attempted", "log-filter-models", "provider/model")}
        <datalist id="log-filter-models">
          <For each={props.models}>{(model) => <option value={model} />}</For>
        </datalist>
        <label>
          Slower than (ms)
          <input
            type="number"
            min="0"
            step="any"
            inputmode="numeric"
            value={props.params.minLatencyMs ?? ""}
            placeholder="e.g. 5000"
            onChange={(e) => {
              const value = e.currentTarget.value.trim();
              props.set({ minLatencyMs: value !== "" && Number(value) >= 0 ? value : undefined });
            }}
          />
        </label>
        {choice("Streamed", "stream", STREAMED)}
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
        {choice("API", "door", DOORS)}
        <div class="log-checks">
          {check("Failed over", "failedOver", "true", "Attempts on more than one target")}
          {check("Retried (2+ attempts)", "minAttempts", "2", "More than one attempt, on any targets")}
        </div>
        <label class="log-search">
          Search prompts, errors and bodies
          <input type="search" value={text()} placeholder="text…" onInput={(e) => typed(e.currentTarget.value)} />
        </label>
        <Show when={count() > 0}>
          <button
            type="button"
            class="log-clear"
            onClick={() => (setText(""), clearTimeout(timer), (timer = undefined), props.set(CLEARED))}
          >
            Clear filters
          </button>
        </Show>
      </form>
    </div>
  );
}
