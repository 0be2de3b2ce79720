/**
 * Surgical edits of `gateway.config.ts` (DESIGN §6): `set` replaces only the source span of a literal;
 * `insert` / `remove` add or take out one array element or object property with its comma, in the
 * file's own quote style, indentation and trailing-comma habit. Every other byte stays as it was.
 *
 * Edits apply in order, each to the result of the ones before (the file is parsed again in between), as
 * in JSON Patch: a later edit's path names the document as the earlier edits left it (to remove several
 * elements of one array by their original positions, list them from the highest index down). Paths are
 * source positions, as in source-tree.ts. A batch is all or nothing.
 */
import {
  commaAfter,
  findConfigRoot,
  forEachNode,
  formatPath,
  indentAt,
  isLiteralTree,
  type Kind,
  kindOfMember,
  lineStart,
  type Member,
  memberAt,
  members,
  type Node,
  parsePath,
  parseProgram,
  type Segment,
} from "../config/ast.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/**
 * `{ "$env": "NAME" }` in a value writes `env("NAME")`; `{ "$regexp": "a+", "flags": "i" }` writes `/a+/i`;
 * `{ "$call": "openai", "args": [{…}] }` writes `openai({…})`, a factory of plugins/index.ts (imported if missing).
 */
export type Edit =
  | { op: "set"; path: string; value: JsonValue }
  | { op: "insert"; path: string; index?: number; key?: string; value: JsonValue }
  | { op: "remove"; path: string };
interface EditError {
  path: string;
  message: string;
}

class EditFailure extends Error {}
function fail(message: string): never {
  throw new EditFailure(message);
}

interface Change {
  start: number;
  end: number;
  text: string;
}

interface Context {
  source: string;
  program: Node;
  root: Node;
  functions: Node[];
  quote: string;
  indent: string;
  trailingComma: boolean;
  /** "\r\n" in a Windows-edited file, so new lines match the others. */
  eol: string;
}

export function applyEdits(source: string, edits: Edit[]): { source: string } | { errors: EditError[] } {
  let current = source;
  const errors: EditError[] = [];
  for (const edit of edits) {
    try {
      const next = applyChanges(current, plan(context(current), edit));
      // A safety net, not a feature: an edit that breaks the syntax is a bug here, never written.
      const { error } = parseProgram(next);
      if (error) fail(`the edit would not parse (${error})`);
      current = next;
    } catch (error) {
      if (!(error instanceof EditFailure)) throw error;
      errors.push({ path: String(edit?.path ?? ""), message: error.message });
    }
  }
  return errors.length > 0 ? { errors } : { source: current };
}

function applyChanges(source: string, changes: Change[]): string {
  let out = source;
  for (const c of [...changes].sort((a, b) => b.start - a.start))
    out = out.slice(0, c.start) + c.text + out.slice(c.end);
  return out;
}

/** The parsed file and its habits: quote character, indentation unit, trailing commas in multi-line literals. */
function context(source: string): Context {
  const { program, error } = parseProgram(source);
  if (!program || error) return fail(`the config does not parse: ${error}`);
  const { node: root, functions } = findConfigRoot(program);
  if (root?.type !== "ObjectExpression")
    return fail("the default export is not an object literal, so nothing in it can be edited");
  let [double, single, withComma, withoutComma] = [0, 0, 0, 0];
  let indent: string | undefined;
  forEachNode(program, (node) => {
    if (node.type === "StringLiteral") source[node.start] === "'" ? single++ : double++;
    if (node.type !== "ObjectExpression" && node.type !== "ArrayExpression") return;
    const list = members(node);
    if (list.length === 0 || !source.slice(node.start, list[0].node.start).includes("\n")) return;
    const inner = indentAt(source, list[0].node.start);
    const outer = indentAt(source, node.start);
    if (!indent && inner.startsWith(outer) && inner.length > outer.length) indent = inner.slice(outer.length);
    const last = list[list.length - 1].node;
    if (source.slice(last.end, node.end).includes("\n"))
      commaAfter(source, last.end) !== undefined ? withComma++ : withoutComma++;
  });
  return {
    source,
    program,
    root,
    functions,
    quote: single > double ? "'" : '"',
    indent: indent ?? "  ",
    trailingComma: withComma >= withoutComma,
    eol: source.includes("\r\n") ? "\r\n" : "\n",
  };
}

