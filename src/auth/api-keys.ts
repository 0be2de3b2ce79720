/**
 * Gateway API keys for /v1. Keys are compared by their SHA-256 digest, so the lookup's timing says
 * nothing about the key, and the plain keys are not kept in memory longer than the config holds them.
 */
import { createHash } from "node:crypto";
import { GatewayError } from "../errors.ts";

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

  /** True when /v1 needs no key (none configured): the start banner warns about it. */
  get open(): boolean {
    return this.digests.size === 0;
  }

  /** The id of the request's key; throws 401 unless it carries a valid one (or no key is configured). */
  verify(headers: Headers): string | undefined {
    if (this.open) return undefined;
    const key = presentedKey(headers);
    if (!key) throw new GatewayError("invalid_api_key", "Missing API key: send `Authorization: Bearer <gateway key>`.");
    const id = this.digests.get(digest(key));
    if (!id) throw new GatewayError("invalid_api_key", "Invalid API key.");
    return id;
  }
}
