/**
 * Reading `gateway.config.ts` as a syntax tree (@babel/parser, TypeScript syntax), shared by locate.ts
 * (error lines), the editor's config-editor/source-tree.ts (the editable view) and
 * config-editor/source-edit.ts (surgical edits), so all three
 * agree on what a config path means. The file is parsed, never evaluated: only what is written
 * literally can be followed.
 */
import { createRequire } from "node:module";
import type { ParserOptions, parse as parseWithBabel } from "@babel/parser";

let babel: typeof parseWithBabel | undefined;

/**
 * Babel's parser, loaded on first use (synchronously: the editor's callers are): a gateway that only
 * serves holds no copy of it (about 11 MB once loaded). The history tells an unchanged file without it.
 */
export function parseSource(source: string, options: ParserOptions): ReturnType<typeof parseWithBabel> {
  babel ??= (createRequire(import.meta.url)("@babel/parser") as { parse: typeof parseWithBabel }).parse;
  return babel(source, options);
}

/** The slice of a Babel node these modules read (offsets and lines are always set by the parser). */
export interface Node {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}

export type Segment = string | number;

/** The program, and the first syntax error when there is one (the program may still exist: recovery). */
export function parseProgram(source: string): { program?: Node; error?: string } {
  try {
    const file = parseSource(source, { sourceType: "module", plugins: ["typescript"], errorRecovery: true });
    const first = file.errors?.[0] as { message?: string } | undefined;
    return { program: file.program as unknown as Node, error: first ? String(first.message ?? first) : undefined };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Lenient path split, as locate.ts always did: "tiers.t1.models[0]" → ["tiers", "t1", "models", 0].
 * `["a.b"]` (a JSON string in brackets) is one key, for keys holding dots such as "openai/gpt-4.1".
 */
export function splitPath(path: string): Segment[] {
  const parts: Segment[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    parts.push(
      match[1] !== undefined ? Number(match[1]) : match[2] !== undefined ? (JSON.parse(match[2]) as string) : match[3],
    );
  }
  return parts;
}

const STRICT_SEGMENT = /\.?([^.[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** Strict path parse for edits: undefined when any character is not part of a segment. */
export function parsePath(path: string): Segment[] | undefined {
  const parts: Segment[] = [];
  for (let at = 0; at < path.length; ) {
    STRICT_SEGMENT.lastIndex = at;
    const match = STRICT_SEGMENT.exec(path);
    if (!match) return undefined;
    // A bare name is first (no dot) or follows a dot; "a..b", ".a" and "a[0]b" are typos, not paths.
    if (match[1] !== undefined && (at === 0) === match[0].startsWith(".")) return undefined;
    parts.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]) as string)));
    at = STRICT_SEGMENT.lastIndex;
  }
  return parts;
}