function plan(ctx: Context, edit: Edit): Change[] {
  if (typeof edit !== "object" || edit === null) fail("an edit is an object: { op, path, ... }");
  const segments = parsePath(String(edit.path ?? "")) ?? fail(`not a config path: ${JSON.stringify(edit.path)}`);
  if (edit.op === "set") return planSet(ctx, segments, edit.value);
  if (edit.op === "insert") return planInsert(ctx, segments, edit);
  if (edit.op === "remove") return planRemove(ctx, segments);
  return fail(`unknown op ${JSON.stringify((edit as { op?: unknown }).op)} (set, insert or remove)`);
}

const describe = (kind: Kind): string =>
  ({
    env: "an env() reference",
    call: "a plugin call",
    expression: "code (an expression)",
    object: "an object",
    array: "an array",
  })[kind as string] ?? `a ${kind}`;

/** Walks the path through object and array literals and a plugin call's `options` (source positions). */
function resolve(ctx: Context, segments: Segment[]): { node: Node; member?: Member; container?: Node } {
  let target: { node: Node; member?: Member; container?: Node } = { node: ctx.root };
  segments.forEach((segment, i) => {
    const kind = target.member ? kindOfMember(target.member) : "object";
    if (kind !== "object" && kind !== "array" && kind !== "call") {
      fail(
        `${formatPath(segments.slice(0, i))} is ${describe(kind)}, read-only: ${formatPath(segments)} cannot be edited`,
      );
    }
    const member =
      memberAt(target.node, segment) ??
      fail(
        `no ${formatPath(segments.slice(0, i + 1))} in the config${kind === "call" ? " (a plugin call has only `options`, when written as an object literal)" : ""}`,
      );
    target = { node: member.value, member, container: target.node };
  });
  return target;
}

function planSet(ctx: Context, segments: Segment[], value: JsonValue): Change[] {
  const { node, member } = resolve(ctx, segments);
  if (!member) return fail("the config root cannot be replaced: set its keys");
  const path = formatPath(segments);
  const kind = kindOfMember(member);
  // Replacing one env reference by another loses no code: the admin's secret flow does exactly that.
  const envSwap = kind === "env" && isEnvValue(value);
  if (!envSwap && (kind === "env" || kind === "call" || kind === "expression"))
    fail(`${path} is ${describe(kind)}, read-only`);
  if (!envSwap && !isLiteralTree(node))
    fail(`${path} holds code (env(), plugin calls, spreads or expressions): edit its literal parts one by one`);
  const state: RenderState = {};
  let text = render(ctx, value, state);
  if (kind === "number" && typeof value === "number" && ctx.source.slice(node.start, node.end).includes("_"))
    text = text.replace(/\B(?=(\d{3})+$)/g, "_");
  return [{ start: node.start, end: node.end, text }, ...importChanges(state)];
}

function planInsert(ctx: Context, segments: Segment[], edit: Extract<Edit, { op: "insert" }>): Change[] {
  const { node, member } = resolve(ctx, segments);
  const path = formatPath(segments) || "(config)";
  const kind = member ? kindOfMember(member) : "object";
  if (kind !== "array" && kind !== "object")
    return fail(`${path} is ${describe(kind)}: insert needs an array or object literal`);
  const list = members(node);
  const state: RenderState = {};
  let text: string;
  if (kind === "array") {
    if (edit.key !== undefined) fail(`${path} is an array: insert takes an index, not a key`);
    text = render(ctx, edit.value, state);
  } else {
    if (typeof edit.key !== "string" || edit.key === "") fail(`${path} is an object: insert needs a key`);
    if (memberAt(node, edit.key)) fail(`${formatPath([...segments, edit.key])} already exists: use set`);
    text = `${renderKey(ctx, edit.key)}: ${render(ctx, edit.value, state)}`;
  }
  const count = kind === "array" ? (node.elements as unknown[]).length : list.length;
  const index = edit.index ?? count;
  if (!Number.isInteger(index) || index < 0 || index > count) fail(`index ${index} is outside ${path} (0 to ${count})`);
  const position = kind === "array" ? list.findIndex((m) => (m.segment as number) >= index) : index;
  return [
    ...insertMember(ctx, { container: node, list }, position === -1 ? list.length : position, text),
    ...importChanges(state),
  ];
}

