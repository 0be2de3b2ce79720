/**
 * The code view: the whole file (secrets masked, as the API shows it) in a monospace editor with line
 * numbers; Validate and Apply send it as a whole new text. The server refuses a text that still holds a
 * masked secret (writing it would lose the secret), which the notes explain, and asks for the password
 * when the text changes code (checking it runs it): a dialog then asks for it.
 */

import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { t } from "../i18n/index.ts";
import { readOnly } from "../session.ts";
import { DiffView, IssueList } from "./config-diff.tsx";
import { type ConfigIssue, issuesOf, type ValidateResponse } from "./config-model.tsx";
import { NewSecretsWarning } from "./config-secrets-notice.tsx";
import { createPasswordGate, PasswordCancelled } from "./password-gate.tsx";

export function CodeView(props: {
  file: string;
  source: string;
  /** Unsaved form changes (not in this text). */
  pending: number;
  /** A line to show (from "Line N in the code view"); `n` changes on every request. */
  goto?: { line: number; n: number };
  onDirty: (dirty: boolean) => void;
  onApplied: (version: number) => void;
}): JSX.Element {
  const [text, setText] = createSignal(props.source);
  const [dirty, setDirtySignal] = createSignal(false);
  const [result, setResult] = createSignal<ValidateResponse>();
  const [error, setError] = createSignal("");
  const [failed, setFailed] = createSignal<{ message: string; issues: ConfigIssue[] }>();
  const [busy, setBusy] = createSignal<"" | "checking" | "applying">("");
  const [reason, setReason] = createSignal("");
  // Literal secrets typed into the text go to the secret store on apply (the file gets env() references).
  const [moveSecrets, setMoveSecrets] = createSignal(true);
  let area: HTMLTextAreaElement | undefined;
  let gutter: HTMLDivElement | undefined;
  // A text whose code differs from the file's needs the password (the server says so).
  const gate = createPasswordGate();

  const setDirty = (value: boolean) => {
    setDirtySignal(value);
    props.onDirty(value);
  };
  // A new text from the server replaces the editor's unless the admin is editing it.
  createEffect(
    on(
      () => props.source,
      (source) => {
        if (!dirty()) setText(source);
      },
    ),
  );
  const lines = () => text().split("\n").length;
  const masked = () => (text().match(/["'`][^"'`\n]*…[^"'`\n]*["'`]/g) ?? []).length;
  // A quick look as the admin types (the server's check, on validate, is the one that counts): a key-like
  // field or a known key prefix written as a string.
  const looksLikeLiteralSecret = () =>
    /\b(api_?key|token|secret|password|authorization)\s*:\s*["'][^"'…\n]{8,}["']/i.test(text()) ||
    /["'](sk-|sk_live_|xox[bp]-|ghp_|AKIA|AIza)[A-Za-z0-9_-]{8,}["']/.test(text());

  const selectLine = (line: number) => {
    if (!area) return;
    const all = text().split("\n");
    const at = Math.max(1, Math.min(line, all.length));
    const start = all.slice(0, at - 1).reduce((sum, l) => sum + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + all[at - 1].length);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (at - 1) * lineHeight - area.clientHeight / 3);
    if (gutter) gutter.scrollTop = area.scrollTop;
  };
  createEffect(
    on(
      () => props.goto?.n,
      () => {
        if (props.goto) requestAnimationFrame(() => selectLine(props.goto!.line));
      },
    ),
  );

  const reset = () => {
    setText(props.source);
    setDirty(false);
    setResult(undefined);
    setError("");
    setFailed(undefined);
  };

  const validate = async () => {
    setBusy("checking");
    setError("");
    setFailed(undefined);
    setResult(undefined);
    try {
      const source = text();
      setResult(await gate.run((password) => call("POST /api/config/validate", { body: { source, password } })));
    } catch (e) {
      if (!(e instanceof PasswordCancelled)) setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy("");
    }
  };

  const apply = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy("applying");
    setError("");
    setFailed(undefined);
    try {
      const body = { source: text(), reason: reason().trim() || undefined, moveSecrets: moveSecrets() || undefined };
      const answer = await gate.run((password) => call("POST /api/config/apply", { body: { ...body, password } }));
      setDirty(false);
      setResult(undefined);
      setReason("");
      props.onApplied(answer.version);
    } catch (e) {
      if (!(e instanceof PasswordCancelled))
        setFailed({
          message: e instanceof ApiError ? e.message : String(e),
          issues: e instanceof ApiError ? issuesOf(e.body) : [],
        });
    } finally {
      setBusy("");
    }
  };

  return (
    <div class="stack">
      <gate.Dialog />
      <p class="muted" id="cfg-code-note">
        {t("config.code.noteWhole")}
        <code>{props.file}</code>
        {t("config.code.noteMasked")}
        <code>"sk-…abcd"</code>
        {t("config.code.noteRefuses")}
        <code>env("NAME")</code>
        {t("config.code.notePassword")}
      </p>
      <Show when={masked() > 0}>
        <p class="notice">
          {t("config.code.masked", masked())}
          <code>env("NAME")</code>
          {t("config.code.maskedAfter")}
        </p>
      </Show>
      <Show when={dirty() && (looksLikeLiteralSecret() || (result()?.literalSecrets.count ?? 0) > 0)}>
        <NewSecretsWarning
          file={props.file}
          paths={result()?.literalSecrets.paths ?? []}
          count={result()?.literalSecrets.count ?? 0}
          move={moveSecrets()}
          onMove={setMoveSecrets}
        />
      </Show>
      <Show when={props.pending > 0}>
        <p class="notice">{t("config.code.pending", props.pending)}</p>
      </Show>
      <div class="cfg-code">
        <div class="cfg-gutter" ref={gutter} aria-hidden="true">
          <For each={Array.from({ length: lines() }, (_, i) => i + 1)}>{(n) => <div>{n}</div>}</For>
        </div>
        <textarea
          ref={area}
          aria-label={t("config.code.source", { file: props.file })}
          aria-describedby="cfg-code-note"
          wrap="off"
          spellcheck={false}
          autocomplete="off"
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setDirty(e.currentTarget.value !== props.source);
            setResult(undefined);
          }}
          onScroll={(e) => {
            if (gutter) gutter.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <div class="row">
        <button type="button" onClick={() => void validate()} disabled={busy() !== ""}>
          {busy() === "checking" ? t("config.code.validating") : t("config.code.validate")}
        </button>
        <button type="button" onClick={reset} disabled={!dirty() || busy() !== ""}>
          {t("config.code.reset")}
        </button>
        <span class="muted">{dirty() ? t("config.code.edited") : t("config.code.same")}</span>
      </div>
      <Show when={error()}>
        <div class="error" role="alert">
          {t("config.code.refused", { message: error() })}
        </div>
      </Show>
      <Show when={failed()}>
        {(f) => (
          <div class="error" role="alert">
            <strong>{t("config.code.notApplied")}</strong> {f().message}
            <Show when={f().issues.length > 0}>
              <IssueList
                issues={f().issues}
                onSelect={(i) => selectLine(i.line ?? 1)}
                canSelect={(i) => !!i.line}
                selectHint={t("config.code.showLine")}
              />
            </Show>
          </div>
        )}
      </Show>
      <Show when={result()}>
        {(r) => (
          <>
            <Show
              when={r().ok}
              fallback={
                <div class="error" role="alert">
                  <strong>{t("config.code.wouldNotLoad")}</strong>
                  <IssueList
                    issues={r().issues}
                    onSelect={(i) => selectLine(i.line ?? 1)}
                    canSelect={(i) => !!i.line}
                    selectHint={t("config.code.showLine")}
                  />
                </div>
              }
            >
              <p class="success" role="status">
                {t("config.code.loads")}
              </p>
            </Show>
            <h3>{t("config.code.changes")}</h3>
            <DiffView hunks={r().diff} label={t("config.code.diffLabel")} />
          </>
        )}
      </Show>
      <form class="stack" onSubmit={apply}>
        <label>
          {t("config.code.reason")}
          <input
            value={reason()}
            maxlength={200}
            placeholder={t("config.code.reasonPlaceholder")}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </label>
        <div class="row">
          <button
            type="submit"
            class="primary"
            disabled={readOnly() || !dirty() || busy() !== ""}
            title={readOnly() ? t("common.readOnlyNote") : undefined}
          >
            {busy() === "applying" ? t("config.code.applying") : t("config.code.apply")}
          </button>
          <span class="muted">{t("config.code.applyNote")}</span>
        </div>
      </form>
    </div>
  );
}
