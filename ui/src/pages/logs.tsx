/**
 * The request log: filters and order in the URL, newest first unless a column header says otherwise
 * (time, latency, cost: sorted by the server), 50 rows a page with keyset paging ("Load more" asks for
 * the rows after the last one shown, so it stays fast however deep), the count of what matches (asked
 * beside the page, never in its way), CSV / JSONL export of exactly the filtered set in the same order,
 * and a row click opens the request.
 */
import { A, useLocation, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, type JSX, on, onMount, Show } from "solid-js";
import { ApiError, call, url } from "../api.ts";
import { activeFilters, type KeyOption, LogFilters, type LogQuery } from "../components/log-filters.tsx";
import { LogTable, type TableSort } from "../components/log-table.tsx";
import type { LogListItem } from "../components/log-types.tsx";
import { FirstRequest } from "../components/stat-empty.tsx";
import { rangeFromQuery, rangeLabel, resolveRange } from "../components/stat-range.tsx";
import { fmtClock, fmtInt } from "../format.ts";
import { t } from "../i18n/index.ts";

const PAGE = 50;
/** Where the detail page's "back" link returns to, filters included. */
export const LOGS_RETURN_KEY = "smartroute-logs-search";

type ApiFilter = Record<string, string | number | undefined>;

/** The order in words, in the language shown ("newest first"). */
const sortWords = (sort: TableSort): string => t(`logs.sort.${sort.by}${sort.order === "desc" ? "Desc" : "Asc"}`);

/** The order the URL asks for (time, newest first, by default). */
function sortOf(params: LogQuery): TableSort {
  const by = params.sort === "latency" || params.sort === "cost" ? params.sort : "ts";
  return { by, order: params.order === "asc" ? "asc" : "desc" };
}

export function LogsPage(): JSX.Element {
  const [params, setParams] = useSearchParams<LogQuery>();
  const location = useLocation();
  const [items, setItems] = createSignal<LogListItem[]>([]);
  const [next, setNext] = createSignal<string>();
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

  const [count, setCount] = createSignal<{ total: number; capped: boolean }>();

  const apiFilter = (): ApiFilter => {
    const { from, to } = resolveRange(rangeFromQuery(params, "all"));
    const sort = sortOf(params);
    return {
      from: from === undefined ? undefined : Math.floor(from),
      to: to === undefined ? undefined : Math.ceil(to),
      status: params.status,
      tier: params.tier,
      model: params.model,
      key: params.key,
      door: params.door,
      q: params.q,
      refused: params.refused,
      code: params.code,
      attempted: params.attempted,
      failedOver: params.failedOver,
      minAttempts: params.minAttempts,
      stream: params.stream,
      requested: params.requested,
      minLatencyMs: params.minLatencyMs,
      sort: sort.by === "ts" ? undefined : sort.by,
      order: sort.order === "desc" ? undefined : sort.order,
    };
  };
  const filterKey = createMemo(() =>
    JSON.stringify(
      [
        "range",
        "from",
        "to",
        "status",
        "tier",
        "model",
        "key",
        "door",
        "q",
        "refused",
        "code",
        "attempted",
        "failedOver",
        "minAttempts",
        "stream",
        "requested",
        "minLatencyMs",
        "sort",
        "order",
      ].map((k) => params[k]),
    ),
  );

  /** The count of what matches, beside the page: a slow count never holds the rows back. */
  const loadCount = async (filter: ApiFilter, mine: number) => {
    const { sort: _sort, order: _order, ...only } = filter;
    try {
      const answer = await call("GET /api/logs/count", { query: only });
      if (mine === seq) setCount(answer);
    } catch {
      if (mine === seq) setCount(undefined);
    }
  };

  const load = async () => {
    const mine = ++seq;
    const filter = apiFilter();
    setLoading(true);
    setCount(undefined);
    void loadCount(filter, mine);
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
    return key === "all" ? "" : key === "custom" ? t("logs.inCustomRange") : t("logs.inRange", rangeLabel(key));
  };
  const sort = () => sortOf(params);
  const setSort = (next: TableSort) =>
    setParams(
      { sort: next.by === "ts" ? undefined : next.by, order: next.order === "desc" ? undefined : next.order },
      { replace: true },
    );
  /** "1,234 requests match" (or "100,000+"), else what is shown so far while the count comes. */
  const countText = () => {
    const c = count();
    const n = items().length;
    if (c) return t("logs.matching", c.total, `${fmtInt(c.total)}${c.capped ? "+" : ""}`);
    return t("logs.shown", n, `${fmtInt(n)}${next() !== undefined ? "+" : ""}`);
  };

  return (
    <div class="stack logs-page">
      <div class="row">
        <h1 class="page-title">{t("logs.title")}</h1>
        <span class="spacer" />
        <button type="button" onClick={() => void load()} disabled={loading()}>
          {t("logs.refresh")}
        </button>
        <a class="button" href={exportHref("csv")} download="">
          ⤓ CSV
        </a>
        <a class="button" href={exportHref("jsonl")} download="" title={t("logs.jsonlTitle")}>
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
        <span data-testid="log-count">
          {loading() && items().length === 0 ? t("common.loading") : `${countText()}${rangeNote()}`}
        </span>
        <Show when={loadedAt()}> {t("logs.asOf", { order: sortWords(sort()), time: fmtClock(loadedAt()) })}</Show>
      </p>
      <Show
        when={!loading() || items().length > 0}
        fallback={<div class="panel skeleton logs-skeleton" aria-hidden="true" />}
      >
        <Show when={items().length > 0} fallback={<NoRows filtered={activeFilters(params) > 0} />}>
          <div class="panel table-panel" classList={{ stale: loading() }}>
            <LogTable
              rows={items()}
              caption={t("logs.caption", { order: sortWords(sort()) })}
              sort={sort()}
              onSort={setSort}
            />
          </div>
        </Show>
      </Show>
      <Show when={next() !== undefined}>
        <div class="row load-more">
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore()}>
            {loadingMore() ? t("common.loading") : t("logs.loadMore", { n: PAGE })}
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
              {t("logs.empty.before")}
              <A href="/tail">{t("logs.empty.link")}</A>
              {t("logs.empty.after")}
            </p>
            <FirstRequest />
          </div>
        }
      >
        <p>{t("logs.empty.filtered")}</p>
      </Show>
    </div>
  );
}
