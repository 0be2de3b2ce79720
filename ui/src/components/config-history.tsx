/**
 * Config history: every applied version (time, author — "file" for a change made outside the UI —,
 * reason); diff two versions or one against the file now; view a version's text; roll back (as a new
 * version) after a confirmation.
 */
import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { fmtTime } from "../format.ts";
import { t } from "../i18n/index.ts";
import { DiffView, IssueList } from "./config-diff.tsx";
import { type ConfigIssue, type HistoryVersion, type Hunk, issuesOf } from "./config-model.tsx";
import { createPasswordGate, PasswordCancelled } from "./password-gate.tsx";

interface Comparison {
  title: string;
  hunks?: Hunk[];
  error?: string;
}

export function HistoryView(props: {
  /** Changes on every reload of the page's config: the list is fetched again. */
  refresh: number;
  pending: number;
  onRolledBack: (id: number, version: number) => void;
}): JSX.Element {
  const [versions, setVersions] = createSignal<HistoryVersion[]>();
  const [error, setError] = createSignal("");
  const [selected, setSelected] = createSignal<number[]>([]);
  const [comparison, setComparison] = createSignal<Comparison>();
  const [viewing, setViewing] = createSignal<{ id: number; source?: string; error?: string }>();
  const [confirming, setConfirming] = createSignal<number>();
  // A version whose code differs from the file's needs the password (loading it runs that code).
  const gate = createPasswordGate();
  const [busy, setBusy] = createSignal(false);
  const [rollbackError, setRollbackError] = createSignal<{ id: number; message: string; issues: ConfigIssue[] }>();
  let result: HTMLDivElement | undefined;

  const load = async () => {
    try {
      setVersions((await call("GET /api/config/history")).versions);
      setError("");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  createEffect(
    on(
      () => props.refresh,
      () => void load(),
    ),
  );

  const toggle = (id: number, on: boolean) => {
    const current = selected().filter((x) => x !== id);
    setSelected(on ? [...current, id].slice(-2) : current);
  };

  const compare = async (from: number | "current", to: number | "current") => {
    const label = (v: number | "current") => (v === "current" ? t("config.history.fileNow") : `#${v}`);
    const title = `${label(from)} → ${label(to)}`;
    setViewing(undefined);
    setComparison({ title });
    try {
      const answer = await call("GET /api/config/diff", { query: { from, to } });
      setComparison({ title, hunks: answer.hunks });
    } catch (e) {
      setComparison({ title, error: e instanceof ApiError ? e.message : String(e) });
    }
    result?.focus();
  };

  const compareSelected = () => {
    const [a, b] = [...selected()].sort((x, y) => x - y);
    void compare(a, b);
  };

  const view = async (id: number) => {
    setComparison(undefined);
    setViewing({ id });
    try {
      setViewing({ id, source: (await call("GET /api/config/history/:id", { params: { id } })).source });
    } catch (e) {
      setViewing({ id, error: e instanceof ApiError ? e.message : String(e) });
    }
    result?.focus();
  };

  const rollback = async (id: number) => {
    setBusy(true);
    setRollbackError(undefined);
    try {
      const answer = await gate.run((password) => call("POST /api/config/rollback", { body: { id, password } }));
      setConfirming(undefined);
      setSelected([]);
      setComparison(undefined);
      setViewing(undefined);
      props.onRolledBack(id, answer.version);
    } catch (e) {
      if (!(e instanceof PasswordCancelled))
        setRollbackError({
          id,
          message: e instanceof ApiError ? e.message : String(e),
          issues: e instanceof ApiError ? issuesOf(e.body) : [],
        });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <gate.Dialog />
      <p class="muted">
        {t("config.history.intro")}
        <span class="badge">{t("config.history.fileBadge")}</span>
        {t("config.history.introAfter")}
      </p>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="row">
        <button type="button" disabled={selected().length !== 2} onClick={compareSelected}>
          {selected().length === 2
            ? t("config.history.compareTwo", { from: Math.min(...selected()), to: Math.max(...selected()) })
            : t("config.history.compare")}
        </button>
        <span class="muted">
          {selected().length === 0
            ? ""
            : t("config.history.selected", {
                ids: selected()
                  .map((id) => `#${id}`)
                  .join(", "),
              })}
        </span>
      </div>
      <div ref={result} tabindex="-1" class="cfg-history-result">
        <Show when={comparison()}>
          {(c) => (
            <section class="panel stack" aria-label={t("config.history.diffTitle", { title: c().title })}>
              <div class="row">
                <h3>{t("config.history.diffTitle", { title: c().title })}</h3>
                <span class="spacer" />
                <button type="button" onClick={() => setComparison(undefined)}>
                  {t("config.history.close")}
                </button>
              </div>
              <Show when={c().error}>
                <p class="error">{c().error}</p>
              </Show>
              <Show
                when={c().hunks}
                fallback={
                  <Show when={!c().error}>
                    <p class="muted">{t("config.history.loading")}</p>
                  </Show>
                }
              >
                <DiffView hunks={c().hunks!} label={t("config.history.diffTitle", { title: c().title })} />
              </Show>
            </section>
          )}
        </Show>
        <Show when={viewing()}>
          {(v) => (
            <section class="panel stack" aria-label={t("config.history.textOf", { id: v().id })}>
              <div class="row">
                <h3>{t("config.history.version", { id: v().id })}</h3>
                <span class="spacer" />
                <button type="button" onClick={() => setViewing(undefined)}>
                  {t("config.history.close")}
                </button>
              </div>
              <Show when={v().error}>
                <p class="error">{v().error}</p>
              </Show>
              <Show
                when={v().source !== undefined}
                fallback={
                  <Show when={!v().error}>
                    <p class="muted">{t("config.history.loading")}</p>
                  </Show>
                }
              >
                <pre tabindex="0">{v().source}</pre>
              </Show>
            </section>
          )}
        </Show>
      </div>
      <Show when={versions()} fallback={<div class="skeleton" style={{ height: "12rem" }} />}>
        <Show when={versions()!.length > 0} fallback={<p class="muted">{t("config.history.none")}</p>}>
          <ol class="cfg-versions">
            <For each={versions()}>
              {(version, index) => (
                <li class="cfg-version" classList={{ selected: selected().includes(version.id) }}>
                  <div class="cfg-version-main">
                    <input
                      type="checkbox"
                      id={`cfg-version-${version.id}`}
                      checked={selected().includes(version.id)}
                      onChange={(e) => toggle(version.id, e.currentTarget.checked)}
                    />
                    <label for={`cfg-version-${version.id}`} class="cfg-version-label">
                      <strong>#{version.id}</strong>
                      <span>{fmtTime(version.ts)}</span>
                      <span class="cfg-sr">{t("config.history.by")}</span>
                      <span
                        class="badge"
                        classList={{ warn: version.author === "file" }}
                        title={
                          version.author === "file" ? t("config.history.outsideTitle") : t("config.history.uiTitle")
                        }
                      >
                        {version.author === "file" ? t("config.history.outside") : version.author}
                      </span>
                      <Show when={index() === 0}>
                        <span class="badge ok">{t("config.history.latest")}</span>
                      </Show>
                    </label>
                  </div>
                  <p class="cfg-version-reason">{version.reason}</p>
                  <div class="row cfg-version-actions">
                    <button type="button" class="cfg-small" onClick={() => void compare(version.id, "current")}>
                      {t("config.history.diffNow")}
                    </button>
                    <button type="button" class="cfg-small" onClick={() => void view(version.id)}>
                      {t("config.history.viewText")}
                    </button>
                    <button
                      type="button"
                      class="cfg-small"
                      aria-expanded={confirming() === version.id}
                      onClick={() => (setConfirming(version.id), setRollbackError(undefined))}
                    >
                      {t("config.history.rollbackStart")}
                    </button>
                  </div>
                  <Show when={confirming() === version.id}>
                    <div
                      class="notice stack cfg-confirm"
                      role="alertdialog"
                      aria-label={t("config.history.rollbackLabel", { id: version.id })}
                    >
                      <p>
                        {t("config.history.rollbackConfirm", { id: version.id, time: fmtTime(version.ts) })}
                        <Show when={props.pending > 0}>{t("config.history.rollbackDiscards", props.pending)}</Show>
                      </p>
                      <div class="row">
                        <button
                          type="button"
                          class="primary"
                          disabled={busy()}
                          onClick={() => void rollback(version.id)}
                        >
                          {busy() ? t("config.history.rollingBack") : t("config.history.rollback", { id: version.id })}
                        </button>
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          {t("config.history.cancel")}
                        </button>
                      </div>
                    </div>
                  </Show>
                  <Show when={rollbackError()?.id === version.id}>
                    <div class="error" role="alert">
                      <strong>{t("config.history.notRolledBack")}</strong> {rollbackError()!.message}
                      <Show when={rollbackError()!.issues.length > 0}>
                        <IssueList issues={rollbackError()!.issues} />
                      </Show>
                    </div>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </Show>
    </div>
  );
}
