/**
 * The generic renderer of the config tree: one component per node kind, every input generated from the
 * node (kind, value, editable, secret) and its JSON schema (type, enum, bounds, description). Nothing
 * here knows a section: tiers, providers and plugin options are the same objects, arrays and leaves.
 *
 *   string            → text input (textarea when long or multi-line); enum → select
 *   number / integer  → number input with the schema's min / max / step; "…Ms" keys show the duration
 *   boolean           → checkbox
 *   regexp            → text input as /source/flags
 *   null, or a leaf whose schema says nothing (`{}`) → JSON input (null, 0.7, "text", true)
 *   secret            → masked value + "Replace secret" (POST /api/config/secret), never prefilled
 *   env / expression / argument-less call → read-only, with the code it is and a link to its line
 *   object            → group of fields; "+ key" for the schema's missing properties, a key input for records
 *   array             → ordered list with move up / down / remove; "+ Add item" from the items schema
 *   call (plugin)     → a card titled `callee(…)` holding its options object
 */
import { createContext, createMemo, createSignal, For, type JSX, Match, Show, Switch, useContext } from "solid-js";
import { ApiError, call } from "../api.ts";
import { fmtMs } from "../format.ts";
import { t } from "../i18n/index.ts";
import {
  type ConfigIssue,
  childIds,
  childSchema,
  type DNode,
  type Draft,
  describe,
  enumOf,
  isPluginSchema,
  issuesOf,
  type JsonValue,
  leafValue,
  narrow,
  objectForm,
  propertyNames,
  ROOT,
  recordOf,
  requiredKeys,
  type Schema,
  serializable,
  shownId,
  skeleton,
} from "./config-model.tsx";
import { ModelPicker } from "./config-model-picker.tsx";

export interface EditorContext {
  draft: Draft;
  /** Names in the gateway's secret store. */
  secrets: () => string[];
  /** The file's text as the API shows it (secrets masked). */
  source: () => string;
  pendingCount: () => number;
  /** After a secret was saved (the file changed): show the message and reload. */
  secretSaved: (message: string) => Promise<void>;
  showInCode: (line: number) => void;
  /** Settings the process runs with another value of (GATEWAY_PORT, --port…). */
  overrides: () => { path: string; by: string; value: string }[];
}

const Context = createContext<EditorContext>();
export const EditorProvider = Context.Provider;
const useEditor = (): EditorContext => {
  const context = useContext(Context);
  if (!context) throw new Error("config fields need an EditorProvider");
  return context;
};