/** Where a new member goes so the literal keeps its layout: inline `a, b`, or one member per line. */
function insertMember(ctx: Context, into: { container: Node; list: Member[] }, i: number, text: string): Change[] {
  const { container, list } = into;
  const src = ctx.source;
  const open = container.start + 1;
  const close = container.end - 1;
  const pad = container.type === "ObjectExpression" ? " " : "";
  if (list.length === 0) {
    const inner = src.slice(open, close);
    if (!inner.includes("\n") || src.slice(lineStart(src, close), close).trim() !== "") {
      return inner.trim() === ""
        ? [{ start: open, end: close, text: `${pad}${text}${pad}` }]
        : [{ start: close, end: close, text: `${text}${pad}` }];
    }
    // A multi-line empty literal (comments inside stay above): a line of its own before the closing bracket.
    const at = lineStart(src, close);
    return [
      {
        start: at,
        end: at,
        text: `${indentAt(src, close)}${ctx.indent}${text}${ctx.trailingComma ? "," : ""}${ctx.eol}`,
      },
    ];
  }
  const multiline = src.slice(container.start, list[0].node.start).includes("\n");
  if (i < list.length) {
    const next = list[i].node;
    if (multiline) {
      // At the start of the next member's block: above its own-line comments, which stay with it.
      const anchor = i === 0 ? open : (commaAfter(src, list[i - 1].node.end) ?? list[i - 1].node.end) + 1;
      const newline = src.indexOf("\n", anchor);
      if (newline !== -1 && newline < next.start) {
        const indent = indentAt(src, newline + 1);
        const at = newline + 1 + indent.length;
        return [{ start: at, end: at, text: `${text},${ctx.eol}${indent}` }];
      }
    }
    return [{ start: next.start, end: next.start, text: `${text}, ` }];
  }
  const last = list[list.length - 1].node;
  const comma = commaAfter(src, last.end);
  if (multiline) {
    const after = comma !== undefined ? comma + 1 : last.end;
    const newline = src.indexOf("\n", after);
    const eol = src[newline - 1] === "\r" ? newline - 1 : newline; // before a CRLF's \r
    const rest = src.slice(after, eol);
    // After the last member's line (and its trailing comment), unless the bracket closes on that line.
    if (newline !== -1 && eol < close && !(rest.includes("/*") && !rest.includes("*/"))) {
      const changes = [
        {
          start: eol,
          end: eol,
          text: `${ctx.eol}${indentAt(src, last.start)}${text}${comma !== undefined ? "," : ""}`,
        },
      ];
      if (comma === undefined) changes.push({ start: last.end, end: last.end, text: "," });
      return changes;
    }
  }
  return [{ start: last.end, end: last.end, text: `, ${text}` }];
}

function planRemove(ctx: Context, segments: Segment[]): Change[] {
  const { member, container } = resolve(ctx, segments);
  if (!member || !container) return fail("the config root cannot be removed");
  if (container.type === "CallExpression")
    fail(`${formatPath(segments)} is a plugin's options: remove its fields instead`);
  const src = ctx.source;
  const list = members(container);
  const index = list.findIndex((m) => m.node === member.node);
  const node = member.node;
  const prev = list[index - 1]?.node;
  const next = list[index + 1]?.node;
  const open = container.start + 1;
  const close = container.end - 1;
  const comma = commaAfter(src, node.end);
  const after = comma !== undefined ? comma + 1 : node.end;
  if (list.length === 1 && src.slice(open, node.start).trim() === "" && src.slice(after, close).trim() === "")
    return [{ start: open, end: close, text: "" }];
  const eol = src.indexOf("\n", after);
  const ownLine =
    src.slice(lineStart(src, node.start), node.start).trim() === "" &&
    eol !== -1 &&
    eol < close &&
    /^[ \t]*(\/\/.*)?\r?$/.test(src.slice(after, eol));
  if (ownLine) {
    // Its whole lines go, with a comment on the same line; comments on the lines above stay.
    const changes = [{ start: lineStart(src, node.start), end: eol + 1, text: "" }];
    const prevComma = prev && !next && comma === undefined ? commaAfter(src, prev.end) : undefined;
    if (prevComma !== undefined) changes.push({ start: prevComma, end: prevComma + 1, text: "" });
    return changes;
  }
  if (next) return [{ start: node.start, end: next.start, text: "" }];
  if (prev) return [{ start: prev.end, end: node.end, text: "" }];
  return [{ start: node.start, end: after, text: "" }];
}

