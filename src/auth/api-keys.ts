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
import type { ApiKeyStore, KeyLimits, StoredKey } from "../store/api-key-store.ts";
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

export class KeyRegistry {
  private stored = new Map<string, StoredKey>();
  /** Hashes of revoked keys and of rotated-out secrets: refused with 401 even while /v1 is open. */
  private revoked = new Set<string>();
  private everCreated = false;
  private readonly usage = new Map<string, { count: number; lastUsedAt: number }>();
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly store: ApiKeyStore | undefined,
    saveEveryMs = 5_000,
    /** Requests per minute per key: in process, or shared through Redis (src/cluster/). */
    private readonly limiter: RateLimiter = new MemoryRateLimiter(),
  ) {
    this.reload();
    if (store) this.timer = setInterval(() => this.saveUsage(), saveEveryMs);
  }

  /** Re-reads the stored keys (after a create or revoke). */
  reload(): void {
    const all = this.store?.all() ?? [];
    this.stored = new Map(all.filter((k) => k.revokedAt === null).map((k) => [k.hash, k]));
    // A rotated-out secret is refused like a revoked key, even while /v1 is open.
    this.revoked = new Set([
      ...all.filter((k) => k.revokedAt !== null).map((k) => k.hash),
      ...(this.store?.retiredHashes() ?? []),
    ]);
    this.everCreated = this.store?.everCreated() ?? false;
  }

  /**
   * True when /v1 takes requests without a key: the config says `auth.open`, or it declares no key
   * and no key was ever created or configured here. Revoking keys never reopens it (a revoked key's clients must
   * get 401, not an open door).
   */
  open(config: ConfigKeys, now: number): boolean {
    if (config.openAccess) return true;
    if (config.digests.size === 0) return !this.everCreated;
    // A config with keys closes /v1 for good (DESIGN §6: open only while no key was ever configured or
    // created): a later config without keys must not reopen it. Stored once, then a field read.
    if (!this.everCreated) {
      this.everCreated = true;
      this.store?.markConfigured(now);
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

  /** The request's identity, nothing counted; throws 401 (missing, wrong, revoked, expired key). */
  verify(headers: Headers, config: ConfigKeys, now: number): KeyIdentity {
    const key = presentedKey(headers);
    const open = this.open(config, now);
    if (!key) {
      if (open) return {};
      throw new GatewayError("invalid_api_key", "Missing API key: send `Authorization: Bearer <gateway key>`.");
    }
    const hash = digest(key);
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
  create(
    input: { name: string; expiresAt?: number | null; limits?: KeyLimits },
    now: number,
  ): { key: string; record: Omit<StoredKey, "hash"> } {
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
    this.store.insert(record);
    this.reload();
    const { hash: _hash, ...shown } = { ...record, revokedAt: null, lastUsedAt: null, requestCount: 0 };
    return { key, record: shown };
  }

  /** A new secret for an active key, returned once; the old one is refused from now on. Undefined: no such key. */
  rotate(id: string): string | undefined {
    const { key, hash, prefix } = newSecret();
    const done = this.store?.rotate(id, { hash, prefix }) ?? false;
    this.reload();
    return done ? key : undefined;
  }

  rename(id: string, name: string): boolean {
    const done = this.store?.rename(id, name) ?? false;
    this.reload();
    return done;
  }

  /** New limits for a stored key, in force from its next request. */
  setLimits(id: string, limits: KeyLimits): boolean {
    const done = this.store?.setLimits(id, limits) ?? false;
    this.reload();
    return done;
  }

  revoke(id: string, now: number): boolean {
    const done = this.store?.revoke(id, now) ?? false;
    this.reload();
    return done;
  }

  /** Stored keys for display: never the hash. Usage not yet saved is included. */
  list(): Omit<StoredKey, "hash">[] {
    this.saveUsage();
    return (this.store?.all() ?? []).map(({ hash: _hash, ...rest }) => rest);
  }

  saveUsage(): void {
    if (!this.store || this.usage.size === 0) return;
    const pending = new Map(this.usage);
    this.usage.clear();
    this.store.addUsage(pending);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.saveUsage();
  }
}