/** The DOM id of a node's field (issues and "focus after move" find it by this). */
export const domId = (id: string) => `cfg-${id.replace(/\s/g, "_")}`;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A node as a person names it: its key, or "models #2" for an array element. */
function useNaming(props: { id: string; parent: string }) {
  const { draft } = useEditor();
  const s = draft.state;
  const parent = () => s.nodes[props.parent];
  const inArray = () => parent()?.kind === "array";
  const index = () => childIds(s, props.parent).indexOf(props.id);
  const count = () => childIds(s, props.parent).length;
  const key = () => s.nodes[shownId(s, props.id)]?.key ?? s.nodes[props.id]?.key;
  const parentName = () => {
    const p = parent();
    if (!p || p.id === ROOT) return "";
    if (p.key === "options") {
      const call = Object.values(s.nodes).find((n) => n.kind === "call" && childIds(s, n.id).includes(p.id));
      return call ? String(call.key) : "options";
    }
    return String(p.key);
  };
  // Positional members of an object are spreads or computed keys: code, named by position.
  const name = () =>
    inArray()
      ? `${parentName()} #${index() + 1}`
      : typeof key() === "number"
        ? t("config.fields.codeMember", { parent: parentName(), n: Number(key()) + 1 })
        : String(key());
  /**
   * The name the item's buttons say: for a list element, its container and its value, so a screen
   * reader tells the tiers apart ("t2 model openai/gpt-4o", not "models #3" in every tier).
   */
  const controlName = () => {
    if (!inArray()) return name();
    const own = shownId(s, props.id);
    const text = (id: string | undefined) => {
      const n = id ? s.nodes[id] : undefined;
      if (!n || n.secret) return undefined;
      const v = leafValue(s, id!);
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const byKey = childIds(s, own).find((c) => ["model", "name", "tier"].includes(String(s.nodes[c]?.key)));
    const value = text(own) ?? text(byKey);
    const grand = Object.values(s.nodes).find((n) => n.id !== ROOT && childIds(s, n.id).includes(props.parent));
    const owner = grand && grand.kind === "object" && grand.key !== "options" ? `${String(grand.key)} ` : "";
    const singular = parentName().replace(/s$/, "");
    return `${owner}${singular} ${value ?? `#${index() + 1}`}`;
  };
  return { inArray, index, count, key, name, parentName, controlName };
}

// ---- dispatch ------------------------------------------------------------------------------------

/** One member of a container: the field for its kind. `parent` is the container's shown id. */
export function NodeView(props: { id: string; parent: string }): JSX.Element {
  const { draft } = useEditor();
  return (
    <Show when={shownId(draft.state, props.id)} keyed>
      {(shown) => <NodeBody id={props.id} shown={shown} parent={props.parent} />}
    </Show>
  );
}

function NodeBody(props: { id: string; shown: string; parent: string }): JSX.Element {
  const { draft } = useEditor();
  const node = () => draft.state.nodes[props.shown];
  const readOnly = () => {
    const n = node();
    return (
      n.kind === "expression" || n.kind === "env" || (n.kind === "call" && childIds(draft.state, n.id).length === 0)
    );
  };
  return (
    <Show when={node()}>
      <Switch>
        <Match when={node().secret && (node().kind === "string" || node().kind === "env") && node().orig}>
          <SecretField {...props} />
        </Match>
        <Match when={node().secret && ["number", "regexp", "string"].includes(node().kind)}>
          <ReadOnlyField {...props} note={t("config.fields.maskedSecret")} />
        </Match>
        <Match when={readOnly()}>
          <ReadOnlyField {...props} />
        </Match>
        <Match when={node().kind === "call"}>
          <PluginCard {...props} />
        </Match>
        <Match when={node().kind === "object" || node().kind === "array"}>
          <GroupField {...props} />
        </Match>
        <Match when={true}>
          <LeafField {...props} />
        </Match>
      </Switch>
    </Show>
  );
}

// ---- head: label, badges, actions ----------------------------------------------------------------

interface HeadProps {
  id: string;
  shown: string;
  parent: string;
  /** The input the label names (leaves); groups label themselves with aria-labelledby. */
  inputId?: string;
  labelId: string;
  extra?: JSX.Element;
}

function changeState(draft: Draft, id: string, shown: string, parent: string): "new" | "moved" | "changed" | undefined {
  const s = draft.state;
  const n = s.nodes[id];
  if (!n) return undefined;
  // Inside a new value only the value itself is marked.
  if (!n.orig) return parent !== ROOT && !s.nodes[parent]?.orig ? undefined : n.copyOf ? "moved" : "new";
  if (s.replaced[id]) return "changed";
  if (id in s.values && !same(s.values[id], n.value)) return "changed";
  return shown !== id ? "changed" : undefined;
}

function Head(props: HeadProps): JSX.Element {
  const { draft } = useEditor();
  const s = draft.state;
  const naming = useNaming(props);
  const parentNode = () => s.nodes[props.parent];
  const state = () => changeState(draft, props.id, props.shown, props.parent);
  const removable = () => {
    const p = parentNode();
    if (!p || p.id === ROOT || p.kind === "call" || (p.secret && p.kind !== "array")) return false;
    if (p.kind === "object" && requiredKeys(narrow(p.schema, "object")).includes(String(s.nodes[props.id]?.key)))
      return false;
    return true;
  };
  const movable = () => naming.inArray() && naming.count() > 1 && !parentNode()?.secret;
  const canMove = () => serializable(s, props.id);
  const moveTitle = () => (canMove() ? undefined : t("config.fields.moveCodeTitle"));
  const revertable = () => state() === "changed";
  const label = () =>
    naming.inArray() ? (
      <>
        <span class="cfg-sr">{naming.parentName()} </span>#{naming.index() + 1}
      </>
    ) : typeof naming.key() === "number" ? (
      <>
        <span class="cfg-sr">{naming.parentName()} </span>…
      </>
    ) : (
      naming.name()
    );
  return (
    <>
      <div class="cfg-head">
        <Show
          when={props.inputId}
          fallback={
            // A field's name is its config key: data, never translated (the browser's translator included).
            <span class="cfg-label" id={props.labelId} translate="no">
              {label()}
            </span>
          }
        >
          <label class="cfg-label" id={props.labelId} for={props.inputId} translate="no">
            {label()}
          </label>
        </Show>
        <Show when={state() === "new"}>
          <span class="badge ok">{t("config.fields.state.new")}</span>
        </Show>
        <Show when={state() === "changed" || state() === "moved"}>
          <span class="badge warn">{t(`config.fields.state.${state() as "changed" | "moved"}`)}</span>
        </Show>
        {props.extra}
      </div>
      <div class="cfg-actions">
        <Show when={revertable()}>
          <button
            type="button"
            class="cfg-icon"
            title={t("config.fields.revertTitle")}
            aria-label={t("config.fields.revert", { name: naming.controlName() })}
            onClick={() => draft.revert(props.id)}
          >
            ↺
          </button>
        </Show>
        <Show when={movable()}>
          <button
            type="button"
            class="cfg-icon"
            data-control="up"
            title={moveTitle() ?? t("config.fields.moveUpTitle")}
            aria-label={t("config.fields.moveUp", { name: naming.controlName() })}
            disabled={naming.index() === 0 || !canMove()}
            onClick={() => draft.move(props.parent, props.id, -1, "up")}
          >
            ↑
          </button>
          <button
            type="button"
            class="cfg-icon"
            data-control="down"
            title={moveTitle() ?? t("config.fields.moveDownTitle")}
            aria-label={t("config.fields.moveDown", { name: naming.controlName() })}
            disabled={naming.index() === naming.count() - 1 || !canMove()}
            onClick={() => draft.move(props.parent, props.id, 1, "down")}
          >
            ↓
          </button>
        </Show>
        <Show when={removable()}>
          <button
            type="button"
            class="cfg-icon danger"
            title={t("config.fields.removeTitle")}
            aria-label={t("config.fields.remove", { name: naming.controlName() })}
            onClick={() => draft.remove(props.parent, props.id)}
          >
            ✕
          </button>
        </Show>
      </div>
    </>
  );
}

// ---- leaves --------------------------------------------------------------------------------------

/** Soft checks against the schema, shown beside the field (the server's validation decides). */
function checkValue(value: unknown, schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  if (typeof value === "number") {
    if (schema.type === "integer" && !Number.isInteger(value)) return t("config.fields.check.integer");
    if (typeof schema.minimum === "number" && value < schema.minimum)
      return t("config.fields.check.min", { min: schema.minimum });
    if (typeof schema.maximum === "number" && value > schema.maximum)
      return t("config.fields.check.max", { max: schema.maximum });
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      return value === ""
        ? t("config.fields.check.empty")
        : t("config.fields.check.minLength", { n: schema.minLength });
    if (typeof schema.pattern === "string") {
      try {
        if (!new RegExp(schema.pattern).test(value))
          return t("config.fields.check.pattern", { pattern: schema.pattern });
      } catch {
        // not a JavaScript pattern: no check
      }
    }
  }
  return undefined;
}

const regexpText = (value: unknown) => {
  const v = value as { $regexp?: string; flags?: string } | undefined;
  return `/${v?.$regexp ?? ""}/${v?.flags ?? ""}`;
};

function LeafField(props: { id: string; shown: string; parent: string }): JSX.Element {
  const { draft, overrides } = useEditor();
  const s = draft.state;
  const node = () => s.nodes[props.shown];
  const override = () => overrides().find((o) => o.path === node().orig?.path);
  const inputId = `${domId(props.id)}-input`;
  const labelId = `${domId(props.id)}-label`;
  const helpId = `${domId(props.id)}-help`;
  const schema = () => narrow(node().schema, node().kind);
  const value = () => leafValue(s, props.shown);
  const [typing, setTyping] = createSignal("");
  const choices = () => (node().kind === "string" || node().kind === "number" ? enumOf(schema()) : undefined);
  const anyJson = () =>
    node().kind === "null" || (node().schema !== undefined && Object.keys(node().schema!).length === 0);
  const control = (): "enum" | "json" | "boolean" | "number" | "regexp" | "text" | "textarea" => {
    if (choices()) return "enum";
    if (anyJson()) return "json";
    const kind = node().kind;
    if (kind === "boolean" || kind === "number" || kind === "regexp") return kind;
    const text = String(value() ?? "");
    return text.includes("\n") || text.length > 80 ? "textarea" : "text";
  };
  const problem = () => typing() || checkValue(value(), schema());
  const help = () => {
    const parts = [describe(node().schema) ?? describe(schema())];
    if (/Ms$/.test(String(node().key)) && typeof value() === "number") parts.push(`= ${fmtMs(value() as number)}`);
    if (control() === "json") parts.push(t("config.fields.anyJson"));
    return parts.filter(Boolean).join(" · ");
  };
  const describedBy = () =>
    [help() ? helpId : "", problem() ? `${helpId}-problem` : "", override() ? `${helpId}-override` : ""]
      .filter(Boolean)
      .join(" ") || undefined;
  const set = (v: unknown) => {
    setTyping("");
    draft.setValue(props.shown, v);
  };
  const common = () => ({
    id: inputId,
    "aria-describedby": describedBy(),
    "aria-invalid": problem() ? true : undefined,
    "data-control": "value",
  });
  // Object form of a union member ("p/m" ⇄ { model: "p/m", ... }).
  const toObject = () => (node().kind === "string" ? objectForm(node().schema) : undefined);

  return (
    <div
      class="cfg-node cfg-leaf"
      id={domId(props.id)}
      classList={{ "cfg-changed": !!changeState(draft, props.id, props.shown, props.parent) }}
    >
      <Head {...props} inputId={inputId} labelId={labelId} />
      <div class="cfg-input">
        <Switch>
          <Match when={control() === "enum"}>
            <select
              {...common()}
              onChange={(e) => set(node().kind === "number" ? Number(e.currentTarget.value) : e.currentTarget.value)}
            >
              <For each={[...new Set([...(choices() ?? []), value()])].filter((c) => c !== undefined)}>
                {(choice) => (
                  <option value={String(choice)} selected={choice === value()}>
                    {String(choice)}
                  </option>
                )}
              </For>
            </select>
          </Match>
          <Match when={control() === "boolean"}>
            <input
              {...common()}
              type="checkbox"
              checked={value() === true}
              onChange={(e) => set(e.currentTarget.checked)}
            />
          </Match>
          <Match when={control() === "number"}>
            <input
              {...common()}
              type="number"
              inputmode="decimal"
              value={String(value() ?? "")}
              min={typeof schema()?.minimum === "number" ? String(schema()!.minimum) : undefined}
              max={typeof schema()?.maximum === "number" ? String(schema()!.maximum) : undefined}
              step={schema()?.type === "integer" ? "1" : "any"}
              onInput={(e) => {
                const text = e.currentTarget.value.trim();
                const n = Number(text);
                if (text === "" || !Number.isFinite(n)) setTyping(t("config.fields.check.number"));
                else set(n);
              }}
            />
          </Match>
          <Match when={control() === "regexp"}>
            <input
              {...common()}
              class="mono"
              value={regexpText(value())}
              spellcheck={false}
              onInput={(e) => {
                const match = /^\/(.+)\/([dgimsuyv]*)$/s.exec(e.currentTarget.value);
                if (!match) setTyping(t("config.fields.check.regexp"));
                else set({ $regexp: match[1], flags: match[2] });
              }}
            />
          </Match>
          <Match when={control() === "json"}>
            <input
              {...common()}
              class="mono"
              value={JSON.stringify(value() ?? null)}
              spellcheck={false}
              onInput={(e) => {
                try {
                  set(JSON.parse(e.currentTarget.value) as JsonValue);
                } catch {
                  setTyping(t("config.fields.check.json"));
                }
              }}
            />
          </Match>
          <Match when={control() === "textarea"}>
            <textarea
              {...common()}
              rows={Math.min(12, String(value() ?? "").split("\n").length + 1)}
              spellcheck={false}
              value={String(value() ?? "")}
              onInput={(e) => set(e.currentTarget.value)}
            />
          </Match>
          <Match when={control() === "text"}>
            <input
              {...common()}
              type="text"
              value={String(value() ?? "")}
              spellcheck={false}
              autocomplete="off"
              onInput={(e) => set(e.currentTarget.value)}
            />
          </Match>
        </Switch>
        <Show when={toObject()}>
          {(form) => (
            <button
              type="button"
              class="cfg-small"
              title={t("config.fields.moreFieldsTitle", { key: form().key })}
              aria-label={t("config.fields.moreFieldsLabel", { value: String(value() ?? "") })}
              onClick={() => draft.replace(props.parent, props.id, { [form().key]: String(value() ?? "") })}
            >
              {t("config.fields.moreFields")}
            </button>
          )}
        </Show>
      </div>
      <Show when={help()}>
        <p class="cfg-help" id={helpId}>
          {help()}
        </p>
      </Show>
      <Show when={problem()}>
        <p class="cfg-problem" id={`${helpId}-problem`}>
          {problem()}
        </p>
      </Show>
      <Show when={override()}>
        {(o) => (
          <p class="cfg-override" id={`${helpId}-override`}>
            {t("config.fields.overridden", { by: o().by, value: o().value })}
          </p>
        )}
      </Show>
    </div>
  );
}

// ---- secrets -------------------------------------------------------------------------------------

function SecretField(props: { id: string; shown: string; parent: string }): JSX.Element {
  const editor = useEditor();
  const node = () => editor.draft.state.nodes[props.shown];
  const labelId = `${domId(props.id)}-label`;
  const inputId = `${domId(props.id)}-secret`;
  const helpId = `${domId(props.id)}-help`;
  const [open, setOpen] = createSignal(false);
  const [value, setValue] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  const [issues, setIssues] = createSignal<ConfigIssue[]>([]);
  const envName = () => (node().kind === "env" ? (node().value as { env?: string } | undefined)?.env : undefined);
  const stored = () => !!envName() && editor.secrets().includes(envName()!);
  let input: HTMLInputElement | undefined;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    setIssues([]);
    try {
      const result = await call("POST /api/config/secret", {
        body: {
          path: node().orig!.path,
          value: value(),
        },
      });
      setValue("");
      setOpen(false);
      await editor.secretSaved(
        t("config.fields.secret.saved", { env: result.env, path: node().orig!.path, version: result.version }),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      if (e instanceof ApiError) setIssues(issuesOf(e.body));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="cfg-node cfg-leaf cfg-secret" id={domId(props.id)}>
      <Head
        {...props}
        labelId={labelId}
        extra={
          <span class="badge" title={t("config.fields.secret.badgeTitle")}>
            {t("config.fields.secret.badge")}
          </span>
        }
      />
      <div class="cfg-input">
        <output class="cfg-snippet" aria-labelledby={labelId} aria-describedby={helpId}>
          {envName() ? `env("${envName()}")` : String(node().value ?? "")}
        </output>
        <Show when={!open()}>
          <button
            type="button"
            class="cfg-small"
            data-control="value"
            onClick={() => (setOpen(true), queueMicrotask(() => input?.focus()))}
          >
            {t("config.fields.secret.replace")}
          </button>
        </Show>
      </div>
      <p class="cfg-help" id={helpId}>
        {t("config.fields.secret.help", {
          source: envName()
            ? stored()
              ? t("config.fields.secret.stored", { env: envName()! })
              : t("config.fields.secret.fromEnv", { env: envName()! })
            : t("config.fields.secret.literal"),
        })}
      </p>
      <Show when={open()}>
        <form class="cfg-secret-form" onSubmit={save}>
          <label for={inputId}>{t("config.fields.secret.newValue", { key: String(node().key) })}</label>
          <input
            id={inputId}
            ref={input}
            type="password"
            autocomplete="new-password"
            spellcheck={false}
            value={value()}
            onInput={(e) => setValue(e.currentTarget.value)}
            required
          />
          <p class="cfg-help">{t("config.fields.secret.formHelp")}</p>
          <Show when={editor.pendingCount() > 0}>
            <p class="notice">{t("config.fields.secret.pendingFirst", editor.pendingCount())}</p>
          </Show>
          <Show when={error()}>
            <div class="error" role="alert">
              {error()}
              <Show when={issues().length > 0}>
                <ul>
                  {issues().map((i) => (
                    <li>
                      <code>{i.path}</code> {i.message}
                    </li>
                  ))}
                </ul>
              </Show>
            </div>
          </Show>
          <div class="row">
            <button type="submit" class="primary" disabled={busy() || value() === "" || editor.pendingCount() > 0}>
              {busy() ? t("config.fields.secret.saving") : t("config.fields.secret.save")}
            </button>
            <button type="button" onClick={() => (setOpen(false), setValue(""), setError(""))}>
              {t("config.fields.secret.cancel")}
            </button>
          </div>
        </form>
      </Show>
    </div>
  );
}

// ---- read-only (code) ----------------------------------------------------------------------------

/** The code a node is written as, from the masked text (offsets shifted by the masked secrets before it). */
function snippetOf(source: string, nodes: Record<string, DNode>, node: DNode): string | undefined {
  const orig = node.orig;
  if (!orig) return undefined;
  let shift = 0;
  let inner = 0;
  for (const n of Object.values(nodes)) {
    if (!n.orig || !n.secret || !["string", "number", "regexp"].includes(n.kind)) continue;
    const delta = String(n.orig.value ?? "").length + 2 - (n.orig.end - n.orig.start);
    if (n.orig.end <= orig.start) shift += delta;
    else if (n.orig.start >= orig.start && n.orig.end <= orig.end) inner += delta;
  }
  const start = orig.start + shift;
  const lineOfStart = source.slice(0, start).split("\n").length;
  const text =
    lineOfStart === orig.line ? source.slice(start, orig.end + shift + inner) : source.split("\n")[orig.line - 1];
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

function ReadOnlyField(props: { id: string; shown: string; parent: string; note?: string }): JSX.Element {
  const editor = useEditor();
  const node = () => editor.draft.state.nodes[props.shown];
  const labelId = `${domId(props.id)}-label`;
  const helpId = `${domId(props.id)}-help`;
  const envName = () => (node().kind === "env" ? (node().value as { env?: string } | undefined)?.env : undefined);
  const snippet = () =>
    envName() && !node().orig ? `env("${envName()}")` : snippetOf(editor.source(), editor.draft.state.nodes, node());
  const note = () => {
    if (props.note) return props.note;
    if (envName()) return t("config.fields.readOnly.env", { env: envName()! });
    if (node().kind === "call")
      return t("config.fields.readOnly.call", { callee: node().callee ?? t("config.fields.readOnly.thisPlugin") });
    return t("config.fields.readOnly.code");
  };
  return (
    <div
      class="cfg-node cfg-leaf cfg-readonly"
      id={domId(props.id)}
      classList={{ "cfg-long": (snippet()?.length ?? 0) > 48 }}
    >
      <Head
        {...props}
        labelId={labelId}
        extra={
          <span class="badge">
            {envName()
              ? "env"
              : node().kind === "call"
                ? t("config.fields.readOnly.badgePlugin")
                : t("config.fields.readOnly.badgeCode")}
          </span>
        }
      />
      <div class="cfg-input">
        <output
          class="cfg-snippet"
          aria-labelledby={labelId}
          aria-describedby={helpId}
          tabindex="0"
          data-control="value"
        >
          {snippet() ?? t("config.fields.readOnly.snippetCode")}
        </output>
      </div>
      <p class="cfg-help" id={helpId}>
        {note()}
        <Show when={node().orig?.line}>
          {" "}
          <button type="button" class="cfg-link" onClick={() => editor.showInCode(node().orig!.line)}>
            {t("config.fields.readOnly.line", { line: node().orig!.line })}
          </button>
        </Show>
      </p>
    </div>
  );
}

// ---- containers ----------------------------------------------------------------------------------

function GroupField(props: { id: string; shown: string; parent: string }): JSX.Element {
  const { draft } = useEditor();
  const node = () => draft.state.nodes[props.shown];
  const labelId = `${domId(props.id)}-label`;
  const asText = () => {
    const n = node();
    if (n.kind !== "object") return undefined;
    const form = objectForm(draft.state.nodes[props.id]?.schema ?? n.schema);
    const keys = childIds(draft.state, n.id).map((c) => draft.state.nodes[c].key);
    if (!form || keys.length !== 1 || keys[0] !== form.key) return undefined;
    const only = childIds(draft.state, n.id)[0];
    return typeof leafValue(draft.state, only) === "string" ? (leafValue(draft.state, only) as string) : undefined;
  };
  return (
    <fieldset
      class="cfg-node cfg-group"
      id={domId(props.id)}
      aria-labelledby={labelId}
      classList={{ "cfg-changed": !!changeState(draft, props.id, props.shown, props.parent) }}
    >
      <div class="cfg-group-head">
        <Head
          {...props}
          labelId={labelId}
          extra={
            <Show when={asText() !== undefined}>
              <button
                type="button"
                class="cfg-small"
                title={t("config.fields.shortFormTitle")}
                onClick={() => draft.replace(props.parent, props.id, asText()!)}
              >
                {t("config.fields.shortForm")}
              </button>
            </Show>
          }
        />
      </div>
      <Show when={describe(node().schema)}>
        <p class="cfg-help">{describe(node().schema)}</p>
      </Show>
      <ContainerBody id={props.shown} />
    </fieldset>
  );
}

function PluginCard(props: { id: string; shown: string; parent: string }): JSX.Element {
  const { draft } = useEditor();
  const node = () => draft.state.nodes[props.shown];
  const labelId = `${domId(props.id)}-label`;
  const options = () => childIds(draft.state, props.shown)[0];
  const optionsNode = () => draft.state.nodes[shownId(draft.state, options())];
  return (
    <fieldset class="cfg-node cfg-group cfg-plugin" id={domId(props.id)} aria-labelledby={labelId}>
      <div class="cfg-group-head">
        <Head {...props} labelId={labelId} extra={<code class="cfg-callee">{node().callee ?? "plugin"}(…)</code>} />
      </div>
      <Show
        when={optionsNode()?.kind === "object"}
        fallback={
          <p class="cfg-help">
            {node().orig?.line
              ? t("config.fields.pluginOptionsCodeAt", { line: node().orig!.line })
              : t("config.fields.pluginOptionsCode")}
          </p>
        }
      >
        <ContainerBody id={optionsNode().id} />
      </Show>
    </fieldset>
  );
}

/** The members of an object (a grid) or an array (an ordered list), removed originals, and the add controls. */
export function ContainerBody(props: { id: string }): JSX.Element {
  const { draft } = useEditor();
  const s = draft.state;
  const node = () => s.nodes[props.id];
  const list = () => childIds(s, props.id);
  const removed = () => {
    const current = list();
    const copies = new Set(current.map((c) => s.nodes[c]?.copyOf).filter(Boolean));
    return (node().children ?? []).filter((c) => s.nodes[c]?.orig && !current.includes(c) && !copies.has(c));
  };
  /** The tier whose `models` this list is (a tier in the file), for the model picker. */
  const tierOfModels = () => /^tiers\.([^.[\]]+)\.models$/.exec(node().orig?.path ?? "")?.[1];
  const removedLabel = (c: string) => {
    const n = s.nodes[c];
    const preview = typeof n.value === "string" && !n.secret ? ` "${n.value}"` : "";
    return node().kind === "array" ? `#${(node().children ?? []).indexOf(c) + 1}${preview}` : `${String(n.key)}`;
  };
  return (
    <>
      <Show when={list().length === 0}>
        <p class="muted cfg-empty">
          {node().kind === "array" ? t("config.fields.emptyList") : t("config.fields.emptyObject")}
        </p>
      </Show>
      <Show
        when={node().kind === "array"}
        fallback={
          <div class="cfg-grid">
            <For each={list()}>{(c) => <NodeView id={c} parent={props.id} />}</For>
          </div>
        }
      >
        <ol class="cfg-list">
          <For each={list()}>
            {(c) => (
              <li class="cfg-item">
                <NodeView id={c} parent={props.id} />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={removed().length > 0}>
        <ul class="cfg-removed" aria-label={t("config.fields.removedLabel")}>
          <For each={removed()}>
            {(c) => (
              <li>
                <s>{removedLabel(c)}</s> <span class="muted">{t("config.fields.removed")}</span>
                <button type="button" class="cfg-small" onClick={() => draft.restore(props.id, c)}>
                  {t("config.fields.restore")}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <AddControls id={props.id} />
      <Show when={tierOfModels()}>
        {(tier) => (
          <ModelPicker
            tier={tier()}
            present={list()
              .map((c) => leafValue(s, shownId(s, c)))
              .filter((v): v is string => typeof v === "string")}
            onPick={(ref) => draft.add(props.id, ref)}
          />
        )}
      </Show>
    </>
  );
}

// ---- adding members ------------------------------------------------------------------------------

function AddControls(props: { id: string }): JSX.Element {
  const { draft } = useEditor();
  const s = draft.state;
  const node = () => s.nodes[props.id];
  const schema = () => narrow(node().schema, node().kind);
  const name = () => (node().key === "options" ? "options" : String(node().key));
  const present = () => new Set(childIds(s, props.id).map((c) => String(s.nodes[c]?.key)));
  const [key, setKey] = createSignal("");
  const [keyError, setKeyError] = createSignal("");
  const [picked, setPicked] = createSignal("");
  const keyInputId = () => `${domId(props.id)}-newkey`;

  const itemSchema = () => childSchema(schema(), 0);
  /** A value for a new array element: from the items schema, else like the elements already there. */
  const newItem = (): JsonValue | undefined => {
    if (itemSchema()) return skeleton(itemSchema());
    const kinds = new Set(childIds(s, props.id).map((c) => s.nodes[c]?.kind));
    if (kinds.size === 1 && kinds.has("string")) return "";
    if (kinds.size === 1 && kinds.has("number")) return 0;
    return undefined;
  };
  const missing = createMemo(() =>
    node().kind === "object" ? propertyNames(schema()).filter((k) => !present().has(k)) : [],
  );
  const record = () => (node().kind === "object" ? recordOf(schema()) : undefined);
  const removedOriginal = (k: string) =>
    (node().children ?? []).find(
      (c) => s.nodes[c]?.orig && String(s.nodes[c].key) === k && !childIds(s, props.id).includes(c),
    );
  const addProperty = (k: string) => {
    const original = removedOriginal(k);
    if (original) draft.restore(props.id, original);
    else draft.add(props.id, skeleton(childSchema(schema(), k)), k);
  };
  const addKey = (event: SubmitEvent) => {
    event.preventDefault();
    const k = key().trim();
    const r = record();
    if (!k) return void setKeyError(t("config.fields.add.enterName"));
    if (present().has(k)) return void setKeyError(t("config.fields.add.exists", { key: k }));
    if (r?.pattern) {
      try {
        if (!new RegExp(r.pattern).test(k))
          return void setKeyError(t("config.fields.add.mustMatch", { pattern: r.pattern }));
      } catch {
        // no usable pattern
      }
    }
    setKeyError("");
    setKey("");
    addProperty(k);
  };

  return (
    <Show when={!node().secret && (node().kind === "array" || node().kind === "object")}>
      <div class="cfg-add">
        <Show when={node().kind === "array"}>
          <Show when={!isPluginSchema(itemSchema())} fallback={<p class="cfg-help">{t("config.fields.pluginNote")}</p>}>
            <Show when={newItem() !== undefined}>
              <button
                type="button"
                class="cfg-small"
                aria-label={t("config.fields.add.itemLabel", { name: name() })}
                onClick={() => draft.add(props.id, newItem()!)}
              >
                {t("config.fields.add.item")}
              </button>
            </Show>
          </Show>
        </Show>
        <Show when={missing().length > 0 && missing().length <= 6}>
          <For each={missing()}>
            {(k) => (
              <button
                type="button"
                class="cfg-small"
                title={describe(childSchema(schema(), k)) ?? t("config.fields.add.setTitle", { key: k })}
                aria-label={t("config.fields.add.keyLabel", { key: k, name: name() })}
                onClick={() => addProperty(k)}
              >
                + {k}
              </button>
            )}
          </For>
        </Show>
        <Show when={missing().length > 6}>
          <select
            aria-label={t("config.fields.add.settingLabel", { name: name() })}
            value={picked()}
            onChange={(e) => setPicked(e.currentTarget.value)}
          >
            <option value="">{t("config.fields.add.setting")}</option>
            <For each={missing()}>{(k) => <option value={k}>{k}</option>}</For>
          </select>
          <button
            type="button"
            class="cfg-small"
            disabled={!picked()}
            onClick={() => (addProperty(picked()), setPicked(""))}
          >
            {t("config.fields.add.add")}
          </button>
        </Show>
        <Show when={record()}>
          {(r) => (
            <Show when={!isPluginSchema(r().value)} fallback={<p class="cfg-help">{t("config.fields.pluginNote")}</p>}>
              <form class="cfg-add-key" onSubmit={addKey}>
                <label class="cfg-sr" for={keyInputId()}>
                  {t("config.fields.add.newName", { name: name() })}
                </label>
                <input
                  id={keyInputId()}
                  placeholder={t("config.fields.add.newNamePlaceholder", { name: name() })}
                  value={key()}
                  spellcheck={false}
                  autocomplete="off"
                  aria-invalid={keyError() ? true : undefined}
                  onInput={(e) => setKey(e.currentTarget.value)}
                />
                <button type="submit" class="cfg-small">
                  {t("config.fields.add.addKey")}
                </button>
                <Show when={keyError()}>
                  <span class="cfg-problem" role="alert">
                    {keyError()}
                  </span>
                </Show>
              </form>
            </Show>
          )}
        </Show>
      </div>
    </Show>
  );
}
