/**
 * The config's gateway API keys (auth.apiKeys), by their SHA-256 digest: the lookup's timing says
 * nothing about a key. src/auth/key-registry.ts checks requests against these and the stored keys.
 */
import { createHash } from "node:crypto";

const digest = (key: string) => createHash("sha256").update(key).digest("hex");

/** The key a client presented: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(headers: Headers): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  if (bearer) return bearer[1].trim();
  // A proxy may add its own (Basic) Authorization: the gateway key can still come in x-api-key.
  return headers.get("x-api-key")?.trim() || undefined;
}

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
