/**
 * Gateway API keys for /v1. Keys are compared by their SHA-256 digest, so the lookup's timing says
 * nothing about the key, and the plain keys are not kept in memory longer than the config holds them.
 */
import { createHash } from "node:crypto";
import { GatewayError } from "../errors.ts";

const digest = (key: string) => createHash("sha256").update(key).digest("hex");

/** The key a client presented: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (auth) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return match ? match[1].trim() : undefined;
  }
  return headers.get("x-api-key")?.trim() || undefined;
}

export class ApiKeyCheck {
  private readonly digests: Set<string>;

  constructor(keys: string[]) {
    this.digests = new Set(keys.map(digest));
  }

  /** True when /v1 needs no key (none configured): the start banner warns about it. */
  get open(): boolean {
    return this.digests.size === 0;
  }

  /** Throws 401 unless the request carries a valid key (or no key is configured). */
  verify(headers: Headers): void {
    if (this.open) return;
    const key = presentedKey(headers);
    if (!key) throw new GatewayError("invalid_api_key", "Missing API key: send `Authorization: Bearer <gateway key>`.");
    if (!this.digests.has(digest(key))) throw new GatewayError("invalid_api_key", "Invalid API key.");
  }
}
