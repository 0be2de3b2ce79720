/**
 * "Add provider" on the config page: a kind (the provider factories the server offers), a name, a
 * base URL and an API key. "Test connection" asks the server to call the upstream's /models with the
 * key (never stored by the test) and shows what it answered and the models it lists; "Add provider"
 * stores the key in the secret store and writes `name: kind({ baseURL, apiKey: env("…") })` into the
 * file, checked and hot-reloaded like any change. Adding a factory call is a change of code: the
 * password dialog asks for the account's password.
 */

import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { t } from "../i18n/index.ts";
import { IssueList } from "./config-diff.tsx";
import type { ConfigIssue, ConfigResponse } from "./config-model.tsx";
import { issuesOf } from "./config-model.tsx";
import { ChangeButton } from "./key-change-button.tsx";
import { errorText } from "./modal.tsx";
import { createPasswordGate, PasswordCancelled } from "./password-gate.tsx";

type Kind = ConfigResponse["providerKinds"][number];
interface Probe {
  ok: boolean;
  status?: number;
  models: string[];
  error?: string;
}

export function AddProvider(props: {
  kinds: Kind[];
  /** Provider names in the file, which a new one must not take. */
  taken: string[];
  onAdded: (message: string) => void;
}): JSX.Element {
  const uid = createUniqueId();
  const [open, setOpen] = createSignal(false);
  const [kind, setKind] = createSignal(props.kinds[0]?.factory ?? "openai");
  const [name, setName] = createSignal("");
  const [baseURL, setBaseURL] = createSignal(props.kinds[0]?.defaultBaseURL ?? "");
  const [apiKey, setApiKey] = createSignal("");
  const [probe, setProbe] = createSignal<Probe>();
  const [busy, setBusy] = createSignal<"" | "testing" | "adding">("");
  const [error, setError] = createSignal("");
  const [issues, setIssues] = createSignal<ConfigIssue[]>([]);
  const gate = createPasswordGate();
  const current = () => props.kinds.find((k) => k.factory === kind());

  const nameProblem = () => {
    const n = name().trim();
    if (n === "") return "";
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(n)) return t("config.provider.badName");
    return props.taken.includes(n) ? t("config.provider.nameTaken", { name: n }) : "";
  };
  const urlProblem = () =>
    baseURL().trim() === "" || /^https?:\/\/\S+$/.test(baseURL().trim()) ? "" : t("config.provider.badUrl");
  const keyProblem = () =>
    current()?.keyRequired && apiKey().trim() === "" ? t("config.provider.needsKey", { kind: kind() }) : "";
  const ready = () =>
    name().trim() !== "" && baseURL().trim() !== "" && !nameProblem() && !urlProblem() && !keyProblem();

  const pickKind = (next: string) => {
    const before = current();
    setKind(next);
    // The default URL follows the kind unless the admin typed another.
    if (!baseURL().trim() || baseURL() === before?.defaultBaseURL) setBaseURL(current()?.defaultBaseURL ?? "");
    setProbe(undefined);
  };

  const test = async () => {
    setBusy("testing");
    setError("");
    setProbe(undefined);
    try {
      setProbe(
        await call("POST /api/config/providers/test", {
          body: { kind: kind(), baseURL: baseURL().trim(), apiKey: apiKey().trim() || undefined },
        }),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy("");
    }
  };

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!ready()) return;
    setBusy("adding");
    setError("");
    setIssues([]);
    try {
      const body = {
        kind: kind(),
        name: name().trim(),
        baseURL: baseURL().trim(),
        apiKey: apiKey().trim() || undefined,
      };
      const answer = await gate.run((password) => call("POST /api/config/providers", { body: { ...body, password } }));
      const added = body.name;
      setOpen(false);
      setName("");
      setApiKey("");
      setProbe(undefined);
      props.onAdded(
        answer.env
          ? t("config.provider.addedWithKey", { name: added, env: answer.env, version: answer.version })
          : t("config.provider.added", { name: added, version: answer.version }),
      );
    } catch (e) {
      if (e instanceof PasswordCancelled) return;
      setError(errorText(e));
      if (e instanceof ApiError) setIssues(issuesOf(e.body));
    } finally {
      setBusy("");
    }
  };

  const field = (id: string) => `${uid}-${id}`;
  return (
    <div class="cfg-add-provider">
      <gate.Dialog />
      <Show
        when={open()}
        fallback={
          <ChangeButton class="cfg-small" onClick={() => setOpen(true)}>
            {t("config.provider.open")}
          </ChangeButton>
        }
      >
        <form class="stack panel cfg-provider-form" onSubmit={add} aria-labelledby={field("title")}>
          <h3 id={field("title")}>{t("config.provider.title")}</h3>
          <div class="cfg-provider-grid">
            <label for={field("kind")}>{t("config.provider.kind")}</label>
            <select id={field("kind")} value={kind()} onChange={(e) => pickKind(e.currentTarget.value)}>
              <For each={props.kinds}>
                {(k) => (
                  <option value={k.factory}>
                    {k.factory}() · {k.label}
                  </option>
                )}
              </For>
            </select>
            <TextField
              id={field("name")}
              label={t("config.provider.name")}
              value={name()}
              onInput={setName}
              placeholder={t("config.provider.namePlaceholder")}
              problem={nameProblem()}
              help={t("config.provider.nameHelp")}
            />
            <TextField
              id={field("url")}
              label={t("config.provider.url")}
              value={baseURL()}
              onInput={(v) => {
                setBaseURL(v);
                setProbe(undefined);
              }}
              inputmode="url"
              problem={urlProblem()}
              help={t("config.provider.urlHelp")}
            />
            <TextField
              id={field("key")}
              label={t("config.provider.key")}
              type="password"
              value={apiKey()}
              onInput={(v) => {
                setApiKey(v);
                setProbe(undefined);
              }}
              problem={keyProblem()}
              help={t("config.provider.keyHelp")}
            />
          </div>
          <div class="row">
            <button
              type="button"
              onClick={() => void test()}
              disabled={busy() !== "" || baseURL().trim() === "" || urlProblem() !== ""}
            >
              {busy() === "testing" ? t("config.provider.testing") : t("config.provider.test")}
            </button>
            <button type="submit" class="primary" disabled={busy() !== "" || !ready()}>
              {busy() === "adding" ? t("config.provider.adding") : t("config.provider.add")}
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={busy() === "adding"}>
              {t("config.provider.cancel")}
            </button>
          </div>
          <Show when={probe()}>
            {(p) => (
              <div class={p().ok ? "success" : "error"} role={p().ok ? "status" : "alert"}>
                <Show when={p().ok} fallback={<span>{t("config.provider.failed", { error: p().error ?? "" })}</span>}>
                  <span>
                    {p().status
                      ? t("config.provider.connectedHttp", { status: p().status!, rest: connectedNote(p()) })
                      : t("config.provider.connected", { rest: connectedNote(p()) })}
                  </span>
                </Show>
                <Show when={p().models.length > 0}>
                  <ul class="cfg-model-names" aria-label={t("config.provider.modelsLabel")}>
                    <For each={p().models.slice(0, 40)}>{(m) => <li>{m}</li>}</For>
                    <Show when={p().models.length > 40}>
                      <li class="muted">{t("config.provider.more", { n: p().models.length - 40 })}</li>
                    </Show>
                  </ul>
                </Show>
              </div>
            )}
          </Show>
          <Show when={error()}>
            <div class="error" role="alert">
              {error()}
              <Show when={issues().length > 0}>
                <IssueList issues={issues()} />
              </Show>
            </div>
          </Show>
        </form>
      </Show>
    </div>
  );
}

/** After "Connected": the upstream's own note when it gave one, else how many models it lists. */
const connectedNote = (p: Probe) => p.error ?? t("config.provider.lists", p.models.length);

/** A label and an input in the form's grid, with its help line, which turns into the problem when there is one. */
function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  problem: string;
  help: string;
  type?: "password";
  placeholder?: string;
  inputmode?: "url";
}): JSX.Element {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <div>
        <input
          id={props.id}
          type={props.type ?? "text"}
          value={props.value}
          placeholder={props.placeholder}
          inputmode={props.inputmode}
          autocomplete="off"
          aria-invalid={props.problem !== ""}
          aria-describedby={`${props.id}-help`}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
        <small id={`${props.id}-help`} classList={{ muted: !props.problem, "cfg-problem": !!props.problem }}>
          {props.problem || props.help}
        </small>
      </div>
    </>
  );
}
