/**
 * Config through the admin API (DESIGN §6): view (masked source and the editable tree), validate and
 * apply edits — surgical value edits by path, or a whole new text — by loading the candidate module
 * graph before anything is written; atomic write and hot reload; history, diff, rollback; secrets
 * typed in the UI go to the data dir's secret store and the config gets an env() reference.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { Elysia } from "elysia";
import { GatewayError } from "../../errors.ts";
import { configTree, maskSecrets, type TreeNode } from "../../config/source-tree.ts";
import { applyEdits, type Edit } from "../../config/source-edit.ts";
import { validateCandidate, writeConfigAtomically } from "../../config/candidate.ts";
import { lineDiff } from "../../config/diff.ts";
import { parsePath } from "../../config/ast.ts";
import { ConfigSchema } from "../../config/schema.ts";
import { secretName, type SecretStore } from "../../config/secret-store.ts";
import { sessionOf } from "./session-context.ts";
import type { ConfigIssue } from "../../config/resolve.ts";
import type { Gateway } from "../../gateway.ts";
import type { Accounts } from "../../store/accounts.ts";

interface ChangeRequest {
  edits?: Edit[];
  source?: string;
  reason?: string;
}

const bad = (message: string, param?: string) => new GatewayError("invalid_request", message, { param });

function findNode(nodes: TreeNode[], path: string): TreeNode | undefined {
  for (const node of nodes) {
    if (node.path === path) return node;
    const found = node.children && findNode(node.children, path);
    if (found) return found;
  }
  return undefined;
}

/**
 * True when a text holds a masked secret as GET /api/config showed it (a string literal with "…" that
 * the file on disk does not have): writing it would replace the real secret with its mask. Checked on
 * every string literal, not only tree nodes, since secrets inside expressions are masked too.
 */
