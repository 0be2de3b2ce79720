/**
 * The config editor's model: the API's shapes (GET /api/config and friends), JSON-Schema helpers, and the
 * draft — the tree as the admin is editing it — from which the pending `Edit`s are computed.
 *
 * The draft keeps the server's tree untouched and records changes beside it: new leaf values, the child
 * order of containers that gained or lost members, and whole values replaced (a model string turned into
 * an entry object). New members are "synthetic" nodes (ids `+1`, `+2`, ...) built from JSON values.
 * Edits are derived, never accumulated, so typing a value back to what it was leaves nothing to apply:
 *   1. `set` for every changed literal, by its original path (structure untouched so far);
 *   2. `remove` for every original member gone, from the end of the file up (paths before it stay valid);
 *   3. `insert` for every new member, in document order, with its final path and position (everything
 *      before it is already in place). A moved member is a remove plus an insert of a copy.
 */
import { createStore, produce } from "solid-js/store";

// ---- API shapes --------------------------------------------------------------------------------

// The server's own types (imported as types only: nothing of the server runs in the browser).
export type { Kind } from "../../../src/config/ast.ts";
export type { ConfigIssue } from "../../../src/config/resolve.ts";
export type { Edit, JsonValue } from "../../../src/config-editor/source-edit.ts";
export type { SchemaLike as Schema, TreeNode } from "../../../src/config-editor/source-tree.ts";

import type { Kind } from "../../../src/config/ast.ts";
import type { ConfigIssue } from "../../../src/config/resolve.ts";
import type { Edit, JsonValue } from "../../../src/config-editor/source-edit.ts";
import type { SchemaLike as Schema, TreeNode } from "../../../src/config-editor/source-tree.ts";

export type { DiffLine, Hunk } from "../../../src/config-editor/diff.ts";

export type {
  ConfigAnswer as ConfigResponse,
  HistoryVersion,
  ValidateAnswer as ValidateResponse,
} from "../api.ts";

/** The issues of a refused apply (400 with `{ ok: false, issues }`), when the error carries them. */
export function issuesOf(body: unknown): ConfigIssue[] {
  const issues = (body as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as ConfigIssue[]) : [];
}

// ---- paths ---------------------------------------------------------------------------------------

