/**
 * Review of the form's pending edits: POST /api/config/validate shows whether the candidate loads (issues,
 * clickable to their fields) and the diff; Apply posts the same edits with a reason. The edits are a
 * snapshot: changing the form afterwards asks for a new check before applying.
 */

import { createSignal, For, type JSX, onMount, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { t } from "../i18n/index.ts";
import { readOnly } from "../session.ts";
import { DiffView, IssueList } from "./config-diff.tsx";
import { type ConfigIssue, type Edit, issuesOf, type ValidateResponse } from "./config-model.tsx";
import { NewSecretsWarning } from "./config-secrets-notice.tsx";
import { createPasswordGate, PasswordCancelled } from "./password-gate.tsx";

function describeEdit(edit: Edit): string {
  const value = "value" in edit ? JSON.stringify(edit.value) : "";
  const short = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  if (edit.op === "set") return `${edit.path} = ${short}`;
  if (edit.op === "remove") return t("config.review.remove", { path: edit.path });
  if (edit.key === undefined)
    return t("config.review.add", { path: `${edit.path}[${edit.index ?? "end"}]`, value: short });
  const key = /^[^.[\]"]+$/.test(edit.key) ? (edit.path ? `.${edit.key}` : edit.key) : `[${JSON.stringify(edit.key)}]`;
  return t("config.review.add", { path: `${edit.path}${key}`, value: short });
}

export function ReviewPanel(props: {
  /** The config file's name, as the page shows it. */
  file: string;
  edits: Edit[];
  /** Set when the file on disk changed since the page loaded it. */
  fileChanged: boolean;
  onApplied: (version: number) => void;
  onClose: () => void;
  onIssue: (issue: ConfigIssue) => void;
  canJump: (issue: ConfigIssue) => boolean;
}): JSX.Element {
  const [checked, setChecked] = createSignal<Edit[]>([]);
  const [result, setResult] = createSignal<ValidateResponse>();
  // A secret typed into a new field goes to the secret store on apply unless the admin says otherwise.
  const [moveSecrets, setMoveSecrets] = createSignal(true);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal<"" | "checking" | "applying">("");
  const [failed, setFailed] = createSignal<{ message: string; issues: ConfigIssue[] }>();
  const [reason, setReason] = createSignal("");
  let heading: HTMLHeadingElement | undefined;
  // Value edits never need it; removing a plugin (code) from a list does.
  const gate = createPasswordGate();

  const stale = () => JSON.stringify(checked()) !== JSON.stringify(props.edits);

  const check = async () => {
    const edits = props.edits;
    setBusy("checking");
    setError("");
    setFailed(undefined);
    setResult(undefined);
    try {
      setResult(await gate.run((password) => call("POST /api/config/validate", { body: { edits, password } })));
      setChecked(edits);
    } catch (e) {
      if (e instanceof PasswordCancelled) return;
      setError(e instanceof ApiError ? e.message : String(e));
      setChecked(edits);
    } finally {
      setBusy("");
    }
  };

  const apply = async (event: SubmitEvent) => {
    event.preventDefault();
    if (stale()) return;
    setBusy("applying");
    setFailed(undefined);
    try {
      const body = { edits: checked(), reason: reason().trim() || undefined, moveSecrets: moveSecrets() || undefined };
      const answer = await gate.run((password) => call("POST /api/config/apply", { body: { ...body, password } }));
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

  onMount(() => {
    heading?.focus();
    void check();
  });

  return (
    <section class="panel stack cfg-review" aria-labelledby="cfg-review-title">
      <gate.Dialog />
      <h2 id="cfg-review-title" tabindex="-1" ref={heading}>
        {t("config.review.title", props.edits.length)}
      </h2>
      <Show when={props.fileChanged}>
        <p class="notice">{t("config.review.fileChanged")}</p>
      </Show>
      <details>
        <summary>{t("config.review.sent", checked().length || props.edits.length)}</summary>
        <ol class="cfg-edits mono">
          <For each={checked().length ? checked() : props.edits}>{(edit) => <li>{describeEdit(edit)}</li>}</For>
        </ol>
      </details>
      <Show when={busy() === "checking"}>
        <p class="muted" role="status">
          {t("config.review.checking")}
        </p>
      </Show>
      <Show when={error()}>
        <div class="error" role="alert">
          {t("config.review.cannot", { message: error() })}
        </div>
      </Show>
      <Show when={result()}>
        {(r) => (
          <>
            <Show when={stale()}>
              <div class="notice row">
                <span>{t("config.review.stale")}</span>
                <button type="button" onClick={() => void check()}>
                  {t("config.review.checkAgain")}
                </button>
              </div>
            </Show>
            <Show
              when={r().ok}
              fallback={
                <div class="error" role="alert">
                  <strong>{t("config.review.wouldNotLoad")}</strong>
                  <IssueList
                    issues={r().issues}
                    onSelect={props.onIssue}
                    canSelect={props.canJump}
                    selectHint={t("config.page.goToField")}
                  />
                </div>
              }
            >
              <p class="success" role="status">
                {t("config.review.loads")}
              </p>
            </Show>
            <Show when={r().literalSecrets.count > 0}>
              <NewSecretsWarning
                file={props.file}
                paths={r().literalSecrets.paths}
                count={r().literalSecrets.count}
                move={moveSecrets()}
                onMove={setMoveSecrets}
              />
            </Show>
            <h3>{t("config.review.changes")}</h3>
            <DiffView hunks={r().diff} label={t("config.review.diffLabel")} />
          </>
        )}
      </Show>
      <Show when={failed()}>
        {(f) => (
          <div class="error" role="alert">
            <strong>{t("config.review.notApplied")}</strong> {f().message}
            <Show when={f().issues.length > 0}>
              <IssueList
                issues={f().issues}
                onSelect={props.onIssue}
                canSelect={props.canJump}
                selectHint={t("config.page.goToField")}
              />
            </Show>
          </div>
        )}
      </Show>
      <form class="stack" onSubmit={apply}>
        <label>
          {t("config.review.reason")}
          <input
            value={reason()}
            maxlength={200}
            placeholder={t("config.review.reasonPlaceholder")}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </label>
        <div class="row">
          <button
            type="submit"
            class="primary"
            disabled={readOnly() || busy() !== "" || !result()?.ok || stale()}
            title={readOnly() ? t("common.readOnlyNote") : undefined}
          >
            {busy() === "applying" ? t("config.review.applying") : t("config.review.apply")}
          </button>
          <button type="button" onClick={props.onClose}>
            {t("config.review.back")}
          </button>
        </div>
      </form>
    </section>
  );
}
