/**
 * The logs page's filters, all kept in the URL query (so a filtered view can be shared and survives a
 * reload): time range, status, refused or routed, error code, tier, requested and final model, a
 * target any attempt went to, failed over, retried, streamed, slower than, API key, API, and a text
 * search sent 400 ms after the last keystroke (Enter sends it at once). On a narrow screen they fold
 * behind a "Filters (n)" button, so the first screen shows requests, not a form.
 */
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { statusText } from "./log-types.tsx";
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

/** The options of a select: [value, its label in the language shown], read when rendered. */
type Options = () => [string, string][];

/** The front doors a request can come through (the log's `door` column). */
const DOORS: Options = () => [
  ["", t("logs.filters.doors.any")],
  ["chat", t("logs.filters.doors.chat")],
  ["messages", t("logs.filters.doors.messages")],
  ["responses", t("logs.filters.doors.responses")],
  ["embeddings", t("logs.filters.doors.embeddings")],
];

export interface KeyOption {
  id: string;
  name: string;
  prefix: string;
  revokedAt: number | null;
}

const RANGES: RangeKey[] = ["all", "1h", "24h", "today", "7d", "30d", "custom"];
/** The status codes offered, each shown with its words ("429 rate limited"). */
const STATUS_CODES = [400, 401, 403, 413, 429, 499, 502, 503, 504];
const STATUSES: Options = () => [
  ["", t("logs.filters.anyStatus")],
  ["ok", t("logs.filters.ok")],
  ["error", t("logs.filters.anyError")],
  ...STATUS_CODES.map((code): [string, string] => [String(code), `${code} ${statusText(code)}`]),
];
const REFUSED: Options = () => [
  ["", t("logs.filters.refusedAny")],
  ["true", t("logs.filters.refusedTrue")],
  ["false", t("logs.filters.refusedFalse")],
];
const STREAMED: Options = () => [
  ["", t("logs.filters.streamedAny")],
  ["true", t("logs.filters.streamedTrue")],
  ["false", t("logs.filters.streamedFalse")],
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
  const choice = (label: string, key: keyof LogQuery & string, options: Options) => (
    <label>
      {label}
      <select onChange={(e) => props.set({ [key]: e.currentTarget.value || undefined })}>
        <For each={options()}>
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
        {t("logs.filters.toggle", { n: count() })}
      </button>
      {/* biome-ignore lint/a11y/useSemanticElements: Solid's JSX has no <search> element; the role says the same */}
      <form
        id="log-filters"
        class="log-filters"
        classList={{ folded: !open() }}
        role="search"
        aria-label={t("logs.filters.region")}
        onSubmit={(e) => (e.preventDefault(), send())}
      >
        <RangePicker
          value={rangeFromQuery(props.params, "all")}
          onChange={(r) => props.set({ range: undefined, from: undefined, to: undefined, ...rangeToQuery(r, "all") })}
          keys={RANGES}
          variant="select"
        />
        {choice(t("logs.filters.status"), "status", STATUSES)}
        {choice(t("logs.filters.refused"), "refused", REFUSED)}
        {field(t("logs.filters.code"), "code", "log-filter-codes", t("logs.filters.codePlaceholder"))}
        <datalist id="log-filter-codes">
          <For each={CODES}>{(code) => <option value={code} />}</For>
        </datalist>
        <label>
          {t("logs.filters.tier")}
          <select onChange={(e) => props.set({ tier: e.currentTarget.value || undefined })}>
            <option value="">{t("logs.filters.anyTier")}</option>
            <For each={selectValue(props.params.tier, props.tiers)}>
              {(tier) => (
                <option value={tier} selected={tier === props.params.tier}>
                  {tier}
                </option>
              )}
            </For>
          </select>
        </label>
        {field(
          t("logs.filters.requested"),
          "requested",
          "log-filter-requested",
          t("logs.filters.requestedPlaceholder"),
        )}
        <datalist id="log-filter-requested">
          <For each={["auto", ...props.tiers, ...props.models]}>{(model) => <option value={model} />}</For>
        </datalist>
        {field(t("logs.filters.model"), "model", "log-filter-models", "provider/model")}
        {field(t("logs.filters.attempted"), "attempted", "log-filter-models", "provider/model")}
        <datalist id="log-filter-models">
          <For each={props.models}>{(model) => <option value={model} />}</For>
        </datalist>
        <label>
          {t("logs.filters.slower")}
          <input
            type="number"
            min="0"
            step="any"
            inputmode="numeric"
            value={props.params.minLatencyMs ?? ""}
            placeholder={t("logs.filters.slowerPlaceholder")}
            onChange={(e) => {
              const value = e.currentTarget.value.trim();
              props.set({ minLatencyMs: value !== "" && Number(value) >= 0 ? value : undefined });
            }}
          />
        </label>
        {choice(t("logs.filters.streamed"), "stream", STREAMED)}
        <label>
          {t("logs.filters.key")}
          <select onChange={(e) => props.set({ key: e.currentTarget.value || undefined })}>
            <option value="">{t("logs.filters.anyKey")}</option>
            <For each={props.keys}>
              {(key) => (
                <option value={key.id} selected={key.id === props.params.key}>
                  {key.name} ({key.prefix}…){key.revokedAt ? t("logs.filters.revoked") : ""}
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
        {choice(t("logs.filters.door"), "door", DOORS)}
        <div class="log-checks">
          {check(t("logs.filters.failedOver"), "failedOver", "true", t("logs.filters.failedOverTitle"))}
          {check(t("logs.filters.retried"), "minAttempts", "2", t("logs.filters.retriedTitle"))}
        </div>
        <label class="log-search">
          {t("logs.filters.search")}
          <input
            type="search"
            value={text()}
            placeholder={t("logs.filters.searchPlaceholder")}
            onInput={(e) => typed(e.currentTarget.value)}
          />
        </label>
        <Show when={count() > 0}>
          <button
            type="button"
            class="log-clear"
            onClick={() => (setText(""), clearTimeout(timer), (timer = undefined), props.set(CLEARED))}
          >
            {t("logs.filters.clear")}
          </button>
        </Show>
      </form>
    </div>
  );
}