// ---- rendering values as TypeScript literals -----------------------------------------------------

/** Set when a value used env() or a factory: its local name, and the import change that brings it in if needed. */
type RenderState = {
  env?: { name: string; changes: Change[] };
  factories?: Map<string, { name: string; changes: Change[] }>;
};

const importChanges = (state: RenderState): Change[] => [
  ...(state.env?.changes ?? []),
  ...[...(state.factories?.values() ?? [])].flatMap((f) => f.changes),
];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value));
const isEnvValue = (value: unknown): boolean => isPlainObject(value) && "$env" in value;

function quote(text: string, q: string): string {
  const json = JSON.stringify(text);
  return q === '"' ? json : `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

const renderKey = (ctx: Context, key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key, ctx.quote));

function render(ctx: Context, value: unknown, state: RenderState): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number")
    return Number.isFinite(value) ? String(value) : fail(`${value} cannot be written as a number`);
  if (typeof value === "string") return quote(value, ctx.quote);
  if (Array.isArray(value)) return `[${value.map((v) => render(ctx, v, state)).join(", ")}]`;
  if (!isPlainObject(value)) return fail(`a value of type ${typeof value} cannot be written into the config`);
  const entries = Object.entries(value);
  if ("$env" in value) {
    const name = value.$env;
    if (entries.length !== 1 || typeof name !== "string" || !/^[A-Za-z_]\w*$/.test(name))
      fail('{ "$env": "NAME" } takes one variable name (letters, digits, _)');
    state.env ??= envImport(ctx);
    return `${state.env.name}(${quote(name as string, ctx.quote)})`;
  }
  if ("$call" in value) {
    const name = value.$call;
    const args = value.args ?? [];
    if (typeof name !== "string" || !/^[A-Za-z_$][\w$]*$/.test(name) || !Array.isArray(args) || entries.length > 2)
      fail('{ "$call": "factory", "args": [...] } takes a factory name of plugins/index.ts and a list of arguments');
    state.factories ??= new Map();
    const factory = state.factories.get(name) ?? factoryImport(ctx, name as string, state);
    state.factories.set(name as string, factory);
    return `${factory.name}(${(args as unknown[]).map((a) => render(ctx, a, state)).join(", ")})`;
  }
  if ("$regexp" in value) {
    try {
      const re = new RegExp(String(value.$regexp), typeof value.flags === "string" ? value.flags : "");
      return `/${re.source}/${re.flags}`;
    } catch (error) {
      return fail(`invalid $regexp: ${(error as Error).message}`);
    }
  }
  return entries.length === 0
    ? "{}"
    : `{ ${entries.map(([k, v]) => `${renderKey(ctx, k)}: ${render(ctx, v, state)}`).join(", ")} }`;
}

/** Whether a binding pattern (`env`, `{ env }`, `[a, env]`, `env = x`, `...env`) declares `name`. */
function binds(pattern: Node | null, name: string): boolean {
  if (!pattern) return false;
  if (pattern.type === "Identifier") return pattern.name === name;
  const inner = [
    pattern.left,
    pattern.argument,
    ...((pattern.elements ?? []) as Node[]),
    ...((pattern.properties ?? []) as Node[]).map((p) => p.value ?? p.argument),
  ];
  return inner.some((p) => binds((p ?? null) as Node | null, name));
}

const importedName = (spec: Node): string | undefined =>
  ((spec.imported as Node | undefined)?.name ?? (spec.imported as Node | undefined)?.value) as string | undefined;

/** The name `env` is called by in this file, adding it to the import from src/index.ts when missing. */
function envImport(ctx: Context): { name: string; changes: Change[] } {
  const body = ctx.program.body as Node[];
  const declared = body.some(
    (s) => s.type === "VariableDeclaration" && (s.declarations as Node[]).some((d) => binds(d.id as Node, "env")),
  );
  if (declared || ctx.functions.some((fn) => (fn.params as Node[]).some((p) => binds(p, "env")))) {
    fail("env() cannot be written here: another `env` (a variable or the exported function's parameter) shadows it");
  }
  const imports = body.filter((s) => s.type === "ImportDeclaration" && s.importKind !== "type");
  for (const spec of imports.flatMap((d) => d.specifiers as Node[])) {
    if (spec.type === "ImportSpecifier" && importedName(spec) === "env" && spec.importKind !== "type")
      return { name: (spec.local as Node).name as string, changes: [] };
  }
  const api = imports.find(
    (d) =>
      /(^|\/)src\/index(\.ts)?$/.test(String((d.source as Node).value)) ||
      (d.specifiers as Node[]).some((s) => importedName(s) === "defineConfig"),
  );
  const specs = (api?.specifiers ?? []) as Node[];
  const namespace = specs.find((s) => s.type === "ImportNamespaceSpecifier");
  if (namespace) return { name: `${(namespace.local as Node).name}.env`, changes: [] };
  const named = specs.filter((s) => s.type === "ImportSpecifier");
  if (named.length === 0)
    return fail(
      'env() needs `import { env } from "./src/index.ts"`, and no named import from src/index.ts was found to add it to',
    );
  const last = named[named.length - 1];
  return { name: "env", changes: [{ start: last.end, end: last.end, text: ", env" }] };
}

/**
 * The name a factory of plugins/index.ts is called by in this file: its existing import, or added to the
 * import from plugins/index.ts, or a new import line after the last one (its path beside src/index.ts's).
 */
function factoryImport(ctx: Context, factory: string, state: RenderState): { name: string; changes: Change[] } {
  const body = ctx.program.body as Node[];
  const imports = body.filter((s) => s.type === "ImportDeclaration" && s.importKind !== "type");
  for (const spec of imports.flatMap((d) => d.specifiers as Node[])) {
    if (spec.type === "ImportSpecifier" && importedName(spec) === factory && spec.importKind !== "type")
      return { name: (spec.local as Node).name as string, changes: [] };
  }
  const isPlugins = (d: Node) => /(^|\/)plugins\/index(\.ts)?$/.test(String((d.source as Node).value));
  const plugins = imports.find(isPlugins);
  const specs = (plugins?.specifiers ?? []) as Node[];
  const namespace = specs.find((s) => s.type === "ImportNamespaceSpecifier");
  if (namespace) return { name: `${(namespace.local as Node).name}.${factory}`, changes: [] };
  // Another factory of this batch already added to the same import: append after it.
  const named = specs.filter((s) => s.type === "ImportSpecifier");
  const pending = [...(state.factories?.values() ?? [])].some((f) => f.changes.length > 0);
  if (named.length > 0) {
    const last = named[named.length - 1];
    const src = ctx.source;
    // One specifier a line (the formatter's layout for a long list): the new one on a line of its own.
    if (src.slice(plugins!.start, named[0].start).includes("\n")) {
      const comma = commaAfter(src, last.end);
      const line = `${ctx.eol}${indentAt(src, last.start)}${factory}`;
      return comma !== undefined
        ? { name: factory, changes: [{ start: comma + 1, end: comma + 1, text: `${line},` }] }
        : { name: factory, changes: [{ start: last.end, end: last.end, text: `,${line}` }] };
    }
    return { name: factory, changes: [{ start: last.end, end: last.end, text: `, ${factory}` }] };
  }
  if (pending) fail(`${factory}: add one new factory import at a time`);
  const api = imports.find((d) => /(^|\/)src\/index(\.ts)?$/.test(String((d.source as Node).value)));
  const from = api
    ? String((api.source as Node).value).replace(/src\/index(\.ts)?$/, "plugins/index.ts")
    : "./plugins/index.ts";
  const after = imports.length > 0 ? imports[imports.length - 1].end : 0;
  const line = `import { ${factory} } from ${quote(from, ctx.quote)};`;
  return {
    name: factory,
    changes: [{ start: after, end: after, text: after === 0 ? `${line}${ctx.eol}` : `${ctx.eol}${line}` }],
  };
}
