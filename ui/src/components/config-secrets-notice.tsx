/**
 * The offer to take literal secrets out of the config file: the server counts them (GET /api/config,
 * `literalSecrets`), and POST /api/config/secrets/move puts every one written as a config value into
 * the data dir's secret store, the file getting env("NAME") references. Secrets inside code (a const)
 * are only counted: those need an edit by hand. Below, the store's own list (names and times, never values).
 */
import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { call } from "../api.ts";
import { fmtTime } from "../format.ts";
import { errorText } from "./modal.tsx";

export interface LiteralSecrets {
  count: number;
  /** Paths of the secrets one call can move. */
  paths: string[];
}

export function LiteralSecretsNotice(props: {
  secrets: LiteralSecrets;
  onMoved: (message: string) => void;
}): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const move = async () => {
    setBusy(true);
    setError("");
    try {
      const answer = await call("POST /api/config/secrets/move");
      props.onMoved(
        `Moved ${plural(answer.moved.length, "secret")} to the secret store: the config now reads ${answer.moved.map((m) => `env("${m.env}")`).join(", ")}.`,
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={props.secrets.count > 0}>
      <div class="notice stack" role="status">
        <p>
          <strong>This config has {plural(props.secrets.count, "literal secret")}</strong> written in{" "}
          <code>gateway.config.ts</code>. The file is readable by whoever can read the project (and its backups, and
          your version control). The history never keeps them, but the file does.
        </p>
        <Show when={props.secrets.count > props.secrets.paths.length}>
          <p class="muted">
            {props.secrets.count - props.secrets.paths.length} of them{" "}
            {props.secrets.count - props.secrets.paths.length === 1 ? "sits" : "sit"} in code (for example a{" "}
            <code>const</code>): replace {props.secrets.count - props.secrets.paths.length === 1 ? "it" : "them"} with{" "}
            <code>env("NAME")</code> by hand.
          </p>
        </Show>
        <Show when={props.secrets.paths.length > 0}>
          <div class="row">
            <button type="button" class="primary" disabled={busy()} onClick={() => void move()}>
              {busy()
                ? "Moving…"
                : `Move ${props.secrets.paths.length === 1 ? "it" : `these ${props.secrets.paths.length}`} to the secret store`}
            </button>
            <span class="muted">
              {props.secrets.paths.join(", ")} → <code>GATEWAY_DATA_DIR/secrets.env</code> (0600), referenced as{" "}
              <code>env("NAME")</code>.
            </span>
          </div>
        </Show>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
      </div>
    </Show>
  );
}

type StoredSecret = Awaited<ReturnType<typeof call<"GET /api/config/secrets">>>["secrets"][number];

/**
 * The secret store's entries: names, when each was set and which config paths use it, never a value.
 * One nothing uses can be deleted (the server refuses one still referenced: the config would stop loading).
 */
export function StoredSecrets(props: { refresh: number }): JSX.Element {
  const [secrets, setSecrets] = createSignal<StoredSecret[]>();
  const [error, setError] = createSignal("");
  const [status, setStatus] = createSignal("");
  const load = async () => {
    try {
      setSecrets((await call("GET /api/config/secrets")).secrets);
      setError("");
    } catch (e) {
      setError(errorText(e));
    }
  };
  createEffect(
    on(
      () => props.refresh,
      () => void load(),
    ),
  );
  const remove = async (name: string) => {
    if (!window.confirm(`Delete the stored secret ${name}? Its value cannot be read back.`)) return;
    setError("");
    try {
      await call("DELETE /api/config/secrets/:name", { params: { name } });
      setStatus(`Deleted ${name}.`);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section class="panel cfg-section" aria-labelledby="cfg-h-secret-store">
      <div class="cfg-section-head">
        <h2 id="cfg-h-secret-store" tabindex="-1">
          Secret store
        </h2>
        <code class="muted">GATEWAY_DATA_DIR/secrets.env</code>
      </div>
      <p class="muted cfg-blurb">
        Keys typed in this page, referenced from the config as <code>env("NAME")</code>. Values are never shown.
      </p>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={status()}>
        <p class="muted" role="status">
          {status()}
        </p>
      </Show>
      <Show when={secrets()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">No stored secrets.</p>}>
            <section class="cfg-picker-table" aria-label="Stored secrets" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Set</th>
                    <th scope="col">Used by</th>
                    <th scope="col">
                      <span class="cfg-sr">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(secret) => (
                      <tr>
                        <td>
                          <code>{secret.name}</code>
                        </td>
                        <td>{secret.setAt ? fmtTime(secret.setAt) : "–"}</td>
                        <td>
                          {secret.usedBy.length > 0 ? secret.usedBy.join(", ") : <span class="muted">nothing</span>}
                        </td>
                        <td>
                          <button
                            type="button"
                            class="cfg-small"
                            disabled={secret.usedBy.length > 0}
                            title={secret.usedBy.length > 0 ? "Still referenced by the config" : undefined}
                            aria-label={`Delete the stored secret ${secret.name}`}
                            onClick={() => void remove(secret.name)}
                          >
                            Delete
                          </button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </section>
          </Show>
        )}
      </Show>
    </section>
  );
}

/**
 * The warning of a change that writes a secret in clear (the code view's text, the form's edits): where,
 * and the choice to move it into the secret store on apply (apply's `moveSecrets`), on by default.
 */
export function NewSecretsWarning(props: {
  file: string;
  /** From the last validation; empty before one. */
  paths: string[];
  count: number;
  move: boolean;
  onMove: (move: boolean) => void;
}): JSX.Element {
  return (
    <div class="notice stack" role="status">
      <p>
        <strong>This change writes a secret in clear</strong>
        <Show when={props.paths.length > 0}> ({props.paths.join(", ")})</Show>. Written as it is, the key would sit in{" "}
        <code>{props.file}</code> for whoever can read the project, its backups and version control.
      </p>
      <label class="cfg-check">
        <input type="checkbox" checked={props.move} onChange={(e) => props.onMove(e.currentTarget.checked)} />
        <span>
          On apply, move literal secrets to the secret store and write <code>env("NAME")</code> in their place
        </span>
      </label>
      <Show when={props.count > props.paths.length && props.paths.length > 0}>
        <p class="muted">
          Some sit in code (for example a <code>const</code>): replace those with <code>env("NAME")</code> by hand.
        </p>
      </Show>
    </div>
  );
}
