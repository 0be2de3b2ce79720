/**
 * Gateway API keys, in one module: the key a client presented, the config's keys (`auth.apiKeys`, by
 * their SHA-256 digest: the lookup's timing says nothing about a key) and the stored ones (created through
 * the admin API: shown once, kept hashed), checked by one registry. Lookups are in memory; usage (last
 * used, request count) is counted in memory and saved every few seconds, off the request path. The rows
 * live in src/store/api-key-store.ts and the admin routes in src/http/admin/key-routes.ts (only the store
 * imports drizzle, only src/http imports Elysia).
 */
import { createHash, randomBytes } from "node:crypto";
import { GatewayError } from "../errors.ts";
import type { Logger } from "../plugin/types.ts";
import type { ApiKeyStore, KeyLimits, KeySnapshot, StoredKey } from "../store/api-key-store.ts";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limit.ts";

const digest = (key: string) => createHash("sha256").update(key).digest("hex");

/** A new key's secret (`sr-` and 192 random bits), its digest and the prefix shown in lists. */
function newSecret(): { key: string; hash: string; prefix: string } {
  const key = `sr-${randomBytes(24).toString("base64url")}`;
  return { key, hash: digest(key), prefix: key.slice(0, 10) };
}

/** The key a client presented: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(headers: Headers): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  if (bearer) return bearer[1].trim();
  // A proxy may add its own (Basic) Authorization: the gateway key can still come in x-api-key.
  return headers.get("x-api-key")?.trim() || undefined;
}

/** The config's keys (`auth.apiKeys`) by digest, built once per config snapshot. */
export class ApiKeyCheck {
  /** digest → key id ("cfg_" and the digest's first characters: stable, and says nothing of the key). */
  private readonly digests: Map<string, string>;

  constructor(keys: string[]) {
    this.digests = new Map(keys.map((key) => [digest(key), `cfg_${digest(key).slice(0, 8)}`]));
  }

  /** Digest → key id of the config's keys. */
  get digestMap(): Map<string, string> {
    return this.digests;
  }
}

/** What a config snapshot says about /v1 keys. */
interface ConfigKeys {
  /** Digest → key id of `auth.apiKeys`. */
  digests: Map<string, string>;
  /** `auth.open`: serve requests without a key on purpose. */
  openAccess: boolean;
}

/** Who a request authenticated as: its key's id and limits. */
export interface KeyIdentity {
  id?: string;
  limits?: KeyLimits;
}

/** How often a registry re-reads the stored keys whatever is announced (a cluster's missed announcements). */
const RELOAD_EVERY_MS = 10_000;

export interface KeyRegistryOptions {
  /** How often usage counted in memory is saved (default 5 s). */
  saveEveryMs?: number;
  /** Requests per minute per key: in process, or shared through Redis (src/cluster/). */
  limiter?: RateLimiter;
  /**
   * Told after this process changed a key (created, rotated, renamed, limited, revoked): a cluster
   * announces it, and the other replicas `reload`. Set, the keys are also re-read every 10 s.
   */
  announce?: () => void;
  log?: Pick<Logger, "warn">;
}

/** The 503 of a key that cannot be checked: the stored keys were never read (a database away since start). */
const keysUnread = () =>
  new GatewayError("overloaded", "The gateway cannot read its API keys yet (its database is away): retry shortly.", {
    retryAfterMs: 2_000,
  });