export type Segment = string | number;
const BARE_KEY = /^[^.[\]"]+$/;

/** Same notation as the server (src/config/ast.ts): `pricing["openai/gpt-4.1"].input`, `models[2]`. */
export function formatPath(segments: Segment[]): string {
  return segments
    .map((s, i) =>
      typeof s === "number" ? `[${s}]` : BARE_KEY.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`,
    )
    .join("");
}

/** A path without its last segment ("" at the top), for issue paths that name something not shown. */
export function parentPath(path: string): string | undefined {
  const match = /(\.[^.[\]"]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  if (!match) return path.includes(".") || path.includes("[") || path === "" ? undefined : "";
  return path.slice(0, match.index);
}

// ---- schemas -------------------------------------------------------------------------------------

const asSchema = (value: unknown): Schema | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
const anyOf = (schema: Schema | undefined): Schema[] | undefined =>
  Array.isArray(schema?.anyOf) ? (schema.anyOf as unknown[]).map((s) => asSchema(s) ?? {}) : undefined;

const KIND_TYPES: Partial<Record<Kind, string[]>> = {
  string: ["string"],
  number: ["number", "integer"],
  boolean: ["boolean"],
  null: ["null"],
  object: ["object"],
  array: ["array"],
  regexp: ["regexp"],
  env: ["object"],
};

/** The member of a union that fits what is written (the server's `narrow`); the schema itself otherwise. */
export function narrow(schema: Schema | undefined, kind: Kind): Schema | undefined {
  const options = anyOf(schema);
  if (!options) return schema;
  const fitting = options.filter((o) => KIND_TYPES[kind]?.includes(String(o.type)));
  if (fitting.length === 1)
    return narrow({ ...(schema?.description ? { description: schema.description } : {}), ...fitting[0] }, kind);
  return fitting.length > 1 ? { ...schema, anyOf: fitting } : schema;
}

/** Allowed values when the schema is an enum (`enum`, `const`, or a union of constants). */
export function enumOf(schema: Schema | undefined): (string | number | boolean)[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum as (string | number | boolean)[];
  if ("const" in schema) return [schema.const as string];
  const options = anyOf(schema);
  if (options && options.length > 0 && options.every((o) => "const" in o)) return options.map((o) => o.const as string);
  return undefined;
}

/** The description of a field, from the schema or the union around it. */
export function describe(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  if (typeof schema.description === "string") return schema.description;
  return anyOf(schema)?.find((o) => typeof o.description === "string" && !/^env\(/.test(o.description))?.description as
    | string
    | undefined;
}

/** The schema of a child: object properties, record values (patternProperties / additionalProperties), array items. */
export function childSchema(schema: Schema | undefined, key: Segment): Schema | undefined {
  if (!schema) return undefined;
  if (typeof key === "number") {
    if (Array.isArray(schema.items)) return asSchema((schema.items as unknown[])[key]);
    return schema.type === "array" ? asSchema(schema.items) : undefined;
  }
  const property = asSchema(asSchema(schema.properties)?.[key]);
  if (property) return property;
  for (const [pattern, value] of Object.entries(asSchema(schema.patternProperties) ?? {})) {
    try {
      if (new RegExp(pattern).test(key)) return asSchema(value);
    } catch {
      // an unusable pattern: no schema
    }
  }
  return asSchema(schema.additionalProperties);
}

export const requiredKeys = (schema: Schema | undefined): string[] =>
  Array.isArray(schema?.required) ? (schema.required as string[]) : [];
export const propertyNames = (schema: Schema | undefined): string[] => Object.keys(asSchema(schema?.properties) ?? {});

/** Free-form keys: a record (`{ [name]: value }`) rather than a fixed set of properties. */
export function recordOf(schema: Schema | undefined): { pattern?: string; value?: Schema } | undefined {
  if (schema?.type !== "object") return undefined;
  const patterns = Object.entries(asSchema(schema.patternProperties) ?? {});
  if (patterns.length > 0)
    return { pattern: patterns[0][0] === "^(.*)$" ? undefined : patterns[0][0], value: asSchema(patterns[0][1]) };
  const additional = asSchema(schema.additionalProperties);
  if (additional && propertyNames(schema).length === 0) return { value: additional };
  return undefined;
}

/**
 * A plugin position (a provider, classifier, rule, adapter): plugins are function calls, which a JSON
 * edit cannot write, so the editor offers no "add" there.
 */
export function isPluginSchema(schema: Schema | undefined): boolean {
  return (
    !!schema &&
    schema.additionalProperties === true &&
    requiredKeys(schema).includes("name") &&
    !!asSchema(schema.properties)?.name
  );
}

/** A minimal valid-looking value for a new member: required properties, `minItems` items, the first enum value. */
export function skeleton(schema: Schema | undefined, depth = 0): JsonValue {
  if (!schema || depth > 6) return "";
  const values = enumOf(schema);
  if (values) return values[0] as JsonValue;
  const options = anyOf(schema);
  if (options) return skeleton(options.find((o) => o.type !== "null" && o.type !== "regexp") ?? options[0], depth + 1);
  if ("default" in schema) return schema.default as JsonValue;
  switch (schema.type) {
    case "string":
      return "";
    case "number":
    case "integer":
      return typeof schema.minimum === "number" ? Math.max(schema.minimum, 0) : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    case "array":
      return Array.from({ length: typeof schema.minItems === "number" ? Math.min(schema.minItems, 3) : 0 }, () =>
        skeleton(childSchema(schema, 0), depth + 1),
      );
    case "object":
      return Object.fromEntries(requiredKeys(schema).map((k) => [k, skeleton(childSchema(schema, k), depth + 1)]));
    default:
      return "";
  }
}

/** The union's object form with a required string property (a model as `"p/m"` or `{ model: "p/m", ... }`). */
export function objectForm(schema: Schema | undefined): { key: string; schema: Schema } | undefined {
  const options = anyOf(schema);
  const hasString = options?.some((o) => o.type === "string");
  // An env reference's schema ({ name }) is not an object form: env() is code, written as { $env }.
  const object = options?.find((o) => o.type === "object" && !/^env\(/.test(String(o.description ?? "")));
  if (!hasString || !object) return undefined;
  const key = requiredKeys(object).find((k) => childSchema(object, k)?.type === "string");
  return key ? { key, schema: object } : undefined;
}

// ---- the draft -----------------------------------------------------------------------------------

export const ROOT = "$root";
const LEAF_KINDS = new Set<Kind>(["string", "number", "boolean", "null", "regexp", "env", "expression"]);
export const isLeafKind = (kind: Kind) => LEAF_KINDS.has(kind);

export interface DNode {
  /** The original path for nodes of the server's tree; `+n` for new ones. */
  id: string;
  orig?: Omit<TreeNode, "children">;
  key: string | number;
  kind: Kind;
  schema?: Schema;
  editable: boolean;
  secret: boolean;
  callee?: string;
  line: number;
  value?: unknown;
  children?: string[];
  /** For a new node that carries an original's value elsewhere (a move). */
  copyOf?: string;
}

export interface DraftState {
  nodes: Record<string, DNode>;
  /** New leaf values by node id. */
  values: Record<string, unknown>;
  /** Child order of containers whose members changed. */
  lists: Record<string, string[]>;
  /** Original id → the new node that replaces its whole value. */
  replaced: Record<string, string>;
  /** A control to focus once it is rendered again (after a move remounts an item): `${id}|${control}`. */
  focus?: string;
}

let sequence = 0;

function fromTree(tree: TreeNode[]): DraftState {
  const nodes: Record<string, DNode> = {};
  const add = (t: TreeNode): string => {
    const { children, ...orig } = t;
    nodes[t.path] = {
      id: t.path,
      orig,
      key: t.key,
      kind: t.kind,
      schema: t.schema,
      editable: t.editable,
      secret: !!t.secret,
      callee: t.callee,
      line: t.line,
      value: t.value,
      children: children?.map(add),
    };
    return t.path;
  };
  nodes[ROOT] = { id: ROOT, key: "", kind: "object", editable: false, secret: false, line: 0, children: tree.map(add) };
  return { nodes, values: {}, lists: {}, replaced: {} };
}

function jsonKind(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    if ("$regexp" in (value as object)) return "regexp";
    if ("$env" in (value as object)) return "env";
    return "object";
  }
  return typeof value as Kind;
}

/** New nodes for a JSON value (mutates `nodes`); returns the new node's id. */
function synth(
  nodes: Record<string, DNode>,
  value: JsonValue,
  schema: Schema | undefined,
  key: string | number,
  copyOf?: string,
): string {
  const id = `+${++sequence}`;
  const kind = jsonKind(value);
  const node: DNode = { id, key, kind, schema, editable: true, secret: false, line: 0, copyOf };
  if (kind === "object") {
    const inner = narrow(schema, "object");
    node.children = Object.entries(value as Record<string, JsonValue>).map(([k, v]) =>
      synth(nodes, v, childSchema(inner, k), k),
    );
  } else if (kind === "array") {
    const inner = narrow(schema, "array");
    node.children = (value as JsonValue[]).map((v, i) => synth(nodes, v, childSchema(inner, i), i));
  } else if (kind === "env") {
    node.value = { env: (value as { $env: string }).$env };
    node.editable = false;
  } else node.value = value;
  nodes[id] = node;
  return id;
}

export const childIds = (s: DraftState, id: string): string[] => s.lists[id] ?? s.nodes[id]?.children ?? [];
/** The node shown for an id: its replacement when its whole value was replaced. */
export const shownId = (s: DraftState, id: string): string => s.replaced[id] ?? id;
export const leafValue = (s: DraftState, id: string): unknown => (id in s.values ? s.values[id] : s.nodes[id]?.value);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether a node's current value can be written as JSON (no code, no masked secret inside). */
export function serializable(s: DraftState, id: string): boolean {
  const n = s.nodes[shownId(s, id)];
  if (!n) return false;
  if (n.kind === "call" || n.kind === "expression") return false;
  if (n.secret && n.kind !== "env") return false;
  return childIds(s, n.id).every((c) => serializable(s, c));
}

export function toJson(s: DraftState, id: string): JsonValue {
  const n = s.nodes[shownId(s, id)];
  switch (n.kind) {
    case "object":
      return Object.fromEntries(childIds(s, n.id).map((c) => [String(s.nodes[c].key), toJson(s, c)]));
    case "array":
      return childIds(s, n.id).map((c) => toJson(s, c));
    case "env":
      return { $env: (n.value as { env: string }).env };
    case "call":
    case "expression":
      throw new Error(`${n.orig?.path ?? n.key} is code and cannot be copied`);
    default:
      return leafValue(s, n.id) as JsonValue;
  }
}

/** The pending edits, in the order the server must apply them (see the header). */
export function computeEdits(s: DraftState): Edit[] {
  const sets: Edit[] = [];
  const removes: { start: number; edit: Edit }[] = [];
  const inserts: Edit[] = [];
  const visitOriginal = (id: string) => {
    const n = s.nodes[id];
    const replacement = s.replaced[id];
    if (replacement && n.orig) {
      const value = toJson(s, replacement);
      if (!(isLeafKind(n.kind) && same(value, n.value))) sets.push({ op: "set", path: n.orig.path, value });
      return;
    }
    if (isLeafKind(n.kind)) {
      if (n.orig && id in s.values && !same(s.values[id], n.value))
        sets.push({ op: "set", path: n.orig.path, value: s.values[id] as JsonValue });
      return;
    }
    const final = childIds(s, id);
    for (const c of n.children ?? []) {
      const child = s.nodes[c];
      if (!final.includes(c) && child.orig)
        removes.push({ start: child.orig.start, edit: { op: "remove", path: child.orig.path } });
    }
    for (const c of final) if (s.nodes[c].orig) visitOriginal(c);
  };
  const visitFinal = (id: string, path: Segment[]) => {
    const n = s.nodes[id];
    if (s.replaced[id] || isLeafKind(n.kind)) return;
    const array = n.kind === "array";
    childIds(s, id).forEach((c, i) => {
      const child = s.nodes[c];
      if (!child.orig) {
        const edit: Edit = array
          ? { op: "insert", path: formatPath(path), index: i, value: toJson(s, c) }
          : { op: "insert", path: formatPath(path), key: String(child.key), index: i, value: toJson(s, c) };
        inserts.push(edit);
      } else visitFinal(c, [...path, array ? i : child.key]);
    });
  };
  visitOriginal(ROOT);
  visitFinal(ROOT, []);
  return [...sets, ...removes.sort((a, b) => b.start - a.start).map((r) => r.edit), ...inserts];
}

/** Where each shown node is in the edited file: final path → node id (for issues of a candidate). */
export function finalPaths(s: DraftState): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (id: string, path: Segment[]) => {
    const shown = shownId(s, id);
    const n = s.nodes[shown];
    const array = n.kind === "array";
    childIds(s, shown).forEach((c, i) => {
      const childPath = [...path, array ? i : s.nodes[c].key];
      out.set(formatPath(childPath), c);
      walk(c, childPath);
    });
  };
  walk(ROOT, []);
  return out;
}

/** The node an issue is about: its path in the edited file, else a node on its line, else the nearest parent. */
export function nodeForIssue(s: DraftState, issue: ConfigIssue, paths = finalPaths(s)): string | undefined {
  if (paths.has(issue.path)) return paths.get(issue.path);
  if (issue.line) {
    const onLine = [...paths.values()].filter((id) => s.nodes[id]?.line === issue.line);
    const first = issue.path.split(/[.[]/)[0];
    const best =
      onLine.filter((id) => s.nodes[id].orig?.path.startsWith(first)).sort((a, b) => b.length - a.length)[0] ??
      onLine[0];
    if (best) return best;
  }
  for (let path = parentPath(issue.path); path; path = parentPath(path)) if (paths.has(path)) return paths.get(path);
  return undefined;
}

/** The draft store and its actions; `reset` starts over from a tree. */
export function createDraft(tree: TreeNode[]) {
  const [state, setState] = createStore<DraftState>(fromTree(tree));
  const mutate = (fn: (s: DraftState) => void) => setState(produce(fn));

  return {
    state,
    reset(next: TreeNode[]) {
      setState(fromTree(next));
    },
    setValue(id: string, value: unknown) {
      mutate((s) => {
        const n = s.nodes[id];
        if (n && !n.orig) n.value = value;
        else s.values[id] = value;
      });
    },
    /** Back to the file's value: a changed literal, or a replaced whole value. */
    revert(id: string) {
      mutate((s) => {
        delete s.values[id];
        delete s.replaced[id];
      });
    },
    /** Adds a member built from a JSON value; returns its id. */
    add(parent: string, value: JsonValue, key?: string, index?: number): string {
      let id = "";
      mutate((s) => {
        const p = s.nodes[parent];
        const inner = narrow(p.schema, p.kind);
        const list = [...childIds(s, parent)];
        const at = index ?? list.length;
        id = synth(s.nodes, value, childSchema(inner, key ?? at), key ?? at);
        list.splice(at, 0, id);
        s.lists[parent] = list;
        s.focus = `${id}|value`;
      });
      return id;
    },
    remove(parent: string, id: string) {
      mutate((s) => {
        s.lists[parent] = childIds(s, parent).filter((c) => c !== id);
        if (!s.nodes[id].orig) delete s.nodes[id];
      });
    },
    /** Puts a removed original back, after the originals that were before it. */
    restore(parent: string, id: string) {
      mutate((s) => {
        const originals = s.nodes[parent].children ?? [];
        const list = [...childIds(s, parent)];
        const before = new Set(originals.slice(0, originals.indexOf(id)));
        let at = 0;
        list.forEach((c, i) => {
          if (before.has(c)) at = i + 1;
        });
        list.splice(at, 0, id);
        s.lists[parent] = list;
      });
    },
    /** Moves an array member one place (an original becomes a copy: remove + insert). */
    move(parent: string, id: string, delta: -1 | 1, control: string) {
      mutate((s) => {
        const list = [...childIds(s, parent)];
        const from = list.indexOf(id);
        const to = from + delta;
        if (from < 0 || to < 0 || to >= list.length) return;
        let moved = id;
        if (s.nodes[id].orig) {
          const p = s.nodes[parent];
          moved = synth(s.nodes, toJson(s, id), s.nodes[id].schema ?? childSchema(narrow(p.schema, p.kind), 0), 0, id);
        }
        list.splice(from, 1);
        list.splice(to, 0, moved);
        // Copies whose originals are back in their original order are the originals again.
        const originals = s.nodes[parent].children ?? [];
        const restored = list.map((c) => {
          const copy = s.nodes[c];
          return copy.copyOf && !list.includes(copy.copyOf) && same(toJson(s, c), toJson(s, copy.copyOf))
            ? copy.copyOf
            : c;
        });
        const order = restored.filter((c) => originals.includes(c));
        const inOrder = order.every((c, i) => i === 0 || originals.indexOf(order[i - 1]) < originals.indexOf(c));
        const final =
          inOrder && order.length === originals.length && restored.length === originals.length ? restored : list;
        s.lists[parent] = final;
        s.focus = `${final[to]}|${control}`;
      });
    },
    /** Replaces a node's whole value (string ⇄ object form). */
    replace(parent: string, id: string, value: JsonValue) {
      mutate((s) => {
        const original =
          Object.keys(s.replaced).find((k) => s.replaced[k] === id) ?? (s.nodes[id].orig ? id : undefined);
        const base = s.nodes[original ?? id];
        const next = synth(s.nodes, value, base.schema, base.key);
        if (original) {
          const o = s.nodes[original];
          if (isLeafKind(o.kind) && same(value, o.value) && !(original in s.values)) delete s.replaced[original];
          else s.replaced[original] = next;
        } else {
          s.lists[parent] = childIds(s, parent).map((c) => (c === id ? next : c));
        }
        s.focus = `${original ?? next}|value`;
      });
    },
    clearFocus() {
      setState("focus", undefined);
    },
  };
}

export type Draft = ReturnType<typeof createDraft>;
