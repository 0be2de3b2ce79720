/**
 * The offer to take literal secrets out of the config file: the server counts them (GET /api/config,
 * `literalSecrets`), and POST /api/config/secrets/move puts every one written as a config value into
 * the data dir's secret store, the file getting env("NAME") references. Secrets inside code (a const)
 * are only counted: those need an edit by hand. Below, the store's own list (names and times, never values).
 */

import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { call } from "../api.ts";
import { fmtTime } from "../format.ts";
import { t } from "../i18n/index.ts";
import { ChangeButton } from "./key-change-button.tsx";
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
  const move = async () => {
    setBusy(true);
    setError("");
    try {
      const answer = await call("POST /api/config/secrets/move");
      props.onMoved(
        t("config.secrets.moved", answer.moved.length, answer.moved.map((m) => `env("${m.env}")`).join(", ")),
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
          <strong>{t("config.secrets.literal", props.secrets.count)}</strong>
          {t("config.secrets.writtenIn")}
          <code>gateway.config.ts</code>
          {t("config.secrets.literalAfter")}
        </p>
        <Show when={props.secrets.count > props.secrets.paths.length}>
          <p class="muted">
            {t("config.secrets.inCode", props.secrets.count - props.secrets.paths.length)}
            <code>const</code>
            {t("config.secrets.replaceWith", props.secrets.count - props.secrets.paths.length)}
            <code>env("NAME")</code>
            {t("config.secrets.byHand")}
          </p>
        </Show>
        <Show when={props.secrets.paths.length > 0}>
          <div class="row">
            <ChangeButton class="primary" disabled={busy()} onClick={() => void move()}>
              {busy() ? t("config.secrets.moving") : t("config.secrets.move", props.secrets.paths.length)}
            </ChangeButton>
            <span class="muted">
              {props.secrets.paths.join(", ")} → <code>GATEWAY_DATA_DIR/secrets.env</code> (0600)
              {t("config.secrets.referencedAs")}
              <code>env("NAME")</code>
              {t("config.secrets.period")}
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
    if (!window.confirm(t("config.secrets.confirmDelete", { name }))) return;
    setError("");
    try {
      await call("DELETE /api/config/secrets/:name", { params: { name } });
      setStatus(t("config.secrets.deleted", { name }));
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section class="panel cfg-section" aria-labelledby="cfg-h-secret-store">
      <div class="cfg-section-head">
        <h2 id="cfg-h-secret-store" tabindex="-1">
          {t("config.secrets.store")}
        </h2>
        <code class="muted">GATEWAY_DATA_DIR/secrets.env</code>
      </div>
      <p class="muted cfg-blurb">
        {t("config.secrets.storeBlurb")}
        <code>env("NAME")</code>
        {t("config.secrets.storeBlurbAfter")}
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
          <Show when={list().length > 0} fallback={<p class="muted">{t("config.secrets.none")}</p>}>
            <section class="cfg-picker-table" aria-label={t("config.secrets.tableLabel")} tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("config.secrets.name")}</th>
                    <th scope="col">{t("config.secrets.set")}</th>
                    <th scope="col">{t("config.secrets.usedBy")}</th>
                    <th scope="col">
                      <span class="cfg-sr">{t("config.secrets.actions")}</span>
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
                          {secret.usedBy.length > 0 ? (
                            secret.usedBy.join(", ")
                          ) : (
                            <span class="muted">{t("config.secrets.nothing")}</span>
                          )}
                        </td>
                        <td>
                          <ChangeButton
                            class="cfg-small"
                            disabled={secret.usedBy.length > 0}
                            title={secret.usedBy.length > 0 ? t("config.secrets.stillUsed") : undefined}
                            aria-label={t("config.secrets.deleteLabel", { name: secret.name })}
                            onClick={() => void remove(secret.name)}
                          >
                            {t("config.secrets.delete")}
                          </ChangeButton>
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
        <strong>{t("config.secrets.clear")}</strong>
        <Show when={props.paths.length > 0}> ({props.paths.join(", ")})</Show>
        {t("config.secrets.clearAfter")}
        <code>{props.file}</code>
        {t("config.secrets.clearReaders")}
      </p>
      <label class="cfg-check">
        <input type="checkbox" checked={props.move} onChange={(e) => props.onMove(e.currentTarget.checked)} />
        <span>
          {t("config.secrets.moveOnApply")}
          <code>env("NAME")</code>
          {t("config.secrets.moveOnApplyAfter")}
        </span>
      </label>
      <Show when={props.count > props.paths.length && props.paths.length > 0}>
        <p class="muted">
          {t("config.secrets.someInCode")}
          <code>const</code>
          {t("config.secrets.replaceThose")}
          <code>env("NAME")</code>
          {t("config.secrets.byHand")}
        </p>
      </Show>
    </div>
  );
}
