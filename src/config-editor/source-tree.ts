/**
 * The editable view of `gateway.config.ts` for the admin UI (DESIGN §6, "UI edits are surgical"): every
 * value written in the default export's object literal, with its path, kind, source span, schema and
 * whether a literal edit can replace it. Secrets never leave the server: a secret literal's value is
 * replaced by a masked form here, and `maskSecrets` does the same to the source text.
 *
 * Paths are source positions: `models[1]` is the second element written, even when a spread before it
 * holds a different number of elements at run time. source-edit.ts resolves paths the same way.
 */
import type { TSchema } from "@sinclair/typebox";
import {
  findConfigRoot,
  formatPath,
  isLiteralTree,
  type Kind,
  kindOf,
  kindOfMember,
  literalValue,
  type Member,
  members,
  type Node,
  parseProgram,
  type Segment,
  unwrap,
} from "../config/ast.ts";
import { ConfigSchema } from "../config/schema.ts";

export type SchemaLike = Record<string, unknown>;

export interface TreeNode {
  path: string;
  /** Property key, or the source position for array elements, spreads and computed keys. */
  key: string | number;
  kind: Kind;
  /** Literals only; masked when `secret`; `{ env: "NAME" }` for env references; `{ $regexp, flags }` for regexps. */
  value?: unknown;
  /** A `set` may replace it: literals, and objects/arrays made of literals only. */
  editable: boolean;
  line: number;
  start: number;
  end: number;
  secret?: boolean;
  /** The declared type at this position (JSON Schema, from ConfigSchema or the plugin's own schema). */
  schema?: SchemaLike;
  /** For plugin factory calls: the function called, e.g. "openai". */
  callee?: string;
  children?: TreeNode[];
}

/** Thrown when the source cannot be parsed (the active config always parses: it loaded). */
export class ConfigSourceError extends Error {}

/**
 * The tree under the default export (through defineConfig, a function's returned object, or a const).
 * Empty when the export is not an object literal (e.g. `export default makeConfig()`): nothing is
 * literal, so nothing is editable. `config` (the loaded export or the ResolvedConfig) supplies plugin
 * option schemas: the plugin built at the same path (`providers.x`, `classifiers[1]`) gives its `schema`.
 */
export function configTree(source: string, config?: unknown): TreeNode[] {
  return walk(source, config).tree;
}

/** The tree, and the literal nodes it found secret (for maskSecrets). */
function walk(source: string, config: unknown): { tree: TreeNode[]; secrets: Node[] } {
  const { program, error } = parseProgram(source);
  if (!program || error) throw new ConfigSourceError(`cannot parse the config: ${error}`);
  const root = findConfigRoot(program).node;
  const secrets: Node[] = [];
  if (root?.type !== "ObjectExpression") return { tree: [], secrets };
  const tree = members(root).map((m) =>
    buildNode(
      m,
      {
        parentPath: [],
        schema: childSchema(ConfigSchema as SchemaLike, m.segment),
        runtime: runtimeChild(config, m, root),
        secretAbove: false,
      },
      secrets,
    ),
  );
  return { tree, secrets };
}

const UNKNOWN = Symbol("unknown");
type Runtime = unknown;

/** The loaded value at a member's path, when source positions still match run-time ones. */
function runtimeChild(parent: Runtime, member: Member, container: Node): Runtime {
  if (parent === UNKNOWN || typeof parent !== "object" || parent === null) return UNKNOWN;
  if (typeof member.segment === "number") {
    // Spreads before an element shift run-time indexes; positional object members have no key.
    if (container.type !== "ArrayExpression") return UNKNOWN;
    const before = members(container).filter((m) => (m.segment as number) <= (member.segment as number));
    if (before.some((m) => m.node.type === "SpreadElement")) return UNKNOWN;
  }
  const value = (parent as Record<string, unknown>)[member.segment];
  return value === undefined ? UNKNOWN : value;
}

/** Where a member sits: its parent's path, its schema and run-time value, and whether a parent is secret. */
interface NodePlace {
  parentPath: Segment[];
  schema: SchemaLike | undefined;
  runtime: Runtime;
  secretAbove: boolean;
}