function holdsMaskedSecret(candidate: string, current: string): boolean {
  for (const match of candidate.matchAll(/(["'`])(?:(?!\1)[^\\\n]|\\.)*…(?:(?!\1)[^\\\n]|\\.)*\1/g)) {
    if (!current.includes(match[0])) return true;
  }
  return false;
}

export function configRoutes(parts: { gateway: Gateway; accounts: Accounts; secrets?: SecretStore }) {
  const { gateway, accounts, secrets } = parts;
  const live = gateway.live;
  const fileName = () => relative(live.projectRoot, live.path);
  const onDisk = () => readFileSync(live.path, "utf8");
  const masked = (source: string) => {
    try {
      return maskSecrets(source, live.get());
    } catch {
      return maskSecrets(source);
    }
  };

  /** The candidate text of a change: edits applied to the file as it is on disk, or the new text. */
  const candidateOf = (change: ChangeRequest): string => {
    if (change.source !== undefined) {
      if (typeof change.source !== "string" || change.source.trim() === "") throw bad("source must be the whole config text", "source");
      if (holdsMaskedSecret(change.source, onDisk())) throw bad("The text holds a masked secret (…): set secrets through POST /api/config/secret, or write env(\"NAME\").", "source");
      return change.source;
    }
    if (!Array.isArray(change.edits) || change.edits.length === 0) throw bad("send edits (a non-empty list) or source", "edits");
    const result = applyEdits(onDisk(), change.edits);
    if ("errors" in result) throw new GatewayError("invalid_request", result.errors.map((e) => `${e.path}: ${e.message}`).join("; "), { param: "edits" });
    return result.source;
  };

  const check = (source: string) => live.exclusive(() => validateCandidate({ configPath: live.path, projectRoot: live.projectRoot, source }));

  /** Validates, writes atomically, reloads; on a failed reload the previous text is put back. */
  const apply = async (source: string, reason: string, request: Request): Promise<{ ok: true; version: number; historyId?: number } | { ok: false; issues: ConfigIssue[] }> => {
    const session = sessionOf(request);
    const result = await check(source);
    if (!result.ok) return { ok: false, issues: result.issues };
    const previous = onDisk();
    writeConfigAtomically(live.path, source);
    const event = await live.reload(reason, session.username);
    if (!event.ok) {
      writeConfigAtomically(live.path, previous);
      return { ok: false, issues: event.issues ?? [] };
    }
    const historyId = gateway.history?.latest()?.id;
    accounts.audit({ ts: Date.now(), actor: session.username, action: "config.apply", detail: { reason, version: event.version, historyId }, clientIp: session.clientIp });
    return { ok: true, version: event.version, historyId };
  };

  const answer = (result: Awaited<ReturnType<typeof apply>>, set: { status?: number | string }) => {
    if (!result.ok) set.status = 400;
    return result.ok ? result : { ok: false, error: { message: "The config was not applied: it does not load.", code: "config_invalid" }, issues: result.issues };
  };

  return new Elysia()
    .get("/config", () => {
      const source = onDisk();
      let tree: TreeNode[] = [];
      const issues: ConfigIssue[] = [...(live.lastIssues ?? [])];
      try {
        tree = configTree(source, live.get());
      } catch (error) {
        // A file that does not parse still shows its text and the error (the running config is the previous one).
        if (issues.length === 0) issues.push({ path: "(module)", message: error instanceof Error ? error.message : String(error), file: fileName() });
      }
      return {
        file: fileName(),
        version: live.version,
        historyId: gateway.history?.latest()?.id,
        source: masked(source),
        tree,
        issues,
        secrets: secrets?.names() ?? [],
        schema: ConfigSchema,
      };
    })
    .post("/config/validate", async ({ request }) => {
      const candidate = candidateOf((await request.json().catch(() => ({}))) as ChangeRequest);
      const result = await check(candidate);
      return { ok: result.ok, issues: result.ok ? [] : result.issues, diff: lineDiff(masked(onDisk()), masked(candidate)) };
    })
    .post("/config/apply", async ({ request, set }) => {
      const change = (await request.json().catch(() => ({}))) as ChangeRequest;
      const reason = typeof change.reason === "string" && change.reason.trim() ? change.reason.trim().slice(0, 200) : change.source !== undefined ? "edited the source" : "edited values";
      return answer(await apply(candidateOf(change), reason, request), set);
    })
    .post("/config/secret", async ({ request, set }) => {
      if (!secrets) throw new GatewayError("not_found", "Secrets need a data directory.");
      const body = (await request.json().catch(() => ({}))) as { path?: unknown; value?: unknown };
      if (typeof body.path !== "string" || typeof body.value !== "string" || body.value === "") throw bad("path and value (the secret) are required", "path");
      const node = findNode(configTree(onDisk(), live.get()), body.path);
      if (!node?.secret || (node.kind !== "string" && node.kind !== "env")) throw bad(`${body.path} is not a secret value of the config`, "path");
      const segments = parsePath(body.path) ?? [];
      const provider = segments[0] === "providers" && typeof segments[1] === "string" ? segments[1] : "gateway";
      // The last named segment, with the index of an array element (auth.apiKeys[0] → API_KEYS_0).
      const last = segments[segments.length - 1];
      const key = typeof last === "number" ? `${String(segments[segments.length - 2])}_${last}` : String(last);
      const name = secretName(provider, key);
      secrets.set(name, body.value);
      const result = applyEdits(onDisk(), [{ op: "set", path: body.path, value: { $env: name } }]);
      if ("errors" in result) throw new GatewayError("invalid_request", result.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
      const applied = await apply(result.source, `secret set for ${body.path}`, request);
      return answer(applied, set).ok ? { ok: true, env: name, version: (applied as { version: number }).version } : answer(applied, set);
    })
    .get("/config/history", () => ({ versions: gateway.history?.list() ?? [] }))
    .get("/config/history/:id", ({ params }) => {
      const version = gateway.history?.get(Number(params.id));
      if (!version) throw new GatewayError("not_found", `No config version ${params.id}.`);
      return { ...version, source: masked(version.source) };
    })
    .get("/config/diff", ({ request }) => {
      const query = new URL(request.url).searchParams;
      const text = (id: string | null) => {
        if (id === null || id === "current") return onDisk();
        const version = gateway.history?.get(Number(id));
        if (!version) throw new GatewayError("not_found", `No config version ${id}.`, { param: "from" });
        return version.source;
      };
      return { hunks: lineDiff(masked(text(query.get("from"))), masked(text(query.get("to")))) };
    })
    .post("/config/rollback", async ({ request, set }) => {
      const { id } = (await request.json().catch(() => ({}))) as { id?: unknown };
      const version = typeof id === "number" ? gateway.history?.get(id) : undefined;
      if (!version) throw bad("id must be a version of the history", "id");
      return answer(await apply(version.source, `rollback to version #${version.id}`, request), set);
    });
}
