/**
 * Config through the admin API (DESIGN §6): view (masked source, the editable tree, the literal
 * secrets still in the file), validate and apply edits — surgical value edits by path, or a whole new
 * text — by loading the candidate module graph before anything is written; atomic write and hot
 * reload; history, diff, rollback (masked secrets filled in from the current file); secrets moved to
 * the data dir's secret store (config-secret-routes.ts).
 */
import { Elysia } from "elysia";
import type { SettingOverride } from "../../config/process-settings.ts";
import type { ConfigIssue } from "../../config/resolve.ts";
import { ConfigSchema } from "../../config/schema.ts";
import { lineDiff } from "../../config-editor/diff.ts";
import { literalSecrets, restoreSecrets } from "../../config-editor/masked-source.ts";
import { PROVIDER_KINDS } from "../../config-editor/provider-kinds.ts";
import type { SecretStore } from "../../config-editor/secret-store.ts";
import { configTree, type TreeNode } from "../../config-editor/source-tree.ts";
import { GatewayError } from "../../errors.ts";
import type { ConfigVersion } from "../../store/config-history.ts";
import { bodyOf, queryOf } from "./admin-input.ts";
import { configProviderRoutes } from "./config-provider-routes.ts";
import { configSecretRoutes, moveLiteralSecrets, requireStore } from "./config-secret-routes.ts";
import { bad, ConfigWriter, type ConfigWriterParts } from "./config-writer.ts";
import type { Answer } from "./contract/routes.ts";

/** The text a rollback writes: the version's, its masked secrets filled in from the file, or a 400 naming them. */
function rollbackText(version: ConfigVersion, current: string, config: unknown): string {
  const restored = restoreSecrets(version.source, current, config);
  if ("source" in restored) return restored.source;
  throw bad(
    `Version #${version.id} holds secrets the history keeps masked, and the current config has no value for them (${restored.unresolved.join(", ")}): ` +
      `it cannot be rolled back as it is. Copy its text into the code view and write those secrets as env("NAME") references.`,
    "id",
  );
}

export function configRoutes(parts: ConfigWriterParts & { secrets?: SecretStore; overrides?: SettingOverride[] }) {
  const { gateway, secrets } = parts;
  const live = gateway.live;
  const writer = new ConfigWriter(parts);

  return new Elysia()
    .get("/config", async (): Promise<Answer<"GET /api/config">> => {
      const source = writer.onDisk();
      let tree: TreeNode[] = [];
      const issues: ConfigIssue[] = [...(live.lastIssues ?? [])];
      try {
        tree = configTree(source, live.get());
      } catch (error) {
        // A file that does not parse still shows its text and the error (the running config is the previous one).
        if (issues.length === 0)
          issues.push({
            path: "(module)",
            message: error instanceof Error ? error.message : String(error),
            file: writer.fileName(),
          });
      }
      const literal = literalSecrets(source, live.get());
      return {
        file: writer.fileName(),
        version: live.version,
        historyId: (await gateway.versions?.latest())?.id,
        source: writer.masked(source),
        tree,
        issues,
        secrets: secrets?.names() ?? [],
        // Offered to move into the secret store (POST /api/config/secrets/move moves those with a path).
        literalSecrets: { count: literal.count, paths: literal.movable.map((m) => m.path) },
        overrides: parts.overrides ?? [],
        providerKinds: PROVIDER_KINDS.map(({ factory, label, defaultBaseURL, keyRequired }) => ({
          factory,
          label,
          defaultBaseURL,
          keyRequired,
        })),
        schema: ConfigSchema,
      };
    })
    .post("/config/validate", async ({ request }): Promise<Answer<"POST /api/config/validate">> => {
      const change = await bodyOf(request, "POST /api/config/validate");
      const candidate = writer.candidateOf(change);
      const result = await writer.validate(request, { source: candidate, password: change.password });
      // Only the secrets this change writes in clear: those already in the file have the page's own notice.
      const before = literalSecrets(writer.onDisk(), live.get());
      const after = literalSecrets(candidate, live.get());
      const had = new Set(before.movable.map((m) => `${m.path}\0${m.value}`));
      const fresh = after.movable.filter((m) => !had.has(`${m.path}\0${m.value}`)).map((m) => m.path);
      return {
        ...result,
        diff: lineDiff(writer.masked(writer.onDisk()), writer.masked(candidate)),
        literalSecrets: { count: Math.max(fresh.length, after.count - before.count), paths: fresh },
      };
    })
    .post("/config/apply", async ({ request }): Promise<Answer<"POST /api/config/apply">> => {
      const change = await bodyOf(request, "POST /api/config/apply");
      const reason = change.reason?.trim()
        ? change.reason.trim().slice(0, 200)
        : change.source !== undefined
          ? "edited the source"
          : "edited values";
      const candidate = writer.candidateOf(change);
      if (!change.moveSecrets)
        return writer.answer(await writer.apply(request, { source: candidate, reason, password: change.password }));
      // The text's literal secrets go to the store and never reach the file: it gets their env() references.
      const moving = moveLiteralSecrets(candidate, requireStore(secrets), live.get());
      return writer.answer(
        await moving.settle(() =>
          writer.apply(request, {
            source: moving.source,
            reason:
              moving.moved.length > 0 ? `${reason}, ${moving.moved.length} secret(s) to the secret store` : reason,
            password: change.password,
            typed: candidate,
          }),
        ),
      );
    })
    .use(configSecretRoutes({ gateway, writer, secrets }))
    .use(configProviderRoutes({ gateway, writer, secrets }))
    .get(
      "/config/history",
      async (): Promise<Answer<"GET /api/config/history">> => ({ versions: (await gateway.versions?.list()) ?? [] }),
    )
    .get("/config/history/:id", async ({ params }): Promise<Answer<"GET /api/config/history/:id">> => {
      const version = await gateway.versions?.get(Number(params.id));
      if (!version) throw new GatewayError("not_found", `No config version ${params.id}.`);
      return { ...version, source: writer.masked(version.source) };
    })
    .get("/config/diff", async ({ request }): Promise<Answer<"GET /api/config/diff">> => {
      const query = queryOf(request, "GET /api/config/diff");
      const text = async (id: number | string | undefined) => {
        if (id === undefined || id === "current") return writer.onDisk();
        const version = await gateway.versions?.get(Number(id));
        if (!version) throw new GatewayError("not_found", `No config version ${id}.`, { param: "from" });
        return version.source;
      };
      const [from, to] = [await text(query.from), await text(query.to)];
      return { hunks: lineDiff(writer.masked(from), writer.masked(to)) };
    })
    .post("/config/rollback", async ({ request }): Promise<Answer<"POST /api/config/rollback">> => {
      const { id, password } = await bodyOf(request, "POST /api/config/rollback");
      const version = await gateway.versions?.get(id);
      if (!version) throw bad("id must be a version of the history", "id");
      const source = rollbackText(version, writer.onDisk(), live.get());
      return writer.answer(
        await writer.apply(request, { source, reason: `rollback to version #${version.id}`, password }),
      );
    });
}
