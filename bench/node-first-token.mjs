/**
 * The streaming scenario's Node client: Node's own `fetch` (undici, what the `openai` package uses on
 * Node) reading chat completion streams one after another, as bench/lib/sse-reader.ts does for Bun.
 * Plain JavaScript so that Node 20 runs it without a TypeScript loader.
 *
 *   node bench/node-first-token.mjs '{"url":...,"headers":{...},"body":"...","requests":50,"warmupRequests":5}'
 *
 * Prints one JSON line: { firstToken: [ms, ...], ok, requests }. The first token is the time from the
 * call to `fetch` to the first read that holds a content event (a non-empty `delta.content`).
 */
const spec = JSON.parse(process.argv[2] ?? "{}");

/** Whether an SSE `data:` payload carries content. */
function hasContent(data) {
  try {
    const content = JSON.parse(data)?.choices?.[0]?.delta?.content;
    return typeof content === "string" && content !== "";
  } catch {
    return false;
  }
}

/** One stream: ms to its first content read, and whether it ended with [DONE]. */
async function readOne() {
  const t0 = performance.now();
  const response = await fetch(spec.url, { method: "POST", headers: spec.headers, body: spec.body });
  const decoder = new TextDecoder();
  let buffer = "";
  let firstTokenMs;
  let done = false;
  for await (const bytes of response.body) {
    const at = performance.now();
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") done = true;
        else if (firstTokenMs === undefined && hasContent(data)) firstTokenMs = at - t0;
      }
      end = buffer.indexOf("\n\n");
    }
  }
  return { firstTokenMs, ok: response.ok && done && firstTokenMs !== undefined };
}

for (let i = 0; i < (spec.warmupRequests ?? 0); i++) await readOne();
const firstToken = [];
let ok = 0;
for (let i = 0; i < spec.requests; i++) {
  const one = await readOne();
  if (one.ok) ok++;
  if (one.firstTokenMs !== undefined) firstToken.push(one.firstTokenMs);
}
console.log(JSON.stringify({ firstToken, ok, requests: spec.requests }));
