/**
 * The audit log: every admin action with who did it, newest first, 50 at a time with "load more";
 * filtered by who, what (an action or its family) and when, and exported as CSV or JSON Lines with the
 * same filters.
 */
import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { type AuditEntry, call, url } from "../api.ts";
import { fmtTime } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";
import { errorText } from "./modal.tsx";
import { fmtLifetime } from "./security-settings.tsx";

const PAGE = 50;

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  if (typeof detail !== "object") return String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(
      ([k, v]) =>
        `${k}: ${typeof v === "number" && k.endsWith("Ms") ? fmtLifetime(v) : typeof v === "number" && k.endsWith("At") ? fmtTime(v) : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`,
    )
    .join(" · ");
}

const tone = (action: string) =>
  /fail|lock|revoke|disabled/.test(action) ? "bad" : /^totp|^account|^settings/.test(action) ? "warn" : "";

/** Families of actions for the filter (the server matches an action by its start), with their label's key. */
const ACTIONS = [
  ["", "all"],
  ["login", "login"],
  ["key.", "key"],
  ["config.", "config"],
  ["admin.", "admin"],
  ["account.", "account"],
  ["totp.", "totp"],
  ["settings.", "settings"],
  ["session.", "session"],
] as const;

/** A `datetime-local` value as epoch ms (local time), undefined when empty. */
const localTime = (value: string) => (value ? new Date(value).getTime() : undefined);

/** `version` changes after an action on the page: the newest entries are fetched again. */
export function AuditLog(props: { version?: number }): JSX.Element {
  const [actor, setActor] = createSignal("");
  const [action, setAction] = createSignal("");
  const [from, setFrom] = createSignal("");
  const [to, setTo] = createSignal("");
  const filters = () => ({
    actor: actor().trim().toLowerCase() || undefined,
    action: action() || undefined,
    from: localTime(from()),
    to: localTime(to()),
  });
  const [entries, setEntries] = createSignal<AuditEntry[]>();
  const [more, setMore] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");

  const load = async (append: boolean) => {
    setBusy(true);
    setError("");
    try {
      const before = append ? entries()?.at(-1)?.id : undefined;
      const result = await call("GET /api/audit", { query: { ...filters(), limit: PAGE, before } });
      setEntries(append ? [...(entries() ?? []), ...result.entries] : result.entries);
      setMore(result.entries.length === PAGE);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  createEffect(
    on(
      () => [props.version, filters()],
      () => void load(false),
    ),
  );
  const exportUrl = (format: "csv" | "jsonl") => url("GET /api/audit/export", { query: { ...filters(), format } });

  return (
    <section class="panel stack" aria-labelledby="security-audit-title">
      <div class="row">
        <h2 id="security-audit-title" class="security-h2">
          {t("security.audit.title")}
        </h2>
        <span class="spacer" />
        <a class="button" href={exportUrl("csv")} download="">
          {t("security.audit.exportCsv")}
        </a>
        <a class="button" href={exportUrl("jsonl")} download="">
          {t("security.audit.exportJsonl")}
        </a>
        <button type="button" onClick={() => void load(false)} disabled={busy()}>
          {t("security.audit.refresh")}
        </button>
      </div>
      <fieldset class="security-audit-filters">
        <legend class="sr-only">{t("security.audit.filters")}</legend>
        <label>
          {t("security.audit.who")}
          <input
            value={actor()}
            onChange={(e) => setActor(e.currentTarget.value)}
            placeholder={t("security.audit.anyUser")}
            autocomplete="off"
          />
        </label>
        <label>
          {t("security.audit.what")}
          <select value={action()} onChange={(e) => setAction(e.currentTarget.value)}>
            <For each={ACTIONS}>
              {([value, label]) => <option value={value}>{t(`security.audit.actions.${label}`)}</option>}
            </For>
          </select>
        </label>
        <label>
          {t("security.audit.from")}
          <input type="datetime-local" value={from()} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t("security.audit.to")}
          <input type="datetime-local" value={to()} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
      </fieldset>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={entries()} fallback={<div class="skeleton security-skeleton" />}>
        <Show
          when={entries()!.length > 0}
          fallback={
            <p class="muted">
              {Object.values(filters()).some((v) => v !== undefined)
                ? t("security.audit.noMatch")
                : t("security.audit.empty")}
            </p>
          }
        >
          <div class="table-wrap">
            <table class="security-audit stack-table">
              <thead>
                <tr>
                  <th scope="col">{t("security.audit.time")}</th>
                  <th scope="col">{t("security.audit.actor")}</th>
                  <th scope="col">{t("security.audit.action")}</th>
                  <th scope="col">{t("security.audit.details")}</th>
                  <th scope="col">{t("security.audit.ip")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(e) => (
                    <tr>
                      <td data-label={t("security.audit.time")}>
                        <time dateTime={new Date(e.ts).toISOString()}>{fmtTime(e.ts)}</time>
                      </td>
                      <td data-label={t("security.audit.actor")}>{e.actor}</td>
                      <td data-label={t("security.audit.action")}>
                        <span class={`badge ${tone(e.action)}`} translate="no">
                          {e.action}
                        </span>
                      </td>
                      <td data-label={t("security.audit.details")} class="security-detail">
                        {detailText(e.detail) || <span class="muted">–</span>}
                      </td>
                      <td data-label={t("security.audit.ip")} class="mono">
                        {e.clientIp ?? "–"}
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <div class="row" aria-live="polite">
            <span class="muted">
              {t(
                "security.audit.count",
                entries()!.length,
                formatNumber(entries()!.length),
                more() ? "more" : Object.values(filters()).some((v) => v !== undefined) ? "matching" : "all",
              )}
            </span>
            <span class="spacer" />
            <Show when={more()}>
              <button type="button" onClick={() => void load(true)} disabled={busy()}>
                {busy() ? t("common.loading") : t("security.audit.loadMore")}
              </button>
            </Show>
          </div>
        </Show>
      </Show>
    </section>
  );
}
