/**
 * The password the server asks for before a config change that adds or changes code (checking or
 * applying such a config runs it on the gateway host). A call is made as it is; when the server answers
 * 403 with `param: "password"`, a dialog asks for the account's password and the call is made again
 * with it. A wrong password (or a throttle) is shown in the dialog, which stays open; any other
 * outcome closes it and goes to the caller. Cancelling rejects with `PasswordCancelled`.
 */
import { createSignal, createUniqueId, type JSX, Show } from "solid-js";
import { ApiError } from "../api.ts";
import { t } from "../i18n/index.ts";
import { errorText, Modal } from "./modal.tsx";

/** The admin closed the dialog: nothing was sent with a password, nothing changed. */
export class PasswordCancelled extends Error {
  constructor() {
    super(t("auth.gate.cancelled"));
  }
}

/** The server wants the password for this change (none was sent). */
const asksForPassword = (e: unknown) =>
  e instanceof ApiError && e.status === 403 && e.param === "password" && e.code !== "wrong_credentials";
/** An answer to show in the dialog, so the admin can try again: a wrong password, or a wait. */
const shownInDialog = (e: unknown) =>
  e instanceof ApiError && ((e.code === "wrong_credentials" && e.param === "password") || e.status === 429);

interface Prompt {
  submit: (password: string) => Promise<void>;
  cancel: () => void;
}

export function createPasswordGate(): {
  run: <T>(call: (password?: string) => Promise<T>) => Promise<T>;
  Dialog: () => JSX.Element;
} {
  const [prompt, setPrompt] = createSignal<Prompt>();

  const run = async <T,>(call: (password?: string) => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (!asksForPassword(e)) throw e;
    }
    return new Promise<T>((resolve, reject) => {
      const close = () => setPrompt(undefined);
      setPrompt({
        submit: async (password) => {
          try {
            const value = await call(password);
            close();
            resolve(value);
          } catch (e) {
            if (shownInDialog(e)) throw e;
            close();
            reject(e);
          }
        },
        cancel: () => {
          close();
          reject(new PasswordCancelled());
        },
      });
    });
  };

  const Dialog = () => <Show when={prompt()}>{(p) => <PasswordDialog prompt={p()} />}</Show>;
  return { run, Dialog };
}

function PasswordDialog(props: { prompt: Prompt }): JSX.Element {
  const id = createUniqueId();
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await props.prompt.submit(password());
    } catch (e) {
      setError(errorText(e));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t("auth.gate.title")} onClose={() => !busy() && props.prompt.cancel()} sticky>
      <form class="stack" onSubmit={submit}>
        <p>
          {t("auth.gate.whyBefore")}
          <strong>{t("auth.gate.whyCode")}</strong>
          {t("auth.gate.whyAfter")}
        </p>
        <label for={`${id}-password`}>{t("auth.gate.password")}</label>
        <input
          id={`${id}-password`}
          type="password"
          autocomplete="current-password"
          required
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="row modal-actions">
          <button type="button" onClick={() => props.prompt.cancel()} disabled={busy()}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy() || password() === ""}>
            <Show when={busy()}>
              <span class="spinner" aria-hidden="true" />
            </Show>
            {t("common.confirm")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
