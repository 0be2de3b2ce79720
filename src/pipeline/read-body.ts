/**
 * Reading a whole upstream body under a size bound. The runtime's fetch inflates gzip/deflate/brotli
 * as the body is read, so the bytes counted here are the decompressed ones: a gzip bomb is stopped at
 * the bound like any other oversized answer, and the read is cancelled there instead of buffered.
 */

/** The whole body as text, or how far it went past `limit` when it was cut. */
type BoundedRead = { ok: true; text: string } | { ok: false; bytes: number };

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
  const read = await readAllBytes(body, limit);
  return "over" in read ? { ok: false, bytes: read.over } : { ok: true, text: new TextDecoder().decode(read.bytes) };
}

/**
 * Every byte of `stream`, joined, or how far it got once it passed `limit` bytes (the read is then
 * cancelled, so nothing past the bound is buffered). Shared by upstream answers and client uploads.
 */
export async function readAllBytes(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer> } | { over: number }> {
  const reader = stream.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      reader.cancel().catch(() => {});
      return { over: bytes };
    }
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
  return { bytes: joined(chunks, bytes) };
}

/** The chunks as one array (decoded once: cheaper than a rope of per-chunk strings for JSON.parse). */
function joined(chunks: Uint8Array<ArrayBuffer>[], bytes: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}