export class KeyRegistry {
  private stored = new Map<string, StoredKey>();
  /** Hashes of revoked keys and of rotated-out secrets: refused with 401 even while /v1 is open. */
  private revoked = new Set<string>();
  private everCreated = false;
  /** False until the stored keys were read once: until then no stored key is known, and /v1 is not open. */
  private loaded: boolean;
  private readonly usage = new Map<string, { count: number; lastUsedAt: number }>();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly limiter: RateLimiter;
  /** Resolves once the stored keys were read: the gateway serves /v1 only after (an unread store is not "no key"). */
  readonly ready: Promise<void>;
  private lastRead: Promise<void> = Promise.resolve();
  /** Re-reads every second while the first read has not succeeded. */
  private retry?: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: ApiKeyStore | undefined,
    private readonly options: KeyRegistryOptions = {},
  ) {
    this.limiter = options.limiter ?? new MemoryRateLimiter();
    this.loaded = store === undefined;
    // SQLite answers at once: the gateway knows its keys from construction, as a single process always did.
    const now = store?.loadNow?.();
    if (now) this.apply(now);
    this.ready = now ? Promise.resolve() : this.reload();
    if (!store) return;
    const saving = setInterval(
      () => void this.saveUsage().catch(this.warn("usage not saved")),
      options.saveEveryMs ?? 5_000,
    );
    (saving as { unref?: () => void }).unref?.();
    this.timers.push(saving);
    // Every 10 s in a cluster; until the first read succeeds (a database away at start), every second.
    if (options.announce) this.timers.push(this.rereadEvery(RELOAD_EVERY_MS));
    this.ready.catch(() => {
      if (!this.loaded) this.retry = this.rereadEvery(1_000);
    });
  }

  private rereadEvery(ms: number): ReturnType<typeof setInterval> {
    const timer = setInterval(() => void this.reload().catch(this.warn("keys not re-read")), ms);
    (timer as { unref?: () => void }).unref?.();
    return timer;
  }

  private warn(what: string) {
    return (error: unknown) => this.options.log?.warn(`API keys: ${what}`, { error: String(error) });
  }

  /** Re-reads the stored keys (after a change here, or one another replica announced). */
  reload(): Promise<void> {
    // One read after another: an older read never lands after a newer one.
    const next = this.lastRead.catch(() => undefined).then(() => this.read());
    this.lastRead = next;
    return next;
  }

  private async read(): Promise<void> {
    if (!this.store) return;
    const [all, retired, everCreated] = await Promise.all([
      this.store.all(),
      this.store.retiredHashes(),
      this.store.everCreated(),
    ]);
    this.apply({ all, retired, everCreated });
  }

  private apply({ all, retired, everCreated }: KeySnapshot): void {
    this.stored = new Map(all.filter((k) => k.revokedAt === null).map((k) => [k.hash, k]));
    // A rotated-out secret is refused like a revoked key, even while /v1 is open.
    this.revoked = new Set([...all.filter((k) => k.revokedAt !== null).map((k) => k.hash), ...retired]);
    this.everCreated ||= everCreated;
    this.loaded = true;
    clearInterval(this.retry);
  }

  /** After a change made here: re-read, then tell the other replicas. */
  private async changed<T>(result: T): Promise<T> {
    await this.reload();
    this.options.announce?.();
    return result;
  }

  /**
   * True when /v1 takes requests without a key: the config says `auth.open`, or it declares no key
   * and no key was ever created or configured here. Revoking keys never reopens it (a revoked key's clients must
   * get 401, not an open door).
   */
  open(config: ConfigKeys, now: number): boolean {
    if (config.openAccess) return true;
    // Keys not read yet (a database away at start) are not "no key": closed until they are.
    if (config.digests.size === 0) return this.loaded && !this.everCreated;
    // A config with keys closes /v1 for good (DESIGN §6: open only while no key was ever configured or
    // created): a later config without keys must not reopen it. Stored once, then a field read.
    if (!this.everCreated) {
      this.everCreated = true;
      void this.store?.markConfigured(now).catch(this.warn("the configured key was not remembered"));
    }
    return false;
  }

  /** The request's identity, its rate limit counted; throws 401 (see `verify`) or 429 (the key's rate limit). */
  async admit(headers: Headers, config: ConfigKeys, now: number): Promise<KeyIdentity> {
    const identity = this.verify(headers, config, now);
    const limit = identity.limits?.requestsPerMinute;
    if (!identity.id || !identity.limits) return identity; // config keys and open access: no limits, no usage row
    // Counted before the rate check: a request refused for the key's rate is one of its requests (and
    // one of its log rows), as the other refusals after this point are.
    const used = this.usage.get(identity.id);
    if (used) {
      used.count += 1;
      used.lastUsedAt = now;
    } else this.usage.set(identity.id, { count: 1, lastUsedAt: now });
    if (limit) {
      const retryAfterMs = await this.limiter.take(identity.id, limit, now);
      if (retryAfterMs !== undefined)
        throw new GatewayError(
          "rate_limited",
          `This API key allows ${limit} requests per minute; retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
          { retryAfterMs },
        );
    }
    return identity;
  }

  /** The request's identity, nothing counted; throws 401 (missing, wrong, revoked, expired key), or 503 (keys unread). */
  verify(headers: Headers, config: ConfigKeys, now: number): KeyIdentity {
    const key = presentedKey(headers);
    const open = this.open(config, now);
    const hash = key && digest(key);
    if (!this.loaded && !(hash && config.digests.has(hash)) && !config.openAccess) throw keysUnread();
    if (!key || !hash) {
      if (open) return {};
      throw new GatewayError("invalid_api_key", "Missing API key: send `Authorization: Bearer <gateway key>`.");
    }
    const fromConfig = config.digests.get(hash);
    if (fromConfig) return { id: fromConfig };
    if (this.revoked.has(hash))
      throw new GatewayError("invalid_api_key", "This API key has been revoked, or replaced by a rotation.");
    const stored = this.stored.get(hash);
    // An open /v1 ignores keys it does not know: OpenAI clients always send one, often a placeholder.
    if (!stored && open) return {};
    if (!stored) throw new GatewayError("invalid_api_key", "Invalid API key.");
    if (stored.expiresAt !== null && stored.expiresAt <= now)
      throw new GatewayError("invalid_api_key", "This API key has expired.");
    return { id: stored.id, limits: stored.limits };
  }

  /** A new key: the plain key is returned once and never stored. */
  async create(
    input: { name: string; expiresAt?: number | null; limits?: KeyLimits },
    now: number,
  ): Promise<{ key: string; record: Omit<StoredKey, "hash"> }> {
    if (!this.store) throw new GatewayError("internal_error", "API keys need the store (a data directory).");
    const { key, hash, prefix } = newSecret();
    const record = {
      id: `key_${randomBytes(8).toString("hex")}`,
      name: input.name,
      prefix,
      hash,
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      limits: input.limits ?? {},
    };
    await this.store.insert(record);
    const { hash: _hash, ...shown } = { ...record, revokedAt: null, lastUsedAt: null, requestCount: 0 };
    return this.changed({ key, record: shown });
  }

  /** A new secret for an active key, returned once; the old one is refused from now on. Undefined: no such key. */
  async rotate(id: string): Promise<string | undefined> {
    const { key, hash, prefix } = newSecret();
    const done = (await this.store?.rotate(id, { hash, prefix })) ?? false;
    return this.changed(done ? key : undefined);
  }

  async rename(id: string, name: string): Promise<boolean> {
    return this.changed((await this.store?.rename(id, name)) ?? false);
  }

  /** New limits for a stored key, in force from its next request (on every replica, once announced). */
  async setLimits(id: string, limits: KeyLimits): Promise<boolean> {
    return this.changed((await this.store?.setLimits(id, limits)) ?? false);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return this.changed((await this.store?.revoke(id, now)) ?? false);
  }

  /** Stored keys for display: never the hash. Usage not yet saved is included. */
  async list(): Promise<Omit<StoredKey, "hash">[]> {
    await this.saveUsage();
    return ((await this.store?.all()) ?? []).map(({ hash: _hash, ...rest }) => rest);
  }

  /** Saves the usage counted since the last save; counts that fail to save are kept for the next one. */
  async saveUsage(): Promise<void> {
    if (!this.store || this.usage.size === 0) return;
    const pending = new Map(this.usage);
    this.usage.clear();
    try {
      await this.store.addUsage(pending);
    } catch (error) {
      for (const [id, u] of pending) {
        const now = this.usage.get(id);
        this.usage.set(id, now ? { count: now.count + u.count, lastUsedAt: now.lastUsedAt } : u);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    clearInterval(this.retry);
    await this.saveUsage().catch(this.warn("usage not saved at shutdown"));
  }
}
