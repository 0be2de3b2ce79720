/**
 * The audit log: every admin action with who did it, newest first, 50 at a time with "load more";
 * filtered by who, what (an action or its family) and when, and exported as CSV or JSON Lines with the
 * same filters.
 */
import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { type AuditEntry, call, url } from "../api.ts";
import { fmtTime } from "../format.ts";
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

/** Families of actions for the filter: the server matches an action by its start. */
const ACTIONS: [string, string][] = [
  ["", "every action"],
  ["login", "sign-ins (and failed ones)"],
  ["key.", "API keys"],
  ["config.", "config changes"],
  ["admin.", "admins and invites"],
  ["account.", "accounts"],
  ["totp.", "two-factor"],
  ["settings.", "settings"],
  ["session.", "sessions"],
];

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
          Audit log
        </h2>
        <span class="spacer" />
        <a class="button" href={exportUrl("csv")} download="">
          Export CSV
        </a>
        <a class="button" href={exportUrl("jsonl")} download="">
          Export JSONL
        </a>
        <button type="button" onClick={() => void load(false)} disabled={busy()}>
          Refresh
        </button>
      </div>
      <fieldset class="security-audit-filters">
        <legend class="sr-only">Filter the audit log</legend>
        <label>
          Who
          <input
            value={actor()}
            onChange={(e) => setActor(e.currentTarget.value)}
            placeholder="any username"
            autocomplete="off"
          />
        </label>
        <label>
          What
          <select value={action()} onChange={(e) => setAction(e.currentTarget.value)}>
            <For each={ACTIONS}>{([value, label]) => <option value={value}>{label}</option>}</For>
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={from()} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To
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
                ? "Nothing matches these filters."
                : "Nothing recorded yet."}
            </p>
          }
        >
          <div class="table-wrap">
            <table class="security-audit stack-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Details</th>
                  <th scope="col">IP</th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(e) => (
                    <tr>
                      <td data-label="Time">
                        <time dateTime={new Date(e.ts).toISOString()}>{fmtTime(e.ts)}</time>
                      </td>
                      <td data-label="Actor">{e.actor}</td>
                      <td data-label="Action">
                        <span class={`badge ${tone(e.action)}`}>{e.action}</span>
                      </td>
                      <td data-label="Details" class="security-detail">
                        {detailText(e.detail) || <span class="muted">–</span>}
                      </td>
                      <td data-label="IP" class="mono">
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
              {entries()!.length} entr{entries()!.length === 1 ? "y" : "ies"}
              {more()
                ? ""
                : Object.values(filters()).some((v) => v !== undefined)
                  ? ", all that match"
                  : ", the whole log"}
            </span>
            <span class="spacer" />
            <Show when={more()}>
              <button type="button" onClick={() => void load(true)} disabled={busy()}>
                {busy() ? "Loading…" : "Load more"}
              </button>
            </Show>
          </div>
        </Show>
      </Show>
    </section>
  );
}