function buildNode(member: Member, place: NodePlace, secrets: Node[]): TreeNode {
  const { parentPath, schema, runtime, secretAbove } = place;
  const segments = [...parentPath, member.segment];
  const value = member.value;
  const kind = kindOfMember(member);
  const literal = literalValue(value);
  const secret =
    secretAbove ||
    (member.key !== undefined && isSecretKey(member.key)) ||
    describesMasked(schema) ||
    (typeof literal === "string" && looksLikeSecret(literal));
  const node: TreeNode = {
    path: formatPath(segments),
    key: member.key ?? member.segment,
    kind,
    editable: isLiteralTree(value),
    line: value.loc?.start.line ?? 0,
    start: value.start,
    end: value.end,
  };
  if (literal !== undefined) node.value = secret && kind !== "env" ? maskValue(literal) : literal;
  if (secret) node.secret = true;
  if (secret && (kind === "string" || kind === "number" || kind === "regexp")) secrets.push(value);
  if (schema) node.schema = plainSchema(schema);
  if (kind === "object" || kind === "array") {
    const inner = narrow(schema, kind);
    node.children = members(value).map((m) =>
      buildNode(
        m,
        {
          parentPath: segments,
          schema: childSchema(inner, m.segment),
          runtime: runtimeChild(runtime, m, value),
          secretAbove: secret,
        },
        secrets,
      ),
    );
  } else if (kind === "call") {
    node.callee = (value.callee as Node).type === "Identifier" ? ((value.callee as Node).name as string) : undefined;
    const options = unwrap((value.arguments as Node[])[0]);
    if (options) {
      const plugin =
        runtime !== UNKNOWN && typeof runtime === "object" && runtime !== null
          ? (runtime as { schema?: TSchema; options?: unknown })
          : undefined;
      const optionsMember: Member = { segment: "options", key: "options", node: options, value: options };
      node.children = [
        buildNode(
          optionsMember,
          {
            parentPath: segments,
            schema: plugin?.schema as SchemaLike | undefined,
            runtime: plugin?.options ?? UNKNOWN,
            secretAbove: secret,
          },
          secrets,
        ),
      ];
    }
  }
  return node;
}

// ---- schemas -------------------------------------------------------------------------------------

const asSchema = (value: unknown): SchemaLike | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SchemaLike) : undefined;

/** The schema of a child: object properties, record values (patternProperties), array items. */
function childSchema(schema: SchemaLike | undefined, segment: Segment): SchemaLike | undefined {
  if (!schema) return undefined;
  if (typeof segment === "number") {
    if (Array.isArray(schema.items)) return asSchema(schema.items[segment]);
    return schema.type === "array" ? asSchema(schema.items) : undefined;
  }
  const property = asSchema(asSchema(schema.properties)?.[segment]);
  if (property) return property;
  for (const [pattern, value] of Object.entries(asSchema(schema.patternProperties) ?? {})) {
    if (new RegExp(pattern).test(segment)) return asSchema(value);
  }
  return asSchema(schema.additionalProperties);
}

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

/** The union members that fit what is written (an array in `models` walks the array member). */
function narrow(schema: SchemaLike | undefined, kind: Kind): SchemaLike | undefined {
  const options = schema?.anyOf;
  if (!Array.isArray(options)) return schema;
  const fitting = options.filter((o) => KIND_TYPES[kind]?.includes(String(asSchema(o)?.type))) as SchemaLike[];
  return fitting.length === 1 ? narrow(fitting[0], kind) : fitting.length > 1 ? { anyOf: fitting } : schema;
}

/** TypeBox schemas carry symbols and may be shared: hand out a plain JSON copy. */
function plainSchema(schema: SchemaLike): SchemaLike {
  return JSON.parse(JSON.stringify(schema)) as SchemaLike;
}

function describesMasked(schema: SchemaLike | undefined): boolean {
  if (!schema) return false;
  if (typeof schema.description === "string" && /\bmasked\b/i.test(schema.description)) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some((o) => describesMasked(asSchema(o)));
}

// ---- secrets -------------------------------------------------------------------------------------

const SECRET_WORDS = new Set([
  "key",
  "keys",
  "token",
  "secret",
  "secrets",
  "password",
  "passwords",
  "passwd",
  "credential",
  "credentials",
  "authorization",
  "cookie",
]);

/**
 * The secret-key rule: split the name into words (camelCase, snake_case, kebab-case, SCREAMING_CASE);
 * it is a secret when the last word is key(s), token, secret(s), password(s), passwd, credential(s),
 * authorization or cookie. So apiKey, api_key, x-api-key, OPENAI_API_KEY, apiKeys, accessToken,
 * Authorization are secrets, and maxTokens, keywords, firstTokenMs are not.
 */
export function isSecretKey(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.length > 0 && SECRET_WORDS.has(words[words.length - 1]);
}

