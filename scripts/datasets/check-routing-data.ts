/**
 * Checks labelled routing files (the shared corpus's format, extended with request fields; see
 * datasets/routing/README.md) and prints counts per tier and language.
 * Usage: bun scripts/datasets/check-routing-data.ts [file ...]   (default: every datasets/routing/*.jsonl)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROLES = new Set(["system", "user", "assistant", "tool"]);
const REQUEST_FIELDS = new Set([
  "tools",
  "tool_choice",
  "reasoning_effort",
  "max_tokens",
  "response_format",
  "temperature",
]);

type Message = { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };

function contentIssues(m: Message, where: string): string[] {
  const c = m.content;
  if (typeof c === "string") return c.trim() === "" && !m.tool_calls ? [`${where}: empty content`] : [];
  if (c === null || c === undefined)
    return m.role === "assistant" && Array.isArray(m.tool_calls) ? [] : [`${where}: no content`];
  if (!Array.isArray(c)) return [`${where}: content must be a string or an array of parts`];
  return c.flatMap((part: { type?: string; text?: string; image_url?: { url?: string } }, i: number) => {
    if (part?.type === "text" && typeof part.text === "string") return [];
    if (part?.type === "image_url" && typeof part.image_url?.url === "string") return [];
    return [`${where}: part ${i} is not a text or image_url part`];
  });
}

export function itemIssues(item: Record<string, unknown>): string[] {
  const issues: string[] = [];
  if (typeof item.id !== "string" || !/^[a-z]+-\d{3,4}$/.test(item.id)) issues.push("id must look like prefix-001");
  if (item.lang !== "en" && item.lang !== "zh") issues.push("lang must be en or zh");
  if (!["t1", "t2", "t3"].includes(item.tier as string)) issues.push("tier must be t1, t2 or t3");
  if (typeof item.note !== "string" || item.note.trim().length < 10) issues.push("note must say why (10+ characters)");
  const messages = item.messages as Message[] | undefined;
  if (!Array.isArray(messages) || messages.length === 0) return [...issues, "messages must be a non-empty array"];
  const callIds = new Set<string>();
  messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    if (!ROLES.has(m.role)) issues.push(`${where}: role ${m.role}`);
    if (m.role === "system" && i !== 0) issues.push(`${where}: a system message comes first only`);
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls as {
        id?: string;
        type?: string;
        function?: { name?: string; arguments?: string };
      }[]) {
        if (
          typeof call.id !== "string" ||
          call.type !== "function" ||
          typeof call.function?.name !== "string" ||
          typeof call.function?.arguments !== "string"
        ) {
          issues.push(
            `${where}: tool_calls entries need id, type "function", function.name and function.arguments (a JSON string)`,
          );
        } else callIds.add(call.id);
      }
    }
    if (m.role === "tool" && (typeof m.tool_call_id !== "string" || !callIds.has(m.tool_call_id)))
      issues.push(`${where}: tool message must answer an earlier tool_call id`);
    issues.push(...contentIssues(m, where));
  });
  const last = messages[messages.length - 1];
  if (last.role !== "user" && last.role !== "tool")
    issues.push("the last message must be user (or tool, for a tool-result turn)");
  if (item.request !== undefined) {
    if (typeof item.request !== "object" || item.request === null) issues.push("request must be an object");
    else
      for (const key of Object.keys(item.request))
        if (!REQUEST_FIELDS.has(key)) issues.push(`request.${key} is not a known request field`);
  }
  const known = new Set(["id", "lang", "tier", "messages", "note", "request", "pair"]);
  for (const key of Object.keys(item)) if (!known.has(key)) issues.push(`unknown field ${key}`);
  return issues;
}

function check(files: string[]): number {
  let bad = 0;
  const ids = new Map<string, string>();
  for (const file of files) {
    const counts: Record<string, number> = {};
    const lines = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    lines.forEach((line, n) => {
      let item: Record<string, unknown>;
      try {
        item = JSON.parse(line);
      } catch (error) {
        bad++;
        console.log(`${file}:${n + 1}: not JSON (${(error as Error).message})`);
        return;
      }
      const issues = itemIssues(item);
      const id = String(item.id);
      if (ids.has(id)) issues.push(`duplicate id (also in ${ids.get(id)})`);
      ids.set(id, file);
      for (const issue of issues) console.log(`${file}:${n + 1} ${id}: ${issue}`);
      if (issues.length > 0) bad++;
      const key = `${item.tier}/${item.lang}`;
      counts[key] = (counts[key] ?? 0) + 1;
    });
    const summary = Object.entries(counts)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    console.log(`${file}: ${lines.length} items (${summary})`);
  }
  console.log(bad === 0 ? "all items valid" : `${bad} invalid item(s)`);
  return bad;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const dir = "datasets/routing";
  const files =
    args.length > 0
      ? args
      : readdirSync(dir)
          .filter((f) => f.endsWith(".jsonl"))
          .map((f) => join(dir, f));
  process.exit(check(files) === 0 ? 0 : 1);
}
