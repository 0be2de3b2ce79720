/**
 * What the config routes share: the file on disk, its masked view, the candidate text of a change
 * (surgical edits applied to the file, or a whole new text), validation in the reload queue, and the
 * apply: validate, write atomically, hot-reload, put the old text back if the reload fails. Both
 * validate and apply load the candidate, which runs its code: a change of code passes the password
 * guard first (config-guard.ts), and both are audited with whether code changed.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { AccountSecurity } from "../../auth/account-security.ts";
import type { ConfigIssue } from "../../config/resolve.ts";
import { validateCandidate, writeConfigAtomically } from "../../config-editor/candidate.ts";
import { completeIssues } from "../../config-editor/candidate-issues.ts";
import { maskedLiterals, redactSource } from "../../config-editor/masked-source.ts";
import { applyEdits } from "../../config-editor/source-edit.ts";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import type { Accounts } from "../../store/accounts.ts";
import { CodeChangeGuard } from "./config-guard.ts";
import type { Body } from "./contract/routes.ts";
import { sessionOf } from "./session-context.ts";

/** The body of validate and apply (the contract's schema checked its types). */
type ChangeRequest = Body<"POST /api/config/apply">;

/** One change to apply: the full candidate text, why, and the password if the request carried one. */
interface Change {
  source: string;
  reason: string;
  password?: unknown;
  /**
   * The text the password guard checks, when `source` is the admin's text with its literal secrets
   * swapped for env() references (values only, so the same code): a confirmation of the typed text holds.
   */
  typed?: string;
}

type ApplyResult = { ok: true; version: number; historyId?: number } | { ok: false; issues: ConfigIssue[] };

export const bad = (message: string, param?: string) => new GatewayError("invalid_request", message, { param });

export interface ConfigWriterParts {
  gateway: Gateway;
  accounts: Accounts;
  security: AccountSecurity;
  /** The admin API's clock. */
  now: () => number;
}

export class ConfigWriter {
  private readonly guard: CodeChangeGuard;

  constructor(private readonly parts: ConfigWriterParts) {
    this.guard = new CodeChangeGuard(parts.security, parts.now);
  }

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
      if (change.source.trim() === "") throw bad("source must be the whole config text", "source");
      // A mask written to the file would replace the real secret with it.
      if (maskedLiterals(change.source, this.onDisk()).length > 0)
        throw bad(
          'The text holds a masked secret (…): set secrets through POST /api/config/secret, or write env("NAME").',
          "source",
        );
      return change.source;
    }
    if (!Array.isArray(change.edits) || change.edits.length === 0)
      throw bad("send edits (a non-empty list) or source", "edits");
    const result = applyEdits(this.onDisk(), change.edits);
    if ("errors" in result)
      throw new GatewayError("invalid_request", result.errors.map((e) => `${e.path}: ${e.message}`).join("; "), {
        param: "edits",
      });
    return result.source;
  }

  /**
   * Loads the candidate (its code runs) in the reload queue. A refusal lists every problem the source
   * shows, not only the first the loader met (candidate-issues.ts).
   */
  private async check(source: string) {
    const live = this.live;
    const result = await live.exclusive(() =>
      validateCandidate({ configPath: live.path, projectRoot: live.projectRoot, source }),
    );
    if (result.ok) return result;
    return { ...result, issues: completeIssues(source, result.issues, live.get(), this.fileName()) };
  }

  /** One audit row for an action of the config routes, by the session's account. */
  audit(request: Request, action: string, detail: Record<string, unknown>): Promise<void> {
    const session = sessionOf(request);
    return this.parts.accounts.audit({
      ts: this.parts.now(),
      actor: session.username,
      action,
      detail,
      clientIp: session.clientIp,
    });
  }

  /** Loads a candidate without writing it (past the guard), audited; the issues when it does not load. */
  async validate(request: Request, change: Omit<Change, "reason">): Promise<{ ok: boolean; issues: ConfigIssue[] }> {
    const codeChanged = await this.guard.check(request, {
      current: this.onDisk(),
      candidate: change.source,
      password: change.password,
    });
    const result = await this.check(change.source);
    await this.audit(request, "config.validate", {
      ok: result.ok,
      codeChanged,
      ...(result.ok ? {} : { issues: result.issues.length }),
    });
    return { ok: result.ok, issues: result.ok ? [] : result.issues };
  }

  /** Past the guard: validates, writes atomically, reloads; on a failed reload the previous text is put back. Audited. */
  async apply(request: Request, change: Change): Promise<ApplyResult> {
    const session = sessionOf(request);
    const previous = this.onDisk();
    const codeChanged = await this.guard.check(request, {
      current: previous,
      candidate: change.typed ?? change.source,
      password: change.password,
    });
    const result = await this.check(change.source);
    const outcome = await (result.ok
      ? this.writeAndReload(change, previous, session.username)
      : { ok: false as const, issues: result.issues });
    const detail = outcome.ok
      ? { version: outcome.version, historyId: outcome.historyId }
      : { issues: outcome.issues.length };
    await this.audit(request, "config.apply", { ok: outcome.ok, codeChanged, reason: change.reason, ...detail });
    return outcome;
  }

  private async writeAndReload(change: Change, previous: string, author: string): Promise<ApplyResult> {
    writeConfigAtomically(this.live.path, change.source);
    const event = await this.live.reload(change.reason, author);
    if (!event.ok) {
      writeConfigAtomically(this.live.path, previous);
      return { ok: false, issues: event.issues ?? [] };
    }
    // The reload's version is recorded by the gateway's reload listener: the id once it is written.
    const versions = this.parts.gateway.versions;
    await versions?.settled();
    return { ok: true, version: event.version, historyId: (await versions?.latest())?.id };
  }

  /**
   * The HTTP answer of an apply: the result, or a 400 `config_invalid` whose body also carries
   * `ok: false` and the issues (with their paths and lines) beside the error, which the UI lists.
   */
  answer<R extends ApplyResult>(result: R): Extract<R, { ok: true }> {
    if (result.ok) return result as Extract<R, { ok: true }>;
    throw new GatewayError("config_invalid", "The config was not applied: it does not load.", {
      data: { ok: false, issues: result.issues },
    });
  }
}