/** Values shaped like well-known credentials, caught wherever they are written. */
function looksLikeSecret(value: string): boolean {
  return /^(sk|rk|pk)[-_][A-Za-z0-9_-]{12,}$|^Bearer\s+\S{8,}$|^(ghp|gho|ghs|github_pat|xox[abpr])_?[A-Za-z0-9_-]{10,}$|^AIza[0-9A-Za-z_-]{20,}$/.test(
    value,
  );
}

/** "sk-…abcd": at most the first 3 and last 4 characters, and never more than a quarter of the string. */
export function maskSecret(value: string): string {
  const shown = Math.floor(value.length / 4);
  const tail = Math.min(4, Math.ceil(shown / 2));
  const head = Math.min(3, shown - tail);
  return value.length === 0 ? "" : `${value.slice(0, head)}…${tail > 0 ? value.slice(-tail) : ""}`;
}

function maskValue(value: unknown): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "object" && value !== null && "$regexp" in value)
    return maskSecret(String((value as { $regexp: string }).$regexp));
  return maskSecret(String(value));
}

const isStringNode = (node: Node) =>
  node.type === "StringLiteral" || (node.type === "TemplateLiteral" && (node.expressions as Node[]).length === 0);
const isTypeOnly = (node: Node) =>
  node.type.startsWith("TS") && !["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression"].includes(node.type);

/** A secret literal of a config text: its span, its source text, and the text masking writes in its place. */
interface SecretLiteral {
  start: number;
  end: number;
  /** The literal as written (quotes included). */
  raw: string;
  /** Its masked form as `maskSecrets` writes it; the same as `raw` for a literal that is a mask already. */
  masked: string;
}

/**
 * Every secret literal of the source (DESIGN §6): literals the tree marks secret, plus, anywhere in
 * the file, literals under a secret-named property or variable and strings shaped like credentials.
 * env("NAME") keeps its name (a name is not a secret) but a literal fallback under a secret key counts.
 * In source order.
 */
export function secretLiterals(source: string, config?: unknown): SecretLiteral[] {
  const { program } = parseProgram(source);
  if (!program) return [];
  const found = new Map<number, SecretLiteral>();
  const mask = (node: Node) => {
    const raw = source.slice(node.start, node.end);
    const quote = /^["'`]/.test(raw) ? raw[0] : '"';
    const literal = literalValue(node);
    // A mask is masked once: history rows are masked when written and again when read.
    const masked = typeof literal === "string" && literal.includes("…") ? raw : `${quote}${maskValue(literal)}${quote}`;
    found.set(node.start, { start: node.start, end: node.end, raw, masked });
  };
  const sweep = (node: Node, secret: boolean) => {
    if (isTypeOnly(node)) return;
    if (
      (isStringNode(node) || node.type === "NumericLiteral" || node.type === "RegExpLiteral") &&
      (secret || (isStringNode(node) && looksLikeSecret(String(literalValue(node)))))
    )
      mask(node);
    const envCall = node.type === "CallExpression" && kindOf(node) === "env";
    for (const [field, child] of Object.entries(node)) {
      if (field === "loc" || field === "leadingComments" || field === "trailingComments" || field === "innerComments")
        continue;
      const below =
        secret ||
        (((node.type === "ObjectProperty" && field === "value") ||
          (node.type === "VariableDeclarator" && field === "init") ||
          (node.type === "AssignmentExpression" && field === "right")) &&
          isSecretKey(keyText(node) ?? ""));
      for (const item of Array.isArray(child) ? child : [child]) {
        if (typeof item !== "object" || item === null || typeof (item as Node).type !== "string") continue;
        // The variable's name in env("NAME") is not a secret; its fallback may be.
        if (envCall && field === "arguments" && item === (node.arguments as Node[])[0]) continue;
        sweep(item as Node, below);
      }
    }
  };
  sweep(program, false);
  try {
    walk(source, config).secrets.forEach(mask);
  } catch {
    // Unparsable source: the sweep above is all there is.
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}

/** The source with every secret literal masked, for API responses and history (DESIGN §6). Idempotent. */
export function maskSecrets(source: string, config?: unknown): string {
  let out = source;
  for (const { start, end, masked } of secretLiterals(source, config).reverse())
    out = out.slice(0, start) + masked + out.slice(end);
  return out;
}

function keyText(node: Node): string | undefined {
  const target = (node.key ?? node.id ?? node.left) as Node | undefined;
  if (!target) return undefined;
  if (target.type === "Identifier") return target.name as string;
  if (target.type === "StringLiteral") return target.value as string;
  if (target.type === "MemberExpression") return keyText({ type: "x", start: 0, end: 0, key: target.property });
  return undefined;
}
