/**
 * The offer to take literal secrets out of the config file: the server counts them (GET /api/config,
 * `literalSecrets`), and POST /api/config/secrets/move puts every one written as a config value into
 * the data dir's secret store, the file getting env("NAME") references. Secrets inside code (a const)
 * are only counted: those need an edit by hand.
 */
import { createSignal, type JSX, Show } from "solid-js";
import { call } from "../api.ts";
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
