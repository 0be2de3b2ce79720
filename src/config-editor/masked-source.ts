/**
 * Config texts with their secrets masked, as the admin API shows them and the history stores them
 * (never a literal secret: DESIGN §6, §8), and the way back: the literal secrets a file still holds
 * (to move them into the secret store), and a masked version's text with each mask filled in from
 * the current file, for a rollback.
 */
import { forEachNode, kindOf, literalValue, type Node, parseProgram } from "../config/ast.ts";
import { configTree, maskSecrets, secretLiterals, type TreeNode } from "./source-tree.ts";

/** `source` with its secrets masked; `config` (the running one) lends plugin schemas that mark secrets. */
export function redactSource(source: string, config?: unknown): string {
  try {
    return maskSecrets(source, config);
  } catch {
    return maskSecrets(source);
  }
}

/** Every node of a tree, depth first. */
function flatten(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children ?? [])]);
}

/** The tree of `source`, or none when it does not parse (an old version may not). */
function treeOf(source: string, config?: unknown): TreeNode[] {
  try {
    return flatten(configTree(source, config));
  } catch {
    return [];
  }
}

/** A literal secret the admin API can move: its tree path and value. */
interface MovableSecret {
  path: string;
  value: string;
}

/**
 * The literal (not yet masked, not a reference) secrets of a file: how many, and those written as a
 * string value of the config tree, which one call can move into the secret store (the others sit in
 * code, e.g. a `const`, and need an edit by hand).
 */
export function literalSecrets(source: string, config?: unknown): { count: number; movable: MovableSecret[] } {
  const clear = secretLiterals(source, config).filter((literal) => literal.masked !== literal.raw);
  const starts = new Set(clear.map((literal) => literal.start));
  const values = stringValues(source);
  const movable = treeOf(source, config)
    .filter((node) => node.secret && node.kind === "string" && starts.has(node.start) && values.has(node.start))
    .map((node) => ({ path: node.path, value: values.get(node.start)! }));
  return { count: clear.length, movable };
}

/** String literal values of a source by start offset. */
function stringValues(source: string): Map<number, string> {
  const values = new Map<number, string>();
  const { program } = parseProgram(source);
  if (program)
    forEachNode(
      program,
      (node) => void (kindOf(node) === "string" && values.set(node.start, String(literalValue(node)))),
    );
  return values;
}

/**
 * String literals of `candidate` holding a mask ("…") that `current` does not hold as written: masks
 * from the API or the history, which written to the file would replace secrets with their masks.
 */
export function maskedLiterals(candidate: string, current: string): { start: number; end: number; raw: string }[] {
  const { program } = parseProgram(candidate);
  if (!program) return [];
  const found: { start: number; end: number; raw: string }[] = [];
  forEachNode(program, (node: Node) => {
    if (kindOf(node) !== "string" || !String(literalValue(node)).includes("…")) return;
    const raw = candidate.slice(node.start, node.end);
    if (!current.includes(raw)) found.push({ start: node.start, end: node.end, raw });
  });
  return found;
}

/**
 * A masked version's text for a rollback, with every masked secret replaced by the current file's
 * value at the same tree path (the literal, or the env() reference it became), else by the current
 * secret literal with the same mask; `unresolved` names (by path, or by mask) what neither fills in.
 */
export function restoreSecrets(
  version: string,
  current: string,
  config?: unknown,
): { source: string } | { unresolved: string[] } {
  const pathsInVersion = new Map(treeOf(version).map((node) => [node.start, node.path]));
  const currentByPath = new Map(
    treeOf(current, config)
      .filter((node) => node.secret)
      .map((node) => [node.path, node]),
  );
  const byMask = new Map<string, Set<string>>();
  for (const literal of secretLiterals(current, config))
    byMask.set(literal.masked, (byMask.get(literal.masked) ?? new Set()).add(literal.raw));
  const replacements: { start: number; end: number; text: string }[] = [];
  const unresolved: string[] = [];
  for (const masked of maskedLiterals(version, current)) {
    const path = pathsInVersion.get(masked.start);
    const atPath = path === undefined ? undefined : currentByPath.get(path);
    const sameMask = [...(byMask.get(masked.raw) ?? [])];
    const text = atPath ? current.slice(atPath.start, atPath.end) : sameMask.length === 1 ? sameMask[0] : undefined;
    if (text === undefined) unresolved.push(path ?? masked.raw);
    else replacements.push({ start: masked.start, end: masked.end, text });
  }
  if (unresolved.length > 0) return { unresolved };
  let source = version;
  for (const { start, end, text } of replacements.sort((a, b) => b.start - a.start))
    source = source.slice(0, start) + text + source.slice(end);
  return { source };
}
