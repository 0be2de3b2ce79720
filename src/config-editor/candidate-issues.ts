/**
 * Every problem of a candidate config at once, each at its config path and line, for the admin's
 * validate and apply. The loader stops at the first thing that throws (a plugin factory checks its
 * options when called, so the module's evaluation ends there) or at schema errors (then model refs are
 * never resolved): this adds what a look at the source can tell on top of what the loader said.
 *  - a "(module)" issue a factory threw for bad options gets the option's path (so the UI can open it);
 *  - every literal of the tree is checked against its schema (the config's, or the running plugin's);
 *  - every tier model's `provider/` prefix is checked against the providers the file defines.
 */
import type { ConfigIssue } from "../config/resolve.ts";
import { parseTargetRef } from "../config/resolve.ts";
import type { Provider } from "../plugin/types.ts";
import { configTree, type SchemaLike, type TreeNode } from "./source-tree.ts";

const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);

/** The first way a literal breaks its schema (the checks a form can see), in the loader's words. */
export function literalProblem(value: unknown, schema: SchemaLike | undefined): string | undefined {
  if (!schema) return undefined;
  const type = schema.type;
  if (typeof value === "number") {
    if (type === "string" || type === "boolean") return `expected ${type}`;
    if (type === "integer" && !Number.isInteger(value)) return "expected integer";
    if (typeof schema.minimum === "number" && value < schema.minimum)
      return `expected number to be greater or equal to ${schema.minimum}`;
    if (typeof schema.maximum === "number" && value > schema.maximum)
      return `expected number to be less or equal to ${schema.maximum}`;
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      return `expected number to be greater than ${schema.exclusiveMinimum}`;
  }
  if (typeof value === "string") {
    if (type === "number" || type === "integer" || type === "boolean") return `expected ${type}`;
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      return `expected string length greater or equal to ${schema.minLength}`;
    if (typeof schema.pattern === "string") {
      try {
        if (!new RegExp(schema.pattern).test(value)) return `expected string to match '${schema.pattern}'`;
      } catch {
        // not a JavaScript pattern: the loader's check decides
      }
    }
    const choices = Array.isArray(schema.anyOf) ? (schema.anyOf as SchemaLike[]).map((s) => s.const) : undefined;
    if (choices?.every((c) => typeof c === "string") && !choices.includes(value))
      return `expected one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`;
  }
  if (typeof value === "boolean" && (type === "number" || type === "integer" || type === "string"))
    return `expected ${type}`;
  return undefined;
}

/** `plugin builtin:x: option rules[0].match: …` thrown at a call's line → that option's path. */
function optionPath(issue: ConfigIssue, nodes: TreeNode[]): string | undefined {
  const match = /^plugin \S+: option (.+?): /.exec(issue.message);
  if (issue.path !== "(module)" || !match || issue.line === undefined) return undefined;
  const call = nodes.filter((n) => n.kind === "call" && n.line === issue.line).at(-1);
  if (!call) return undefined;
  const where = match[1] === "options" ? "" : match[1].startsWith("[") ? match[1] : `.${match[1]}`;
  const path = `${call.path}.options${where}`;
  return nodes.some((n) => n.path === path)
    ? path
    : nodes.some((n) => n.path === `${call.path}.options`)
      ? `${call.path}.options`
      : call.path;
}

/** Tier model refs whose provider the file does not define (what resolution would say, had it run). */
function refIssues(nodes: TreeNode[]): ConfigIssue[] {
  const providers = nodes.find((n) => n.path === "providers");
  // Spreads or computed keys: the providers are not all known from the source.
  if (!providers?.children || providers.kind !== "object" || providers.children.some((c) => typeof c.key !== "string"))
    return [];
  const known = Object.fromEntries(providers.children.map((c) => [String(c.key), {} as Provider]));
  const issues: ConfigIssue[] = [];
  for (const node of nodes) {
    if (!/^tiers\.[^.]+\.models\[\d+\]$/.test(node.path)) continue;
    const ref =
      node.kind === "string" ? node.value : node.children?.find((c) => c.key === "model" && c.kind === "string")?.value;
    if (typeof ref !== "string") continue;
    const target = parseTargetRef(ref, known);
    if (typeof target === "string") issues.push({ path: node.path, message: target, line: node.line });
  }
  return issues;
}

/**
 * The loader's issues completed: option paths where a factory threw, and the source's own literal and
 * model-ref problems at paths the loader did not name. Sorted by line; `file` on each.
 */
export function completeIssues(source: string, issues: ConfigIssue[], config: unknown, file: string): ConfigIssue[] {
  let nodes: TreeNode[];
  try {
    nodes = flatten(configTree(source, config));
  } catch {
    return issues; // does not parse: the loader's message says where
  }
  const out = issues.map((issue) => {
    const path = optionPath(issue, nodes);
    return path ? { ...issue, path } : issue;
  });
  const named = new Set(out.map((i) => i.path));
  const add = (issue: ConfigIssue) => {
    if (named.has(issue.path)) return;
    named.add(issue.path);
    out.push({ ...issue, file });
  };
  for (const node of nodes) {
    if (node.secret || !["string", "number", "boolean"].includes(node.kind)) continue;
    const problem = literalProblem(node.value, node.schema);
    if (problem) add({ path: node.path, message: problem, line: node.line });
  }
  for (const issue of refIssues(nodes)) add(issue);
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
