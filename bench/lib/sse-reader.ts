/**
 * Reads a chat completion stream as a client does, timing every read. An event is a content event when
 * its first choice's `delta.content` is a non-empty string; the upstream mock produces content events
 * apart from each other, so two of them in one read means someone between it and us batched them.
 */

export interface SseRead {
  /** "ok" (ended with [DONE]), "stream_error:<code>" (in-band error event), "stream_incomplete", "stream_read_error". */
  outcome: string;
  text: string;
  /** ms from `t0` to the first read with content. */
  firstTokenMs?: number;
  /** ms between reads with content; one 0 per extra content event in the same read. */
  gaps: number[];
  contentEvents: number;
  batched: number;
}

interface EventPayload {
  error?: { code?: string | null };
  choices?: { delta?: { content?: unknown } }[];
}

/** Content of one `data:` payload, or an error code, or nothing. */
function inspect(data: string): { content?: string; error?: string } {
  let payload: EventPayload;
  try {
    payload = JSON.parse(data) as EventPayload;
  } catch {
    return {};
  }
  if (payload.error) return { error: payload.error.code ?? "error" };
  const content = payload.choices?.[0]?.delta?.content;
  return typeof content === "string" && content !== "" ? { content } : {};
}

export async function readSse(body: ReadableStream<Uint8Array>, t0: number): Promise<SseRead> {
  const decoder = new TextDecoder();
  const result: SseRead = { outcome: "stream_incomplete", text: "", gaps: [], contentEvents: 0, batched: 0 };
  let buffer = "";
  let lastContentAt = NaN;
  let done = false;
  let errorCode: string | undefined;
  try {
    for await (const bytes of body) {
      const at = performance.now();
      buffer += decoder.decode(bytes, { stream: true });
      let inThisRead = 0;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split("\n")) {
          if (!line.startsWith("data:")) continue;
          const data = line.slice(line.startsWith("data: ") ? 6 : 5);
          if (data === "[DONE]") {
            done = true;
            continue;
          }
          const seen = inspect(data);
          if (seen.error !== undefined) errorCode = seen.error;
          if (seen.content === undefined) continue;
          result.text += seen.content;
          result.contentEvents++;
          inThisRead++;
        }
      }
      if (inThisRead === 0) continue;
      if (Number.isNaN(lastContentAt)) result.firstTokenMs = at - t0;
      else result.gaps.push(at - lastContentAt);
      for (let i = 1; i < inThisRead; i++) result.gaps.push(0);
      result.batched += inThisRead - 1;
      lastContentAt = at;
    }
  } catch {
    result.outcome = errorCode ? `stream_error:${errorCode}` : "stream_read_error";
    return result;
  }
  result.outcome = errorCode ? `stream_error:${errorCode}` : done ? "ok" : "stream_incomplete";
  return result;
}
