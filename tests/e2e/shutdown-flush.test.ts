/**
 * A stop loses no log row (issue 11, item 13). The gateway runs as its own process, in a process group
 * of its own as under systemd, with a long flush interval so that every row is still queued when the
 * signal comes. Signals go to the process or to the whole group (systemd's default
 * `KillMode=control-group`: on Bun the relaunched child gets the signal directly and once more from its
 * parent), SIGTERM and SIGINT, on Bun and on Deno; then the SQLite log must hold every request's row.
 * A stream held open does not hold the stop: after the grace it ends with an in-band error, logged,
 * whether the provider fetches it or sends it through its own transport.
 */

import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

const CONFIG = `  tiers: { t1: { models: ["a/m"] }, slow: { models: ["a/slow?latencyMs=800"] }, long: { models: ["a/long?tokens=4000&chunkDelayMs=25"] }, endless: { models: ["endless/m"] }, sim: { models: ["sim/demo"] } },
  logging: { flushIntervalMs: 60_000 },`;
/**
 * A provider with its own `send` (a custom transport, like the built-in simulator): an endless stream
 * that fails, as a well-behaved transport does, when its signal aborts.
 */
const ENDLESS = `endless: { name: "test:endless", kind: "provider", mode: "simulated", buildRequest: () => ({ url: "endless://", headers: {}, body: "{}" }),
    send: async (_request: unknown, signal: AbortSignal) => new Response(new ReadableStream({ start(controller) {
      const chunk = new TextEncoder().encode('data: {"id":"e","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"more "},"finish_reason":null}]}\\n\\n');
      const timer = setInterval(() => controller.enqueue(chunk), 25);
      signal.addEventListener("abort", () => (clearInterval(timer), controller.error(signal.reason)), { once: true });
    } }), { headers: { "content-type": "text/event-stream" } }) } as never,
  sim: simulated({ latencyMs: 0, tokensPerSecond: 2 }),`;
const REQUESTS = 30;
/** The stop's grace in the stream tests: short, so a held stream is ended quickly. */
const GRACE_MS = 500;
const RUNTIMES = ["bun", "deno"] as const;
const TEST_MS = 20_000;

let gateway: GatewayProcess | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

const start = async (runtime: (typeof RUNTIMES)[number], env: Record<string, string> = {}) =>
  (gateway = await startGatewayProcess({ config: CONFIG, providers: ENDLESS, runtime, detached: true, env }));

async function ask(g: GatewayProcess, body: object): Promise<Response> {
  return fetch(`${g.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Requests one after another, as the run did; returns their request ids. */
async function sequential(g: GatewayProcess, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await ask(g, { model: "t1", messages: [{ role: "user", content: `request ${i}` }] });
    expect(response.status).toBe(200);
    await response.text();
    ids.push(response.headers.get("x-request-id")!);
  }
  return ids;
}

/** The exit code, or "still running" when it takes longer than `ms` (the test then fails, not hangs). */
const exitWithin = (g: GatewayProcess, ms = 10_000) =>
  Promise.race([g.exited, Bun.sleep(ms).then(() => "still running")]);

function loggedRows(g: GatewayProcess): Map<string, { status: number; error_message: string | null }> {
  const db = new Database(g.dbPath, { readonly: true });
  try {
    const rows = db.query("SELECT id, status, error_message FROM requests").all() as {
      id: string;
      status: number;
      error_message: string | null;
    }[];
    return new Map(rows.map((row) => [row.id, row]));
  } finally {
    db.close();
  }
}

describe.each(RUNTIMES)("on %s", (runtime) => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    for (const to of ["group", "process"] as const) {
      test(
        `${signal} to the ${to}: every request's row is written`,
        async () => {
          const g = await start(runtime);
          const ids = await sequential(g, REQUESTS);
          g.kill(signal, to);
          expect(await exitWithin(g)).toBe(0);
          const rows = loggedRows(g);
          expect(ids.filter((id) => !rows.has(id))).toEqual([]);
        },
        TEST_MS,
      );
    }
  }

  test(
    "a signal repeated while a request is in flight is the same stop: it finishes, every row is written",
    async () => {
      const g = await start(runtime);
      const ids = await sequential(g, REQUESTS);
      const slow = ask(g, { model: "slow", messages: [{ role: "user", content: "in flight" }] });
      while (g.mock.stats.open === 0) await Bun.sleep(5); // the slow request has reached the upstream
      g.kill("SIGTERM");
      await Bun.sleep(50); // not at once: two identical pending signals merge into one
      g.kill("SIGTERM");
      const answer = await slow;
      expect(answer.status).toBe(200);
      expect(await exitWithin(g)).toBe(0);
      const rows = loggedRows(g);
      expect([...ids, answer.headers.get("x-request-id")!].filter((id) => !rows.has(id))).toEqual([]);
    },
    TEST_MS,
  );

  const HELD: Record<string, string> = {
    long: "fetched",
    endless: "sent (own transport)",
    sim: "simulated (the demo's provider)",
  };
  for (const tier of Object.keys(HELD)) {
    test(
      `a ${HELD[tier]} stream held open ends with an in-band error after the grace; its row and the others are written`,
      async () => {
        const g = await start(runtime, { GATEWAY_SHUTDOWN_GRACE_MS: String(GRACE_MS) });
        const ids = await sequential(g, 3);
        const stream = await ask(g, { model: tier, stream: true, messages: [{ role: "user", content: "a long one" }] });
        expect(stream.status).toBe(200);
        const reader = stream.body!.getReader();
        let text = new TextDecoder().decode((await reader.read()).value);
        g.kill("SIGTERM", "group");
        for (let next = await reader.read(); !next.done; next = await reader.read())
          text += new TextDecoder().decode(next.value);
        expect(text).toContain('"error"');
        expect(text).toContain("the gateway is shutting down");
        expect(text).not.toContain("[DONE]");
        expect(await exitWithin(g)).toBe(0);
        const rows = loggedRows(g);
        expect(ids.filter((id) => !rows.has(id))).toEqual([]);
        const held = rows.get(stream.headers.get("x-request-id")!);
        expect(held?.status).toBe(502);
        expect(held?.error_message).toContain("the gateway is shutting down");
      },
      TEST_MS,
    );
  }
});
