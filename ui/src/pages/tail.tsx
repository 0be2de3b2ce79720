/**
 * Live tail: every request as the log writer stores it (server-sent events), newest first, filtered
 * by tier and status (filters in the URL). Pause keeps receiving and counts what arrived; at most 500
 * rows are kept. The connection state is shown; the browser retries a dropped stream by itself, and a
 * refused one (session ended, log off) is retried with a growing delay, or at once by the button.
 */
import { useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, For, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import { call, url } from "../api.ts";
import { LogTable } from "../components/log-table.tsx";
import type { TailRow } from "../components/log-types.tsx";
import { FirstRequest } from "../components/stat-empty.tsx";
import { fmtInt } from "../format.ts";
import { t } from "../i18n/index.ts";

const CAP = 500;
type ConnState = "connecting" | "live" | "reconnecting" | "closed";

export function TailPage(): JSX.Element {
  const [params, setParams] = useSearchParams<{ tier?: string; status?: string }>();
  const [rows, setRows] = createSignal<TailRow[]>([]);
  const [waiting, setWaiting] = createSignal<TailRow[]>([]);
  const [waitingCount, setWaitingCount] = createSignal(0);
  const [paused, setPaused] = createSignal(false);
  const [state, setState] = createSignal<ConnState>("connecting");
  const [retryAt, setRetryAt] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  const [tiers, setTiers] = createSignal<string[]>([]);
  const arrivals: number[] = [];
  /** Ids that came through the stream (they flash once); rows loaded from the log do not. */
  let live = new Set<string>();
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  // Rows are gathered and shown once per frame, so a burst of thousands costs one render.
  let incoming: TailRow[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    const batch = incoming.reverse(); // newest first
    incoming = [];
    for (const row of batch) live.add(row.id);
    if (live.size > 4 * CAP) live = new Set([...rows(), ...waiting()].map((r) => r.id).filter((id) => live.has(id)));
    if (paused()) {
      setWaiting([...batch, ...waiting()].slice(0, CAP));
      setWaitingCount(waitingCount() + batch.length);
    } else setRows([...batch, ...rows()].slice(0, CAP));
  };

  /**
   * On every (re)connection the newest logged rows are merged in: the page does not start empty, and
   * what was missed while disconnected (the stream cannot resume) is filled in.
   */
  const backfill = async () => {
    const filter = { tier: params.tier, status: params.status };
    // The stream ignores a status other than ok or error (a hand-typed URL): the backfill does too.
    const status = filter.status === "ok" || filter.status === "error" ? filter.status : undefined;
    const page = await call("GET /api/logs", { query: { tier: filter.tier, status, limit: 100 } }).catch(
      () => undefined,
    );
    if (!page || filter.tier !== params.tier || filter.status !== params.status) return;
    const merge = (current: TailRow[]) => {
      const have = new Set(current.map((r) => r.id));
      const missing = page.items.filter((r) => !have.has(r.id));
      return { added: missing.length, rows: [...current, ...missing].sort((a, b) => b.ts - a.ts).slice(0, CAP) };
    };
    if (paused()) {
      const m = merge(waiting());
      setWaiting(m.rows);
      setWaitingCount(waitingCount() + m.added);
    } else setRows(merge(rows()).rows);
  };

  const connect = () => {
    source?.close();
    clearTimeout(retryTimer);
    setState("connecting");
    const es = new EventSource(url("GET /api/logs/tail", { query: { tier: params.tier, status: params.status } }));
    source = es;
    es.onopen = () => {
      failures = 0;
      setState("live");
      void backfill();
    };
    es.addEventListener("request", (event) => {
      try {
        incoming.push(JSON.parse((event as MessageEvent<string>).data) as TailRow);
        arrivals.push(Date.now());
        if (arrivals.length > 5000) arrivals.splice(0, arrivals.length - 5000);
        frame ||= requestAnimationFrame(flush);
      } catch {
        // a malformed event is skipped
      }
    });
    es.onerror = () => {
      if (es !== source) return;
      if (es.readyState === EventSource.CONNECTING) return void setState("reconnecting"); // the browser retries
      // Closed for good (an error status): a 401 here sends the app to the login page.
      es.close();
      setState("closed");
      void call("GET /api/auth/me").catch(() => {});
      const delay = Math.min(30_000, 1000 * 2 ** failures++);
      setRetryAt(Date.now() + delay);
      retryTimer = setTimeout(connect, delay);
    };
  };

  createEffect(
    on(
      () => [params.tier, params.status],
      () => {
        // New filters: start over with rows that match them.
        setRows([]);
        setWaiting([]);
        setWaitingCount(0);
        connect();
      },
    ),
  );
  const clock = setInterval(() => setNow(Date.now()), 1000);
  onMount(() => {
    void call("GET /api/health")
      .then((h) =>
        setTiers(
          [...new Set(h.targets.flatMap((t) => t.tiers))].sort((a, b) =>
            a.localeCompare(b, undefined, { numeric: true }),
          ),
        ),
      )
      .catch(() => {});
  });
  onCleanup(() => {
    source?.close();
    clearTimeout(retryTimer);
    clearInterval(clock);
    cancelAnimationFrame(frame);
  });

  const resume = () => {
    setRows([...waiting(), ...rows()].slice(0, CAP));
    setWaiting([]);
    setWaitingCount(0);
    setPaused(false);
  };
  const perMinute = () => {
    const since = now() - 60_000; // read first: the clock is what makes this recount
    return arrivals.filter((t) => t > since).length;
  };
  const countText = () =>
    paused()
      ? t("logs.tail.paused", waitingCount(), fmtInt(waitingCount()), CAP)
      : t("logs.tail.showing", rows().length, fmtInt(rows().length), CAP);

  return (
    <div class="stack tail-page">
      <div class="row">
        <h1 class="page-title">{t("logs.tail.title")}</h1>
        <span class={`conn conn-${state()}`} role="status">
          <span class="conn-dot" aria-hidden="true" />
          {t(`logs.tail.state.${state()}`)}
          <Show when={state() === "closed"}>
            {t("logs.tail.retrying", { s: Math.max(0, Math.ceil((retryAt() - now()) / 1000)) })}
          </Show>
        </span>
        <Show when={state() === "closed" || state() === "reconnecting"}>
          <button type="button" onClick={() => ((failures = 0), connect())}>
            {t("logs.tail.reconnect")}
          </button>
        </Show>
        <span class="spacer" />
        <span class="muted">{t("logs.tail.perMinute", { n: fmtInt(perMinute()) })}</span>
      </div>
      <div class="row tail-controls">
        <label>
          {t("logs.tail.tier")}
          <select onChange={(e) => setParams({ tier: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">{t("logs.tail.anyTier")}</option>
            <For each={params.tier && !tiers().includes(params.tier) ? [...tiers(), params.tier] : tiers()}>
              {(tier) => (
                <option value={tier} selected={tier === params.tier}>
                  {tier}
                </option>
              )}
            </For>
          </select>
        </label>
        <label>
          {t("logs.tail.status")}
          <select onChange={(e) => setParams({ status: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="" selected={!params.status}>
              {t("logs.tail.anyStatus")}
            </option>
            <option value="ok" selected={params.status === "ok"}>
              {t("logs.tail.ok")}
            </option>
            <option value="error" selected={params.status === "error"}>
              {t("logs.tail.errors")}
            </option>
          </select>
        </label>
        <span class="spacer" />
        <button type="button" class="primary" onClick={() => (paused() ? resume() : setPaused(true))}>
          {paused()
            ? waitingCount()
              ? t("logs.tail.resumeNew", { n: fmtInt(waitingCount()) })
              : t("logs.tail.resume")
            : t("logs.tail.pause")}
        </button>
        <button type="button" onClick={() => (setRows([]), setWaiting([]), setWaitingCount(0))}>
          {t("logs.tail.clear")}
        </button>
      </div>
      <p class="muted" aria-live="polite" aria-atomic="true">
        {countText()}
      </p>
      <Show
        when={rows().length > 0}
        fallback={<TailEmpty live={state() === "live"} filtered={Boolean(params.tier || params.status)} />}
      >
        <div class="panel table-panel">
          <LogTable rows={rows()} compact fresh={(id) => live.has(id)} caption={t("logs.tail.caption")} />
        </div>
      </Show>
    </div>
  );
}

function TailEmpty(props: { live: boolean; filtered: boolean }): JSX.Element {
  return (
    <div class="panel empty-state stack">
      <p>
        {props.live
          ? t(props.filtered ? "logs.tail.waitingMatching" : "logs.tail.waiting")
          : t("logs.tail.notConnected")}
        {t("logs.tail.appear")}
      </p>
      <Show when={!props.filtered}>
        <FirstRequest />
      </Show>
    </div>
  );
}
