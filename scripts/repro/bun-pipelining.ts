/**
 * Minimal reproduction: Bun.serve drops HTTP/1.1 pipelined requests when the handler answers
 * asynchronously.
 *
 *   node_modules/.bin/bun scripts/repro/bun-pipelining.ts
 *
 * A bare Bun.serve (no framework, no gateway code) answers each request with its method, path and
 * body, either at once or after `await Bun.sleep(10)` (any real handler awaits something: a fetch, a
 * timer, a database). Over a raw TCP connection the script writes two requests in ONE write (pipelining)
 * and reports what came back within a second. Observed on Bun 1.4.5 (linux/x64): with the async
 * handler, the first request's `request.signal` is aborted as soon as the handler starts, the
 * connection is closed, and neither request is answered; GETs and POSTs alike. With a handler that
 * answers in the same tick, or with the requests in separate writes, both are answered.
 *
 * Exit code 1 when the bug shows (an async case got fewer than two answers), 0 otherwise.
 */
import net from "node:net";

type Mode = "sync" | "async";

function startServer(mode: Mode) {
  return Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const aborted = { value: false };
      request.signal.addEventListener("abort", () => (aborted.value = true));
      const body = request.method === "POST" ? await request.text() : "";
      if (mode === "async") await Bun.sleep(10);
      if (aborted.value) firstAborted = true;
      return new Response(`${request.method} ${new URL(request.url).pathname} ${body}`.trim());
    },
  });
}

let firstAborted = false;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
const post = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

/** Writes `writes` on one connection, `gapMs` apart; reports the answers and whether the server closed it. */
async function exchange(port: number, writes: string[], gapMs: number) {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  let text = "";
  let closedByServer = false;
  socket.on("data", (chunk) => (text += chunk.toString()));
  socket.on("close", () => (closedByServer = true));
  for (const write of writes) {
    socket.write(write);
    await Bun.sleep(gapMs);
  }
  await Bun.sleep(1000);
  socket.destroy();
  const bodies = text
    .split(/HTTP\/1\.1 \d{3}[^\r]*\r\n/)
    .slice(1)
    .map((answer) => answer.slice(answer.indexOf("\r\n\r\n") + 4));
  return { answers: bodies.length, bodies, closedByServer };
}

const cases: { handler: Mode; name: string; writes: string[]; gapMs: number }[] = [
  { handler: "sync", name: "two GETs in one write", writes: [get("/a") + get("/b")], gapMs: 0 },
  { handler: "sync", name: "two POSTs in one write", writes: [post("/a", "first") + post("/b", "second")], gapMs: 0 },
  {
    handler: "async",
    name: "two POSTs in two writes, 200 ms apart",
    writes: [post("/a", "first"), post("/b", "second")],
    gapMs: 200,
  },
  { handler: "async", name: "two GETs in one write", writes: [get("/a") + get("/b")], gapMs: 0 },
  { handler: "async", name: "two POSTs in one write", writes: [post("/a", "first") + post("/b", "second")], gapMs: 0 },
];

console.log(`Bun ${Bun.version} (${process.platform}/${process.arch})`);
let bug = false;
for (const c of cases) {
  const server = startServer(c.handler);
  firstAborted = false;
  const result = await exchange(server.port!, c.writes, c.gapMs);
  server.stop(true);
  const notes = [
    result.closedByServer ? "server closed the connection" : "",
    firstAborted ? "first request's signal aborted" : "",
  ].filter(Boolean);
  console.log(
    `${c.handler.padEnd(5)} handler, ${c.name}: ${result.answers} of 2 answered ${JSON.stringify(result.bodies)}${notes.length ? ` (${notes.join(", ")})` : ""}`,
  );
  if (c.handler === "async" && result.answers < 2) bug = true;
}
console.log(
  bug ? "BUG: pipelined requests to an async handler are not answered." : "OK: every pipelined request was answered.",
);
process.exit(bug ? 1 : 0);
