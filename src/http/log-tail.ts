/**
 * The live tail as server-sent events: each new request log row, as the writer commits it, filtered
 * like the log list. A comment line every 15 s keeps proxies from closing an idle stream.
 */
import type { TailSource } from "../cluster/shared-tail.ts";
import type { TailRow } from "../store/log-writer.ts";

export interface TailFilter {
  tier?: string;
  model?: string;
  status?: "ok" | "error";
}

function matches(row: TailRow, filter: TailFilter): boolean {
  if (filter.tier && row.tier !== filter.tier) return false;
  if (filter.model && row.model !== filter.model) return false;
  if (filter.status === "ok" && row.status !== 200) return false;
  if (filter.status === "error" && row.status === 200) return false;
  return true;
}

export function logTailResponse(
  source: TailSource,
  filter: TailFilter,
  signal: AbortSignal,
  heartbeatMs = 15_000,
): Response {
  const encoder = new TextEncoder();
  let unsubscribe = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(": connected\n\n"));
      unsubscribe = source.subscribe((rows) => {
        const out = rows
          .filter((r) => matches(r, filter))
          .map((r) => `event: request\ndata: ${JSON.stringify(r)}\n\n`)
          .join("");
        if (out) controller.enqueue(encoder.encode(out));
      });
      heartbeat = setInterval(() => controller.enqueue(encoder.encode(": keep-alive\n\n")), heartbeatMs);
      signal.addEventListener(
        "abort",
        () => {
          stop();
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        },
        { once: true },
      );
    },
    cancel: stop,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
