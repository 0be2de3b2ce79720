/**
 * Every applied version of the config file: text, author ("file" for edits outside the UI), time,
 * reason. The text is stored with its secrets masked (never a literal secret in the database: a copy
 * of it, or of a backup, must not give provider or gateway keys away); rows written in clear by older
 * versions are masked once, at start. A rollback fills the masks in from the current file.
 *
 * Masking parses the file (Babel, about 11 MB loaded). A gateway restarted on the file it last recorded
 * need not: beside the newest version it keeps a keyed digest of the file as read (HMAC with a key of
 * the data directory, so a copy of the database cannot be used to test guesses of the secrets a file
 * holds, as a plain hash could), and a file with the same digest is the same version. (Its masked text
 * is then taken as unchanged too, even if a plugin file it imports now marks another option secret: the
 * version recorded before stays as it was, as every older one does.)
 */
import { createHmac } from "node:crypto";
import { desc, eq, lt } from "drizzle-orm";
import { redactSource } from "../config-editor/masked-source.ts";
import { systemClock } from "../pipeline/clock.ts";
import type { Store } from "./db.ts";
import { configHistory, settings } from "./schema.ts";

export type ConfigVersion = typeof configHistory.$inferSelect;

/** The settings row saying that every stored text is masked (the one-time pass over older rows is done). */
const MASKED = "configHistory.masked";
/** The settings row holding `{ version, digest }`: the keyed digest of the file that version was recorded from. */
const LATEST_DIGEST = "configHistory.latestDigest";
/** Derives the digest key from the data directory's key: the same key never serves two purposes. */
const DIGEST_PURPOSE = "smartroute config history: digest of an unchanged file";

export class ConfigHistory {
  /**
   * @param redact masks the secrets of a text (default: by key names and credential shapes; the
   * running config can lend its plugin schemas). Must be idempotent: stored texts go through it again.
   */
  private readonly digestKey?: Buffer;

  /**
   * @param key the data directory's secret key (src/auth/sessions.ts); without one every text is masked
   * to be compared with the newest version's.
   */
  constructor(
    private readonly store: Store,
    private readonly redact: (source: string) => string = (source) => redactSource(source),
    key?: Uint8Array,
  ) {
    this.digestKey = key && createHmac("sha256", key).update(DIGEST_PURPOSE).digest();
    this.maskOlderRows();
  }

  latest(): ConfigVersion | undefined {
    return this.store.db.select().from(configHistory).orderBy(desc(configHistory.id)).limit(1).get();
  }

  /** Records `source`, masked, unless it is the text of the latest version already (a reload that changed nothing). */
  record(entry: { ts: number; author: string; reason: string; source: string }): ConfigVersion | undefined {
    const latest = this.latest();
    const digest = this.digestKey && createHmac("sha256", this.digestKey).update(entry.source).digest("base64url");
    if (digest && latest && this.setting(LATEST_DIGEST) === JSON.stringify({ version: latest.id, digest }))
      return undefined;
    const source = this.redact(entry.source);
    const recorded =
      latest?.source === source
        ? undefined
        : this.store.db
            .insert(configHistory)
            .values({ ...entry, source })
            .returning()
            .get();
    const newest = recorded ?? latest;
    if (digest && newest) this.keepSetting(LATEST_DIGEST, JSON.stringify({ version: newest.id, digest }));
    return recorded;
  }

  private setting(key: string): string | undefined {
    return this.store.db.select().from(settings).where(eq(settings.key, key)).get()?.value;
  }

  private keepSetting(key: string, value: string): void {
    const updatedAt = systemClock.now();
    this.store.db
      .insert(settings)
      .values({ key, value, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt } })
      .run();
  }

  get(id: number): ConfigVersion | undefined {
    return this.store.db.select().from(configHistory).where(eq(configHistory.id, id)).get();
  }

  /** Newest first, without the texts. */
  list(options: { limit?: number; before?: number } = {}): Omit<ConfigVersion, "source">[] {
    return this.store.db
      .select({
        id: configHistory.id,
        ts: configHistory.ts,
        author: configHistory.author,
        reason: configHistory.reason,
      })
      .from(configHistory)
      .where(options.before ? lt(configHistory.id, options.before) : undefined)
      .orderBy(desc(configHistory.id))
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .all();
  }

  /** Masks the texts older versions stored in clear, in one transaction, once per database. */
  private maskOlderRows(): void {
    if (this.store.db.select().from(settings).where(eq(settings.key, MASKED)).get()) return;
    this.store.sqlite.transaction(() => {
      for (const row of this.store.db
        .select({ id: configHistory.id, source: configHistory.source })
        .from(configHistory)
        .all()) {
        const source = this.redact(row.source);
        if (source !== row.source)
          this.store.db.update(configHistory).set({ source }).where(eq(configHistory.id, row.id)).run();
      }
      this.store.db
        .insert(settings)
        .values({ key: MASKED, value: "true", updatedAt: systemClock.now() })
        .onConflictDoNothing()
        .run();
    })();
  }
}
