/**
 * Secrets out of the config file and into the data dir's secret store (`secrets.env`, 0600), the
 * config getting an env() reference instead: one secret typed in the UI (POST /config/secret), or
 * every literal secret the file holds, moved in one call (POST /config/secrets/move). Both are
 * surgical edits of values, applied (and audited) like any other. The store's list (names, when set,
 * which paths use each: never a value) and delete of one nothing uses (GET, DELETE /config/secrets).
 */
import { Elysia } from "elysia";
import { literalSecrets } from "../../config-editor/masked-source.ts";
import { freeSecretName, type SecretStore, secretNameForPath } from "../../config-editor/secret-store.ts";
import { applyEdits, type Edit } from "../../config-editor/source-edit.ts";
import { configTree, type TreeNode } from "../../config-editor/source-tree.ts";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import { bodyOf } from "./admin-input.ts";
import { bad, type ConfigWriter } from "./config-writer.ts";
import type { Answer } from "./contract/routes.ts";

function findNode(nodes: TreeNode[], path: string): TreeNode | undefined {
  for (const node of nodes) {
    if (node.path === path) return node;
    const found = node.children && findNode(node.children, path);
    if (found) return found;
  }
  return undefined;
}

/** The file with `edits` applied, or a 400 naming what failed. */
export function edited(source: string, edits: Edit[]): string {
  const result = applyEdits(source, edits);
  if ("errors" in result)
    throw new GatewayError("invalid_request", result.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
  return result.source;
}

/** The secret store, or a 404: the admin API runs with a data directory, so this is a guard, not a mode. */
export function requireStore(secrets: SecretStore | undefined): SecretStore {
  if (!secrets) throw new GatewayError("not_found", "Secrets need a data directory.");
  return secrets;
}

/** Every env("NAME") reference of the config tree: name → the paths using it. */
function envReferences(nodes: TreeNode[], into = new Map<string, string[]>()): Map<string, string[]> {
  for (const node of nodes) {
    const env = (node.value as { env?: unknown } | undefined)?.env;
    if (node.kind === "env" && typeof env === "string") into.set(env, [...(into.get(env) ?? []), node.path]);
    if (node.children) envReferences(node.children, into);
  }
  return into;
}

export function configSecretRoutes(parts: { gateway: Gateway; writer: ConfigWriter; secrets?: SecretStore }) {
  const { gateway, writer } = parts;
  const store = () => requireStore(parts.secrets);
  /** Who uses a stored name: config paths with its env() reference, else the file's code if it names it at all. */
  const users = (source: string) => {
    const paths = envReferences(configTree(source, gateway.live.get()));
    return (name: string) =>
      paths.get(name) ?? (new RegExp(`\\b${name}\\b`).test(source) ? [`${writer.fileName()} (in code)`] : []);
  };
  return new Elysia()
    .post("/config/secret", async ({ request }): Promise<Answer<"POST /api/config/secret">> => {
      const secrets = store();
      const body = await bodyOf(request, "POST /api/config/secret");
      const node = findNode(configTree(writer.onDisk(), gateway.live.get()), body.path);
      if (!node?.secret || (node.kind !== "string" && node.kind !== "env"))
        throw bad(`${body.path} is not a secret value of the config`, "path");
      const name = secretNameForPath(body.path);
      secrets.set(name, body.value);
      const applied = await writer.apply(request, {
        source: edited(writer.onDisk(), [{ op: "set", path: body.path, value: { $env: name } }]),
        reason: `secret set for ${body.path}`,
      });
      return applied.ok ? { ok: true, env: name, version: applied.version } : writer.answer(applied);
    })
    .post("/config/secrets/move", async ({ request }): Promise<Answer<"POST /api/config/secrets/move">> => {
      const moving = moveLiteralSecrets(writer.onDisk(), store(), gateway.live.get());
      if (moving.moved.length === 0) return { ok: true, moved: [] };
      const reason = `moved ${moving.moved.length} literal secret${moving.moved.length === 1 ? "" : "s"} to the secret store`;
      const applied = await moving.settle(() => writer.apply(request, { source: moving.source, reason }));
      if (!applied.ok) return writer.answer(applied);
      return { ok: true, moved: moving.moved, version: applied.version };
    })
    .get("/config/secrets", (): Answer<"GET /api/config/secrets"> => {
      const usedBy = users(writer.onDisk());
      return { secrets: (parts.secrets?.list() ?? []).map((s) => ({ ...s, usedBy: usedBy(s.name) })) };
    })
    .delete(
      "/config/secrets/:name",
      async ({ params, request }): Promise<Answer<"DELETE /api/config/secrets/:name">> => {
        const secrets = store();
        if (!secrets.has(params.name)) throw new GatewayError("not_found", `No stored secret ${params.name}.`);
        const used = users(writer.onDisk())(params.name);
        if (used.length > 0)
          throw bad(
            `${params.name} is still used by ${used.join(", ")}: change or remove those first, or the config stops loading`,
            "name",
          );
        secrets.delete(params.name);
        await writer.audit(request, "config.secret.delete", { name: params.name });
        return { ok: true };
      },
    );
}

/**
 * Every literal secret of `source` written as a config value, stored in the secret store (under a
 * name free for its value) and replaced by its env() reference: the new text, what moved, and
 * `settle`, which runs the apply and takes the newly stored secrets back out if it fails or throws
 * (the file still holds them then: nothing refers to those names).
 */
export function moveLiteralSecrets(source: string, secrets: SecretStore, config: unknown) {
  const { movable } = literalSecrets(source, config);
  const env = { ...process.env };
  const moved = movable.map(({ path, value }) => {
    const name = freeSecretName(secretNameForPath(path), value, env);
    env[name] = value; // the next secret of this batch must not take the same name for another value
    return { path, env: name, value };
  });
  const fresh = moved.filter((m) => !secrets.has(m.env));
  // Stored first: the edited config refers to them, and loading it reads them from process.env.
  for (const m of moved) secrets.set(m.env, m.value);
  const forget = () => {
    for (const m of fresh) secrets.delete(m.env);
  };
  return {
    source:
      moved.length === 0
        ? source
        : edited(
            source,
            moved.map((m) => ({ op: "set", path: m.path, value: { $env: m.env } })),
          ),
    moved: moved.map(({ path, env: name }) => ({ path, env: name })),
    async settle<R extends { ok: boolean }>(apply: () => Promise<R>): Promise<R> {
      let result: R;
      try {
        result = await apply();
      } catch (error) {
        forget();
        throw error;
      }
      if (!result.ok) forget();
      return result;
    },
  };
}
