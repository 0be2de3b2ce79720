/**
 * What the config routes share: the file on disk, its masked view, the candidate text of a change
 * (surgical edits applied to the file, or a whole new text), validation in the reload queue, and the
 * apply: validate, write atomically, hot-reload, put the old text back if the reload fails, audit.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { GatewayError } from "../../errors.ts";
import { applyEdits, type Edit } from "../../config/source-edit.ts";
import { validateCandidate, writeConfigAtomically } from "../../config/candidate.ts";
import { maskedLiterals, redactSource } from "../../config/masked-source.ts";
import { sessionOf } from "./session-context.ts";
import type { ConfigIssue } from "../../config/resolve.ts";
import type { Gateway } from "../../gateway.ts";
import type { Accounts } from "../../store/accounts.ts";

/** The body of validate and apply. */
export interface ChangeRequest {
  edits?: Edit[];
  source?: string;
  reason?: string;
}

export type ApplyResult = { ok: true; version: number; historyId?: number } | { ok: false; issues: ConfigIssue[] };

export const bad = (message: string, param?: string) => new GatewayError("invalid_request", message, { param });

export class ConfigWriter {
  constructor(private readonly parts: { gateway: Gateway; accounts: Accounts }) {}

  private get live() {
    return this.parts.gateway.live;
  }

  fileName(): string {
    return relative(this.live.projectRoot, this.live.path);
  }

  onDisk(): string {
    return readFileSync(this.live.path, "utf8");
  }

  /** A text as the API shows it: secrets masked (with the running config's plugin schemas). */
  masked(source: string): string {
    return redactSource(source, this.live.get());
  }

  /** The candidate text of a change: edits applied to the file as it is on disk, or the new text. */
  candidateOf(change: ChangeRequest): string {
    if (change.source !== undefined) {
      if (typeof change.source !== "string" || change.source.trim() === "") throw bad("source must be the whole config text", "source");
      // A mask written to the file would replace the real secret with it.
      if (maskedLiterals(change.source, this.onDisk()).length > 0) throw bad("The text holds a masked secret (…): set secrets through POST /api/config/secret, or write env(\"NAME\").", "source");
      return change.source;
    }
    if (!Array.isArray(change.edits) || change.edits.length === 0) throw bad("send edits (a non-empty list) or source", "edits");
    const result = applyEdits(this.onDisk(), change.edits);
    if ("errors" in result) throw new GatewayError("invalid_request", result.errors.map((e) => `${e.path}: ${e.message}`).join("; "), { param: "edits" });
    return result.source;
  }

  /** Loads the candidate (its code runs) in the reload queue. */
  check(source: string) {
    const live = this.live;
    return live.exclusive(() => validateCandidate({ configPath: live.path, projectRoot: live.projectRoot, source }));
  }

  /** Validates, writes atomically, reloads; on a failed reload the previous text is put back. Audited. */
  async apply(source: string, reason: string, request: Request): Promise<ApplyResult> {
    const session = sessionOf(request);
    const result = await this.check(source);
    if (!result.ok) return { ok: false, issues: result.issues };
    const previous = this.onDisk();
    writeConfigAtomically(this.live.path, source);
    const event = await this.live.reload(reason, session.username);
    if (!event.ok) {
      writeConfigAtomically(this.live.path, previous);
      return { ok: false, issues: event.issues ?? [] };
    }
    const historyId = this.parts.gateway.history?.latest()?.id;
    this.parts.accounts.audit({ ts: Date.now(), actor: session.username, action: "config.apply", detail: { reason, version: event.version, historyId }, clientIp: session.clientIp });
    return { ok: true, version: event.version, historyId };
  }

  /** The HTTP answer of an apply: the result, or 400 with the issues. */
  answer(result: ApplyResult, set: { status?: number | string }) {
    if (!result.ok) set.status = 400;
    return result.ok ? result : { ok: false, error: { message: "The config was not applied: it does not load.", code: "config_invalid" }, issues: result.issues };
  }
}
