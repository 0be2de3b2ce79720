/**
 * HTTP/1.1 over a bare TCP socket (node:net), for what fetch cannot do: a body that never ends,
 * headers sent a byte at a time, a Host header of our choosing, two requests in one write.
 */
import net from "node:net";

/** What came back on a socket: the raw text, the first response's status, and whether it closed. */
export interface RawExchange {
  socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server closed the connection (or it failed), with everything received. */
  closed: Promise<string>;
  /** Resolves with the first response's status code once its status line has arrived. */
  status(): Promise<number>;
}

/** Opens a connection to `url`'s host and port, from `localAddress` when given (127.0.0.2 is loopback too). */
export function openRaw(url: string, localAddress?: string): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), localAddress });
    let text = "";
    const waiters: (() => void)[] = [];
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      for (const wake of waiters.splice(0)) wake();
    });
    const closed = new Promise<string>((done) =>
      socket.on("close", () => {
        done(text);
        for (const wake of waiters.splice(0)) wake();
      }),
    );
    socket.on("error", () => {});
    const status = async () => {
      for (;;) {
        const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
        if (match) return Number(match[1]);
        if (socket.destroyed)
          throw new Error(`connection closed without a response; received: ${JSON.stringify(text)}`);
        await new Promise<void>((wake) => waiters.push(wake));
      }
    };
    socket.once("connect", () => resolve({ socket, received: () => text, closed, status }));
    socket.once("error", reject);
  });
}

/** The body of the first response in `text` (after the blank line), with a chunked encoding undone. */
export function bodyOf(text: string): string {
  const start = text.indexOf("\r\n\r\n");
  if (start === -1) return "";
  const raw = text.slice(start + 4);
  return headerOf(text, "transfer-encoding")?.toLowerCase() === "chunked" ? dechunk(raw) : raw;
}

/** The data of a chunked body (as much of it as arrived). Sizes count bytes; our test bodies are ASCII. */
function dechunk(raw: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", at);
    if (lineEnd === -1) return out;
    const size = parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/** A header of the first response in `text`, or undefined. */
export function headerOf(text: string, name: string): string | undefined {
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(":") + 1).trim();
}

/**
 * Starts a POST whose chunked body never ends: the headers and one chunk, then nothing. The server
 * sees a request whose body is still arriving.
 */
export async function holdSlowBody(
  url: string,
  path: string,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<RawExchange> {
  const raw = await openRaw(url, options.localAddress);
  const extra = Object.entries(options.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  raw.socket.write(
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n${extra}\r\n1\r\n{\r\n`,
  );
  return raw;
}

/** One complete request over a fresh connection, answered with `connection: close`: status, headers, body. */
export async function rawRequest(
  url: string,
  request: string,
  localAddress?: string,
): Promise<{ status: number; text: string; body: string }> {
  const raw = await openRaw(url, localAddress);
  raw.socket.write(request);
  const text = await raw.closed;
  const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return { status: match ? Number(match[1]) : 0, text, body: bodyOf(text) };
}

/** Resolves when `predicate` holds, polling; throws after `ms`. For waiting on server-side state. */
export async function eventually(predicate: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await Bun.sleep(20);
  }
}
