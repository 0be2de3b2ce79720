/**
 * Whether an edit of `gateway.config.ts` changes its code, or only values the editable tree could
 * change. Loading a config runs its code on the host (validating a candidate too), so a change to
 * anything but values asks the admin's password again (src/http/admin/config-guard.ts).
 *
 * The fingerprint is the file's token stream without comments and without the values of the config
 * tree: every member of the exported object literal (and of the option objects of its factory calls)
 * whose value is a literal, a tree of literals or an `env("NAME", literal?)` reference is taken out,
 * key and all, so adding, removing or changing such members leaves the fingerprint as it was. Anything
 * else (imports, functions, calls, expressions, literals inside them, other statements) stays in.
 */
import { findConfigRoot, isLiteralTree, kindOf, members, type Node, parseSource, unwrap } from "../config/ast.ts";

interface Token {
  type: string | { label: string };
  value?: unknown;
  start: number;
  end: number;
}

/** True when `candidate` differs from `current` in more than values (or either cannot be parsed). */
export function changesCode(current: string, candidate: string): boolean {
  const before = codeFingerprint(current);
  const after = codeFingerprint(candidate);
  return before === undefined || after === undefined || before !== after;
}

/** The token stream of the code, values of the config tree left out; undefined when it does not parse. */
function codeFingerprint(source: string): string | undefined {
  let file: { program: unknown; tokens?: Token[]; errors?: unknown[] };
  try {
    file = parseSource(source, {
      sourceType: "module",
      plugins: ["typescript"],
      tokens: true,
      errorRecovery: true,
    }) as unknown as typeof file;
  } catch {
    return undefined;
  }
  if ((file.errors?.length ?? 0) > 0 || !file.tokens) return undefined;
  const spans: [number, number][] = [];
  const root = findConfigRoot(file.program as Node).node;
  if (root?.type === "ObjectExpression") collectValues(root, spans);
  return fingerprintOf(file.tokens, spans);
}

/** A value the tree can set: literals, trees of literals, env("NAME") with a literal fallback or none. */
function isValue(node: Node): boolean {
  if (kindOf(node) === "env")
    return (node.arguments as Node[]).slice(1).every((arg) => isLiteralTree(unwrap(arg) ?? arg));
  return isLiteralTree(node);
}

/** Spans of the value members under `container`, walking into non-literal objects, arrays and factory options. */
function collectValues(container: Node, spans: [number, number][]): void {
  for (const member of members(container)) {
    const value = member.value;
    const code =
      member.node.type === "SpreadElement" ||
      member.node.type === "ObjectMethod" ||
      (member.node.type === "ObjectProperty" && member.key === undefined);
    if (code) continue;
    if (isValue(value)) spans.push([member.node.start, member.node.end]);
    else if (value.type === "ObjectExpression" || value.type === "ArrayExpression") collectValues(value, spans);
    else if (kindOf(value) === "call") {
      const options = unwrap((value.arguments as Node[])[0]);
      if (options?.type === "ObjectExpression") collectValues(options, spans);
    }
  }
}

const labelOf = (token: Token) => (typeof token.type === "string" ? token.type : token.type.label);

/**
 * The tokens outside `spans`, comments dropped, and the comma that separated a removed member from
 * its neighbour dropped too (so removing a member, or a trailing comma, is not a change).
 */
function fingerprintOf(tokens: Token[], spans: [number, number][]): string {
  const inSpan = (token: Token) => spans.some(([start, end]) => token.start >= start && token.end <= end);
  const kept: string[] = [];
  let afterRemoved = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const label = labelOf(token);
    if (label === "CommentLine" || label === "CommentBlock") continue;
    if (inSpan(token)) {
      afterRemoved = true;
      continue;
    }
    if (label === ",") {
      const next = tokens.slice(i + 1).find((t) => !["CommentLine", "CommentBlock"].includes(labelOf(t)));
      const closes = next !== undefined && ["}", "]", ")"].includes(labelOf(next));
      if (afterRemoved || closes || (next !== undefined && inSpan(next))) continue;
    }
    afterRemoved = false;
    kept.push(token.value === undefined ? label : `${label}:${JSON.stringify(token.value)}`);
  }
  return kept.join(" ");
}