const BARE_KEY = /^[^.[\]"]+$/;

/** ["pricing", "openai/gpt-4.1", "input"] → `pricing["openai/gpt-4.1"].input` (the inverse of parsePath). */
export function formatPath(segments: Segment[]): string {
  return segments
    .map((s, i) =>
      typeof s === "number" ? `[${s}]` : BARE_KEY.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`,
    )
    .join("");
}

/** The expression inside TypeScript-only wrappers (`x as const`, `x satisfies T`, `x!`). */
export function unwrap(node: Node | undefined | null): Node | undefined {
  let current = node ?? undefined;
  while (
    current &&
    ["TSAsExpression", "TSSatisfiesExpression", "ParenthesizedExpression", "TSNonNullExpression"].includes(current.type)
  ) {
    current = current.expression as Node;
  }
  return current;
}

/** A property's static key; undefined for computed keys (`[name]: ...`), known only at run time. */
export function keyName(property: Node): string | undefined {
  const key = property.key as Node | undefined;
  if (!key) return undefined;
  if (key.type === "StringLiteral" || key.type === "NumericLiteral") return String(key.value);
  if (key.type === "Identifier" && !property.computed) return key.name as string;
  return undefined;
}

/** The value a function returns (arrow with expression body, or its last `return`). */
function returnedValue(fn: Node): Node | undefined {
  const body = fn.body as Node;
  if (body.type !== "BlockStatement") return unwrap(body);
  const statements = body.body as Node[];
  for (let i = statements.length - 1; i >= 0; i--) {
    if (statements[i].type === "ReturnStatement") return unwrap(statements[i].argument as Node);
  }
  return undefined;
}

function findDeclaration(program: Node, name: string): Node | undefined {
  for (const statement of program.body as Node[]) {
    const declaration = statement.type === "ExportNamedDeclaration" ? (statement.declaration as Node) : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const declarator of declaration.declarations as Node[]) {
      if ((declarator.id as Node).type === "Identifier" && (declarator.id as Node).name === name)
        return unwrap(declarator.init as Node);
    }
  }
  return undefined;
}

/**
 * What the default export stands for, through defineConfig(), functions and identifiers, with the
 * functions passed on the way (their parameters may shadow names such as `env`).
 */
export function findConfigRoot(program: Node): { node: Node | undefined; functions: Node[] } {
  const exported = (program.body as Node[]).find((s) => s.type === "ExportDefaultDeclaration");
  const functions: Node[] = [];
  let node = unwrap(exported?.declaration as Node);
  for (let hops = 0; node && hops < 5; hops++) {
    if (node.type === "ObjectExpression") break;
    if (node.type === "CallExpression") node = unwrap((node.arguments as Node[])[0]);
    else if (
      node.type === "ArrowFunctionExpression" ||
      node.type === "FunctionExpression" ||
      node.type === "FunctionDeclaration"
    ) {
      functions.push(node);
      node = returnedValue(node);
    } else if (node.type === "Identifier") node = findDeclaration(program, node.name as string);
    else break;
  }
  return { node, functions };
}

export const configRoot = (program: Node): Node | undefined => findConfigRoot(program).node;

/** One entry of an object or array literal: a property, a spread or an element, with its path segment. */
export interface Member {
  /** The static key, else the source position (spreads, computed keys, array elements). */
  segment: Segment;
  key?: string;
  /** The property, spread or element as written (its span is what an insert or remove works on). */
  node: Node;
  /** The value expression, unwrapped; for spreads and methods the member itself. */
  value: Node;
}

export function members(container: Node): Member[] {
  if (container.type === "ArrayExpression") {
    return (container.elements as (Node | null)[]).flatMap((element, i) =>
      element ? [{ segment: i, node: element, value: unwrap(element) ?? element }] : [],
    );
  }
  if (container.type !== "ObjectExpression") return [];
  return (container.properties as Node[]).map((property, i) => {
    const key = property.type === "SpreadElement" ? undefined : keyName(property);
    const value = property.type === "ObjectProperty" ? (unwrap(property.value as Node) ?? property) : property;
    return { segment: key ?? i, key, node: property, value };
  });
}

/**
 * The member of `node` at `segment`, by source position: `models[1]` is the second element written,
 * whatever spreads before it hold at run time. A factory call's first object argument is `options`.
 * A repeated key gives the last one, as JavaScript does.
 */
export function memberAt(node: Node, segment: Segment): Member | undefined {
  if (node.type === "CallExpression") {
    const argument = unwrap((node.arguments as Node[])[0]);
    return segment === "options" && argument?.type === "ObjectExpression"
      ? { segment, key: "options", node: argument, value: argument }
      : undefined;
  }
  return members(node).findLast((m) => m.segment === segment);
}

export type Kind =
  | "string"
  | "number"
  | "boolean"
  | "null"
  | "object"
  | "array"
  | "regexp"
  | "env"
  | "call"
  | "expression";

function calleeName(call: Node): string | undefined {
  const callee = call.callee as Node;
  if (callee.type === "Identifier") return callee.name as string;
  if (callee.type === "MemberExpression" && !callee.computed)
    return ((callee.property as Node).name as string) ?? undefined;
  return undefined;
}

/**
 * Literals are editable; `env("X")` is a reference; a call with no argument or an object literal first
 * is a plugin factory (its options are walked); everything else is code the UI shows read-only.
 */
export function kindOf(node: Node): Kind {
  switch (node.type) {
    case "StringLiteral":
      return "string";
    case "TemplateLiteral":
      return (node.expressions as Node[]).length === 0 ? "string" : "expression";
    case "NumericLiteral":
      return "number";
    case "UnaryExpression":
      return (node.operator === "-" || node.operator === "+") && (node.argument as Node).type === "NumericLiteral"
        ? "number"
        : "expression";
    case "BooleanLiteral":
      return "boolean";
    case "NullLiteral":
      return "null";
    case "RegExpLiteral":
      return "regexp";
    case "ObjectExpression":
      return "object";
    case "ArrayExpression":
      return "array";
    case "CallExpression": {
      const name = calleeName(node);
      const args = node.arguments as Node[];
      if (name === "env" && args.length >= 1 && args.length <= 2 && unwrap(args[0])?.type === "StringLiteral")
        return "env";
      if (name !== undefined && (args.length === 0 || unwrap(args[0])?.type === "ObjectExpression")) return "call";
      return "expression";
    }
    default:
      return "expression";
  }
}

/** A member's kind: a spread or a method is code, whatever it holds. */
export const kindOfMember = (member: Member): Kind =>
  member.node.type === "SpreadElement" || member.node.type === "ObjectMethod" ? "expression" : kindOf(member.value);

/** The value of a literal (regexps as `{ $regexp, flags }`, env references as `{ env: name }`). */
export function literalValue(node: Node): unknown {
  switch (kindOf(node)) {
    case "string":
      return node.type === "TemplateLiteral"
        ? ((node.quasis as Node[])[0].value as { cooked: string }).cooked
        : node.value;
    case "number":
      return node.type === "UnaryExpression"
        ? (node.operator === "-" ? -1 : 1) * ((node.argument as Node).value as number)
        : node.value;
    case "boolean":
      return node.value;
    case "null":
      return null;
    case "regexp":
      return { $regexp: node.pattern, flags: node.flags };
    case "env":
      return { env: unwrap((node.arguments as Node[])[0])!.value };
    default:
      return undefined;
  }
}

/** Whether a subtree is made of literals only (so replacing it as a whole loses no code). */
export function isLiteralTree(node: Node): boolean {
  const kind = kindOf(node);
  if (kind === "array") return members(node).every((m) => m.node.type !== "SpreadElement" && isLiteralTree(m.value));
  if (kind === "object")
    return members(node).every(
      (m) => m.node.type === "ObjectProperty" && m.key !== undefined && isLiteralTree(m.value),
    );
  return kind !== "env" && kind !== "call" && kind !== "expression";
}

/** Calls `visit` on every node under `node` (depth first, source order), comments excluded. */
export function forEachNode(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const [field, child] of Object.entries(node)) {
    if (field === "loc" || field === "extra" || field.endsWith("Comments")) continue;
    for (const item of Array.isArray(child) ? child : [child]) {
      if (typeof item === "object" && item !== null && typeof (item as Node).type === "string")
        forEachNode(item as Node, visit);
    }
  }
}

/** Position after whitespace and comments from `at` (what may sit between two members of a literal). */
function skipTrivia(source: string, at: number): number {
  for (let i = at; i < source.length; ) {
    if (/\s/.test(source[i])) i++;
    else if (source.startsWith("//", i)) i = source.indexOf("\n", i) === -1 ? source.length : source.indexOf("\n", i);
    else if (source.startsWith("/*", i))
      i = source.indexOf("*/", i + 2) === -1 ? source.length : source.indexOf("*/", i + 2) + 2;
    else return i;
  }
  return source.length;
}

/** Position of the comma following a member that ends at `end`, if there is one. */
export function commaAfter(source: string, end: number): number | undefined {
  const at = skipTrivia(source, end);
  return source[at] === "," ? at : undefined;
}

export const lineStart = (source: string, at: number): number => source.lastIndexOf("\n", at - 1) + 1;

/** The whitespace a line starts with. */
export function indentAt(source: string, at: number): string {
  const start = lineStart(source, at);
  return /^[ \t]*/.exec(source.slice(start))![0];
}
