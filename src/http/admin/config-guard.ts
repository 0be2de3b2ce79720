/**
 * Loading a config runs its code on the host, with the gateway's rights: validating a candidate
 * imports it too. So a change whose code differs from the file's (anything but values the editable
 * tree could set: see src/config-editor/code-fingerprint.ts) needs the account's password again, in the
 * request, checked like a login (throttled, audited): a stolen session alone cannot run commands.
 * Once confirmed, that exact text may be validated and applied by the same session for a few minutes
 * without asking again (the UI validates, then applies).
 */
import { createHash } from "node:crypto";
import type { AccountSecurity } from "../../auth/account-security.ts";
import { changesCode } from "../../config-editor/code-fingerprint.ts";
import { GatewayError } from "../../errors.ts";
import { sessionOf } from "./session-context.ts";

/** How long a confirmed text stays confirmed for its session. */
const CODE_CHANGE_APPROVAL_MS = 10 * 60_000;

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

export class CodeChangeGuard {
  /** Session id → the text confirmed last, until when. One per session: a new confirmation replaces it. */
  private readonly approved = new Map<string, { digest: string; until: number }>();

  constructor(
    private readonly security: AccountSecurity,
    private readonly now: () => number,
  ) {}

  /**
   * Whether `candidate` changes the code of `current`. When it does, the request must carry the
   * password (or its session confirmed this text lately): 403 `forbidden` with `param: "password"`
   * when none came, 403 `wrong_credentials` when it is wrong, 429 when throttled.
   */
  async check(request: Request, change: { current: string; candidate: string; password?: unknown }): Promise<boolean> {
    if (!changesCode(change.current, change.candidate)) return false;
    const session = sessionOf(request);
    const at = this.now();
    const text = digest(change.candidate);
    const approval = this.approved.get(session.sessionId);
    if (approval && approval.digest === text && approval.until > at) return true;
    if (typeof change.password !== "string" || change.password === "") {
      throw new GatewayError(
        "forbidden",
        "This change adds or changes code, which runs on the gateway host as soon as the config is checked: confirm it with your password.",
        { param: "password" },
      );
    }
    try {
      await this.security.checkPasswordOnly(session, change.password, at, session.clientIp);
    } catch (error) {
      if (error instanceof GatewayError && error.code === "wrong_credentials")
        throw new GatewayError("wrong_credentials", "Wrong password.", { param: "password" });
      throw error;
    }
    this.forgetExpired(at);
    this.approved.set(session.sessionId, { digest: text, until: at + CODE_CHANGE_APPROVAL_MS });
    return true;
  }

  private forgetExpired(at: number): void {
    for (const [id, approval] of this.approved) if (approval.until <= at) this.approved.delete(id);
  }
}
