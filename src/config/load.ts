/**
 * Loads `gateway.config.ts`: imports the module graph fresh, validates the export against the schema,
 * resolves it, and reports problems as issues carrying the config path, the file and the line at fault.
 * Never throws for a bad config: a reload must be able to reject it and keep the old one.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { formatPath } from "./ast.ts";
import { locatePath } from "./locate.ts";
import { freshImport, projectModules } from "./module-cache.ts";
import { type ConfigIssue, resolveConfig } from "./resolve.ts";
import { ConfigInputSchema, SKIPPABLE } from "./schema.ts";
import type { ConfigExport, GatewayConfigInput, ResolvedConfig } from "./types.ts";

export type LoadResult =
  | { ok: true; config: ResolvedConfig; source: string; files: string[] }
  | { ok: false; issues: ConfigIssue[]; source?: string };

/** "/tiers/t1/models/0" → "tiers.t1.models[0]"; "/pricing/openai~1gpt-4.1" → `pricing["openai/gpt-4.1"]` */
function toConfigPath(pointer: string): string {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return formatPath(segments);
}

/** A readable message for a schema error; unions of literals list their choices. */
function schemaMessage(schema: TSchema, message: string, value: unknown): string {
  const choices = (schema.anyOf as TSchema[] | undefined)?.map((s) => s.const).filter((c) => c !== undefined);
  if (choices && choices.length > 0)
    return `expected one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, got ${JSON.stringify(value)}`;
  if (message === "Unexpected property") return "unknown key";
  if (message === "Expected required property") return "is required";
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/**
 * Schema errors with their JSON pointer. An entry that may be skipped and is neither skipped nor valid
 * is reported by what is wrong with the entry itself, not as "expected false, null or undefined".
 */
function* schemaErrors(
  schema: TSchema,
  value: unknown,
  base = "",
): Generator<{ path: string; schema: TSchema; message: string; value: unknown }> {
  for (const error of Value.Errors(schema, value)) {
    const inner = error.schema[SKIPPABLE] === true ? (error.schema.anyOf as TSchema[] | undefined)?.[0] : undefined;
    if (inner) yield* schemaErrors(inner, error.value, base + error.path);
    else yield { path: base + error.path, schema: error.schema, message: error.message, value: error.value };
  }
}

function schemaIssues(input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of schemaErrors(ConfigInputSchema, input)) {
    const path = toConfigPath(error.path) || "(config)";
    if (seen.has(path)) continue; // one message per path: unions otherwise repeat themselves
    seen.add(path);
    issues.push({ path, message: schemaMessage(error.schema, error.message, error.value) });
  }
  return issues;
}

/**
 * A module location as a path: Deno names modules by `file://` URL, and on Deno the config carries
 * freshImport's cache-busting `?v=N` (module-cache.ts), neither of which a user should see.
 */
const modulePath = (location: string) => (location.startsWith("file://") ? fileURLToPath(location) : location);
const withoutCacheBusting = (text: string) => text.replace(/\?v=\d+(?=:\d)/g, "");

/** File and line of an exception thrown while the config module was evaluated or failed to parse. */
function issueFromException(thrown: unknown, projectRoot: string, configPath: string): ConfigIssue {
  // Bun reports several syntax errors at once as an AggregateError of build messages: take the first.
  const error = thrown instanceof AggregateError && thrown.errors.length > 0 ? thrown.errors[0] : thrown;
  const message = withoutCacheBusting(
    error instanceof Error || (typeof error === "object" && error !== null && "message" in error)
      ? String((error as Error).message)
      : String(error),
  );
  const position = (error as { position?: { file?: string; line?: number } } | null)?.position;
  if (position?.file)
    return { path: "(module)", message, file: relative(projectRoot, position.file), line: position.line };
  const frames = (error instanceof Error ? (error.stack ?? "") : "").split("\n");
  // The config's own line first (the call with bad options), not the helper that threw (src/plugin/define.ts).
  const frame =
    frames.find((l) => l.includes(configPath)) ??
    frames.find((l) => l.includes(projectRoot) && !l.includes("node_modules"));
  const match = frame?.match(/\(?([^()\s]+):(\d+):\d+\)?$/);
  if (match)
    return { path: "(module)", message, file: relative(projectRoot, modulePath(match[1])), line: Number(match[2]) };
  return { path: "(module)", message };
}

interface LoadOptions {
  /** Absolute path of the config file. */
  path: string;
  /** Directory whose modules are re-evaluated on reload (the project root). */
  projectRoot: string;
  mode?: string;
}

export async function loadConfig({ path, projectRoot, mode = "production" }: LoadOptions): Promise<LoadResult> {
  let source: string | undefined;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    return { ok: false, issues: [{ path: "(file)", message: `cannot read ${path}: ${(error as Error).message}` }] };
  }
  let exported: ConfigExport;
  try {
    const module = await freshImport(path, projectRoot);
    exported = (module as { default?: ConfigExport }).default as ConfigExport;
    if (typeof exported === "function") exported = exported({ env: { ...process.env }, mode });
  } catch (error) {
    return { ok: false, issues: [issueFromException(error, projectRoot, path)], source };
  }
  if (typeof exported !== "object" || exported === null) {
    return {
      ok: false,
      issues: [{ path: "(module)", message: "the config file must `export default defineConfig({...})`" }],
      source,
    };
  }
  const file = relative(projectRoot, path);
  const withLines = (issues: ConfigIssue[]) =>
    issues.map((issue) => ({ ...issue, file, line: locatePath(source!, issue.path) }));
  const checked = checkConfig(exported);
  if (!checked.ok) return { ok: false, issues: withLines(checked.issues), source };
  return { ok: true, config: checked.config, source, files: projectModules(projectRoot) };
}

/** Validates a config value against the schema and resolves it: the part of loading that needs no file. */
function checkConfig(exported: object): { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] } {
  const invalid = schemaIssues(exported);
  if (invalid.length > 0) return { ok: false, issues: invalid };
  const { config, issues } = resolveConfig(exported as GatewayConfigInput);
  return config ? { ok: true, config } : { ok: false, issues };
}

/**
 * Resolves a config given as a value instead of a file (an in-memory gateway, like Vite's inline
 * config): the same schema check and resolution as `loadConfig`, with issues carrying config paths only.
 */
export function resolveConfigValue(
  exported: ConfigExport,
  mode = "production",
): { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] } {
  const value: unknown = typeof exported === "function" ? exported({ env: { ...process.env }, mode }) : exported;
  if (typeof value !== "object" || value === null)
    return {
      ok: false,
      issues: [{ path: "(config)", message: "the config must be an object, as defineConfig({...}) takes" }],
    };
  return checkConfig(value);
}

/** One line per issue: `gateway.config.ts:12 tiers.t1.models[0]: unknown provider "x"`. */
export function formatIssues(issues: ConfigIssue[]): string {
  return issues
    .map(
      (i) =>
        `${i.file ? `${i.file}${i.line ? `:${i.line}` : ""} ` : ""}${i.path === "(module)" ? "" : `${i.path}: `}${i.message}`,
    )
    .join("\n");
}
