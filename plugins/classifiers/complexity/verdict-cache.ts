/**
 * The complexity classifier's answers, remembered per distinct input. The scorer is a pure function of
 * what it reads: the latest text, the bounded conversation (each message's role and text) and the
 * request's shape (tools, effort, images, size). So a request whose inputs are the same as an earlier
 * one's (a retried request, a client sending the same prompt again, a benchmark) gets the same verdict
 * without the 20 to 40 µs of feature extraction. The key is those inputs written out, not a hash of
 * them: no collision can give a wrong tier. Inputs longer than `MAX_KEY_CHARS` are not cached, which
 * bounds the cache's memory (entries × key size) whatever the prompts.
 */
import type { RequestContext } from "../../../src/index.ts";
import { shapeFeatures } from "../learned/shape.ts";
import { messageText } from "../needles.ts";

/** Entries kept: the most recently used (a Map keeps insertion order; a hit is moved to the end). */
const MAX_ENTRIES = 256;
/** Longest key cached, in characters (256 × 8 K characters is at most about 4 MB of keys). */
const MAX_KEY_CHARS = 8192;

/** Everything the classifier reads, as one string; undefined when it is too long to cache. */
export function inputKey(ctx: Pick<RequestContext, "body" | "text" | "messages">): string | undefined {
  // The shape is read off `body.messages`: a body without them is scored (and fails) as it was, uncached.
  if (!Array.isArray(ctx.body.messages)) return undefined;
  let key = `${Object.values(shapeFeatures(ctx.body, ctx.text)).join(",")}\u0000${ctx.text}`;
  if (key.length > MAX_KEY_CHARS) return undefined;
  for (const m of ctx.messages) {
    key += `\u0000${m.role}\u0001${messageText(m)}`;
    if (key.length > MAX_KEY_CHARS) return undefined;
  }
  return key;
}

/** A bounded most-recently-used map of the classifier's verdicts by input key. */
export class VerdictCache<V> {
  private readonly entries = new Map<string, V>();

  /** The verdict for `key`, from the cache or computed (and kept) by `compute`. */
  get(key: string | undefined, compute: () => V): V {
    if (key === undefined) return compute();
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
