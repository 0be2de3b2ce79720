/**
 * Review of the form's pending edits: POST /api/config/validate shows whether the candidate loads (issues,
 * clickable to their fields) and the diff; Apply posts the same edits with a reason. The edits are a
 * snapshot: changing the form afterwards asks for a new check before applying.
 */
import { createSignal, For, type JSX, onMount, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { DiffView, IssueList } from "./config-diff.tsx";
import { type ConfigIssue, type Edit, issuesOf, type ValidateResponse } from "./config-model.tsx";
import { NewSecretsWarning } from "./config-secrets-notice.tsx";
import { createPasswordGate, PasswordCancelled } from "./password-gate.tsx";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function describeEdit(edit: Edit): string {
  const value = "value" in edit ? JSON.stringify(edit.value) : "";
  const short = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  if (edit.op === "set") return `${edit.path} = ${short}`;
  if (edit.op === "remove") return `remove ${edit.path}`;
  if (edit.key === undefined) return `add ${edit.path}[${edit.index ?? "end"}] = ${short}`;
  const key = /^[^.[\]"]+$/.test(edit.key) ? (edit.path ? `.${edit.key}` : edit.key) : `[${JSON.stringify(edit.key)}]`;
  return `add ${edit.path}${key} = ${short}`;
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
        Review {plural(props.edits.length, "change")}
      </h2>
      <Show when={props.fileChanged}>
        <p class="notice">
          The file changed on disk since this page loaded it. Your changes are checked against the file as it is now:
          read the diff before applying.
        </p>
      </Show>
      <details>
        <summary>The {plural(checked().length || props.edits.length, "edit")} sent to the server</summary>
        <ol class="cfg-edits mono">
          <For each={checked().length ? checked() : props.edits}>{(edit) => <li>{describeEdit(edit)}</li>}</For>
        </ol>
      </details>
      <Show when={busy() === "checking"}>
        <p class="muted" role="status">
          Checking the new config (it is loaded in full, nothing is written)…
        </p>
      </Show>
      <Show when={error()}>
        <div class="error" role="alert">
          These changes cannot be made: {error()}
        </div>
      </Show>
      <Show when={result()}>
        {(r) => (
          <>
            <Show when={stale()}>
              <div class="notice row">
                <span>You changed the form since this check.</span>
                <button type="button" onClick={() => void check()}>
                  Check again
                </button>
              </div>
            </Show>
            <Show
              when={r().ok}
              fallback={
                <div class="error" role="alert">
                  <strong>The config would not load with these changes:</strong>
                  <IssueList
                    issues={r().issues}
                    onSelect={props.onIssue}
                    canSelect={props.canJump}
                    selectHint="Go to the field"
                  />
                </div>
              }
            >
              <p class="success" role="status">
                The new config loads. Applying writes only the lines below and hot-reloads the gateway.
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
            <h3>Changes to the file</h3>
            <DiffView hunks={r().diff} label="Diff of the pending changes" />
          </>
        )}
      </Show>
      <Show when={failed()}>
        {(f) => (
          <div class="error" role="alert">
            <strong>Not applied: the file is unchanged.</strong> {f().message}
            <Show when={f().issues.length > 0}>
              <IssueList
                issues={f().issues}
                onSelect={props.onIssue}
                canSelect={props.canJump}
                selectHint="Go to the field"
              />
            </Show>
          </div>
        )}
      </Show>
      <form class="stack" onSubmit={apply}>
        <label>
          Reason (kept in the history)
          <input
            value={reason()}
            maxlength={200}
            placeholder="e.g. raise t3's first-token timeout"
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={busy() !== "" || !result()?.ok || stale()}>
            {busy() === "applying" ? "Applying…" : "Apply"}
          </button>
          <button type="button" onClick={props.onClose}>
            Back to editing
          </button>
        </div>
      </form>
    </section>
  );
}
