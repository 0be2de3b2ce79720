/**
 * Secrets typed into the admin UI, shared by the processes of a cluster (PostgreSQL and Redis): a
 * provider key stored on one process is stored on every other, so a config edit that refers to it as
 * `env("NAME")` loads everywhere. Each value is sealed with the cluster's session key (SecretBox, bound
 * to its name): Redis and the database only ever hold ciphertext. Kept in the settings table (a process
 * that starts later reads them all) and announced on Redis with the sealed value itself, so a process
 * stores it as the message arrives, before the config edit that follows it on the same connection.
 */
import type { SecretBox } from "../auth/secret-box.ts";
import type { SecretStore } from "../config-editor/secret-store.ts";
import type { Logger } from "../plugin/types.ts";
import type { Accounts } from "../store/accounts.ts";
import type { SharedState } from "./shared-state.ts";

const CHANGED = "secrets.changed";
const ROW = "secret:";

/** One change as announced: the name, the sealed value or null (deleted), and who made it. */
interface SecretChange {
  name: string;
  sealed: string | null;
  from: string;
}

export class SharedSecrets {
  private readonly self = crypto.randomUUID();

  constructor(
    private readonly parts: {
      shared: SharedState;
      settings: Pick<Accounts, "settingsWithPrefix" | "setSetting" | "deleteSetting">;
      box: SecretBox;
      store: SecretStore;
      now: () => number;
      log: Pick<Logger, "warn">;
      /** Told after secrets from the cluster were stored (a config edit refused for lack of one is tried again). */
      adopted?: () => void;
    },
  ) {}

  /** Listens, then stores what the cluster already has, then passes this process's own changes on. */
  async start(): Promise<void> {
    const { shared, settings, store } = this.parts;
    await shared.subscribe(CHANGED, (message) => this.received(message));
    for (const row of await settings.settingsWithPrefix<string>(ROW)) this.adopt(row.key.slice(ROW.length), row.value);
    this.parts.adopted?.();
    store.onChange((name, value) => void this.announce(name, value));
  }

  private async announce(name: string, value: string | undefined): Promise<void> {
    const { shared, settings, box, now, log } = this.parts;
    const sealed = value === undefined ? null : box.seal(value, `${ROW}${name}`);
    shared.publish(CHANGED, JSON.stringify({ name, sealed, from: this.self } satisfies SecretChange));
    try {
      if (sealed === null) await settings.deleteSetting(`${ROW}${name}`);
      else await settings.setSetting(`${ROW}${name}`, sealed, now());
    } catch (error) {
      log.warn(`secret ${name}: not kept for processes that start later`, { error: String(error) });
    }
  }

  private received(message: string): void {
    try {
      const change = JSON.parse(message) as SecretChange;
      if (change.from === this.self) return;
      this.adopt(change.name, change.sealed);
      this.parts.adopted?.();
    } catch (error) {
      this.parts.log.warn("a shared secret change could not be read", { error: String(error) });
    }
  }

  /** Stores one change here; a value sealed under another key (a process with its own) is said and left. */
  private adopt(name: string, sealed: string | null): void {
    if (sealed === null) {
      this.parts.store.adopt(name, undefined);
      return;
    }
    const value = this.parts.box.open(sealed, `${ROW}${name}`);
    if (value === undefined) {
      this.parts.log.warn(`secret ${name}: sealed under another session key, not stored here`);
      return;
    }
    this.parts.store.adopt(name, value);
  }
}
