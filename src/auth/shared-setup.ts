/**
 * Cluster mode: the first-run setup link printed by one process works on every process behind the load
 * balancer. The token's digest and expiry are kept in the shared database; the first process to start
 * offers its own (the others print that the link was printed elsewhere), and using it is one
 * conditional delete, so the link makes one admin even when two processes are sent it at once.
 */
// Imported rather than assumed global: Deno asks for node:buffer (DESIGN §9).
import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Accounts } from "../store/accounts.ts";
import type { SetupToken } from "./setup-token.ts";

const SETTING = "setup.token";

interface StoredSetup {
  digest: string;
  expiresAt: number;
}

const digestOf = (token: string) => createHash("sha256").update(token).digest("hex");

export class SharedSetup {
  constructor(private readonly settings: Pick<Accounts, "settingOnce" | "setting" | "setSetting" | "takeSetting">) {}

  /** Offers this process's token; true when it is the cluster's (print it), false when another one's is. */
  async offer(token: SetupToken, now: number): Promise<boolean> {
    const mine: StoredSetup = { digest: digestOf(token.token), expiresAt: token.expiresAt };
    let stored = await this.settings.settingOnce<StoredSetup>(SETTING, mine, now);
    if (stored.expiresAt <= now) {
      // An expired one of an earlier start: replaced (a process starting at the same moment may win).
      await this.settings.setSetting(SETTING, mine, now);
      stored = mine;
    }
    return stored.digest === mine.digest;
  }

  /** Uses the cluster's token: true once, for the right unexpired one, on whichever process. */
  async consume(candidate: string, now: number): Promise<boolean> {
    const stored = await this.settings.setting<StoredSetup | undefined>(SETTING, undefined);
    if (!stored) return false;
    // Compared first, whatever the state, so timing does not tell "expired" from "wrong".
    const equal = timingSafeEqual(Buffer.from(digestOf(candidate), "hex"), Buffer.from(stored.digest, "hex"));
    return equal && now < stored.expiresAt && (await this.settings.takeSetting(SETTING, stored));
  }
}
