/**
 * Encryption at rest for the few secrets the store must be able to read back (the TOTP secret: a code
 * is checked against it, so it cannot be hashed). AES-256-GCM under a key derived with HKDF-SHA-256
 * from the session key, which lives in its own file (`session.key`), not in the database: a copy of
 * `gateway.db` alone does not give the second factor away. node:crypto, which Deno provides too.
 */

import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** Marks (and versions) a sealed value, so a clear value of an older database is recognised. */
const PREFIX = "enc1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens short secrets; `context` (e.g. the user id) binds a sealed value to its row. */
export class SecretBox {
  private readonly key: Buffer;

  /** @param rootKey the session key; `purpose` separates keys derived from it for different uses. */
  constructor(rootKey: Uint8Array, purpose: string) {
    this.key = Buffer.from(hkdfSync("sha256", rootKey, new Uint8Array(0), `smartroute ${purpose}`, 32));
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv).setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  /** The clear value, or undefined when it was sealed under another key or context, or is damaged. */
  open(sealed: string, context: string): string | undefined {
    if (!SecretBox.isSealed(sealed)) return undefined;
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES)).setAAD(
        Buffer.from(context),
      );
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}
