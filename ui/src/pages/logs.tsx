/**
 * The request log: filters in the URL, newest first, 50 rows a page with keyset paging ("Load more"
 * asks for the rows after the last one shown, so it stays fast however deep), CSV / JSONL export of
 * exactly the filtered set, and a row click opens the request.
 */
import { A, useLocation, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, type JSX, on, onMount, Show } from "solid-js";
import { ApiError, call, url } from "../api.ts";
import { type KeyOption, LogFilters, type LogQuery } from "../components/log-filters.tsx";
import { LogTable } from "../components/log-table.tsx";
import type { LogListItem } from "../components/log-types.tsx";
import { FirstRequest } from "../components/stat-empty.tsx";
import { RANGE_LABELS, rangeFromQuery, resolveRange } from "../components/stat-range.tsx";
import { fmtInt } from "../format.ts";

const PAGE = 50;
/** Where the detail page's "back" link returns to, filters included. */
export const LOGS_RETURN_KEY = "smartroute-logs-search";

type ApiFilter = Record<string, string | number | undefined>;

export function LogsPage(): JSX.Element {
  const [params, setParams] = useSearchParams<LogQuery>();
  const location = useLocation();
  const [items, setItems] = createSignal<LogListItem[]>([]);
  const [next, setNext] = createSignal<number>();
  const [loading, setLoading] = createSignal(true);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [error, setError] = createSignal("");
  /** The filter the shown rows were asked with: "Load more" and the export reuse its exact instants. */
  const [active, setActive] = createSignal<ApiFilter>({});
  const [loadedAt, setLoadedAt] = createSignal(0);
  const [tiers, setTiers] = createSignal<string[]>([]);
  const [models, setModels] = createSignal<string[]>([]);
  const [keys, setKeys] = createSignal<KeyOption[]>([]);
  let seq = 0;

  const apiFilter = (): ApiFilter => {
    const { from, to } = resolveRange(rangeFromQuery(params, "all"));
    return {
      from: from === undefined ? undefined : Math.floor(from),
      to: to === undefined ? undefined : Math.ceil(to),
      status: params.status,
      tier: params.tier,
      model: params.model,
      key: params.key,
      door: params.door,
      q: params.q,
    };
  };
  const filterKey = createMemo(() =>
    JSON.stringify([
      params.range,
      params.from,
      params.to,
      params.status,
      params.tier,
      params.model,
      params.key,
      params.door,
      params.q,
    ]),
  );

  const load = async () => {
    const mine = ++seq;
    const filter = apiFilter();
    setLoading(true);
    try {
      const page = await call("GET /api/logs", { query: { ...filter, limit: PAGE } });
      if (mine !== seq) return;
      setActive(filter);
      setItems(page.items);
      setNext(page.nextCursor);
      setError("");
      setLoadedAt(Date.now());
    } catch (e) {
      if (mine === seq) setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      if (mine === seq) setLoading(false);
    }
  };

  const loadMore = async () => {
    const cursor = next();
    if (cursor === undefined || loadingMore()) return;
    const mine = seq;
    setLoadingMore(true);
    try {
      const page = await call("GET /api/logs", { query: { ...active(), cursor, limit: PAGE } });
      if (mine !== seq) return; // the filters changed meanwhile
      setItems([...items(), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  createEffect(on(filterKey, () => void load()));
  createEffect(() => sessionStorage.setItem(LOGS_RETURN_KEY, location.search));

  onMount(() => {
    // Choices for the filters: the configured tiers and models, the API keys. Failures leave free text.
    void call("GET /api/health")
      .then((h) => {
        setModels(h.targets.map((t) => t.target).sort());
        setTiers(
          [...new Set(h.targets.flatMap((t) => t.tiers))].sort((a, b) =>
            a.localeCompare(b, undefined, { numeric: true }),
          ),
        );
      })
      .catch(() => {});
    void call("GET /api/keys")
      .then((k) => setKeys(k.keys))
      .catch(() => {});
  });

  const exportHref = (format: "csv" | "jsonl") => url("GET /api/logs/export", { query: { format, ...active() } });
  const rangeNote = () => {
    const key = rangeFromQuery(params, "all").key;
    return key === "all" ? "" : key === "custom" ? "in the chosen range" : `in ${RANGE_LABELS[key].toLowerCase()}`;
  };

  return (
    <div class="stack logs-page">
      <div class="row">
        <h1 class="page-title">Logs</h1>
        <span class="spacer" />
        <button type="button" onClick={() => void load()} disabled={loading()}>
          ↻ Refresh
        </button>
        <a class="button" href={exportHref("csv")} download="">
          ⤓ CSV
        </a>
        <a class="button" href={exportHref("jsonl")} download="" title="Full rows with request and response bodies">
          ⤓ JSONL
        </a>
      </div>
      <LogFilters
        params={params}
        set={(patch) => setParams(patch, { replace: true })}
        tiers={tiers()}
        models={models()}
        keys={keys()}
      />
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <p class="muted list-state" aria-live="polite">
        {loading() && items().length === 0
          ? "Loading…"
          : `${fmtInt(items().length)}${next() !== undefined ? "+" : ""} request${items().length === 1 ? "" : "s"} ${rangeNote()}`}
        <Show when={loadedAt()}> · newest first, as of {new Date(loadedAt()).toLocaleTimeString()}</Show>
      </p>
      <Show
        when={!loading() || items().length > 0}
        fallback={<div class="panel skeleton logs-skeleton" aria-hidden="true" />}
      >
        <Show
          when={items().length > 0}
          fallback={<NoRows filtered={["range", "status", "tier", "model", "key", "q"].some((k) => params[k])} />}
        >
          <div class="panel table-panel" classList={{ stale: loading() }}>
            <LogTable rows={items()} caption="Requests, newest first" />
          </div>
        </Show>
      </Show>
      <Show when={next() !== undefined}>
        <div class="row load-more">
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore()}>
            {loadingMore() ? "Loading…" : `Load ${PAGE} more`}
          </button>
        </div>
      </Show>
    </div>
  );
}

function NoRows(props: { filtered: boolean }): JSX.Element {
  return (
    <div class="panel empty-state">
      <Show
        when={props.filtered}
        fallback={
          <div class="stack">
            <p>
              No requests logged yet. They appear here (and at once in the <A href="/tail">live tail</A>).
            </p>
            <FirstRequest />
          </div>
        }
      >
        <p>No request matches these filters.</p>
      </Show>
    </div>
  );
}
