/**
 * Reading a whole upstream body under a size bound. The runtime's fetch inflates gzip/deflate/brotli
 * as the body is read, so the bytes counted here are the decompressed ones: a gzip bomb is stopped at
 * the bound like any other oversized answer, and the read is cancelled there instead of buffered.
 */

/** The whole body as text, or how far it went past `limit` when it was cut. */
export type BoundedRead = { ok: true; text: string } | { ok: false; bytes: number };

/** Reads `response`'s body to its end, unless it passes `limit` bytes: then the read is cancelled. */
export async function readBounded(response: Response, limit: number): Promise<BoundedRead> {
  const body = response.body;
  if (!body) return { ok: true, text: "" };
  // A declared length is the real size unless the body is encoded (then it is the compressed size);
  // within the limit, the runtime's own reader is much cheaper than counting in a JS loop.
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && !response.headers.has("content-encoding")) {
    if (declared <= limit) return { ok: true, text: await response.text() };
    body.cancel().catch(() => {});
    return { ok: false, bytes: declared };
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      reader.cancel().catch(() => {});
      return { ok: false, bytes };
    }
    chunks.push(value);
  }
  return { ok: true, text: decodeAll(chunks, bytes) };
}

/** One decode over the joined bytes: cheaper than a rope of per-chunk strings for JSON.parse. */
function decodeAll(chunks: Uint8Array[], bytes: number): string {
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const joined = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}
