/**
 * The gateway on Deno (DESIGN §9): `npm run gateway:deno`'s command, run from the npm devDependency,
 * with a temp config and data directory, in front of the mock upstream (run here, under Bun). The
 * official openai client goes through it: a plain answer, a stream, a failover, a disconnect, a config
 * edit; then the admin signs in and finds the requests in the log (written by the Deno worker through
 * node:sqlite), and after a clean SIGTERM the data directory opens on Bun as it is.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import { bunPasswordHasher, verifyPassword } from "../../src/auth/passwords.ts";
import { MIGRATIONS_DIR, openStore } from "../../src/store/db.ts";
import { collectStream, configSource, freePort, ROOT } from "../helpers/gateway-harness.ts";

const DENO = join(ROOT, "node_modules/.bin/deno");
const ADMIN_PASSWORD = "deno correct horse battery";
const DOWN = "down?fault=status&status=503";
const LONG = "long?tokens=200&chunkDelayMs=20";
const tiers = (t1: string) =>
  `  tiers: { t1: { models: ["${t1}"] }, t2: { models: ["a/${DOWN}", "b/backup"] }, t3: { models: ["a/${LONG}"] } },\n  retry: { perTarget: 1 },`;

/** The whole file stays under 30 s whatever hangs: every step races the time left of one budget. */
const BUDGET_MS = 25_000;
/** Set by the first bounded step (the start), not at load: other files may run in between. */
let suiteDeadline: number | undefined;

/** A test (or hook) body that fails, with everything the gateway printed, when the budget runs out. */
function bounded(body: () => Promise<void> | void): () => Promise<void> {
  return async () => {
    const deadline = (suiteDeadline ??= Date.now() + BUDGET_MS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`the Deno suite's ${BUDGET_MS / 1000} s budget ran out; the gateway printed:\n${output}`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      await Promise.race([body(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

let mock: MockUpstream;
let dir = "";
let configPath = "";
let child: ReturnType<typeof Bun.spawn> | undefined;
let url = "";
let output = "";
let client: OpenAI;
/** Requests that succeeded, and the one whose client went away: each must be in the log. */
const requestIds: string[] = [];
let goneId = "";

/** `npm run gateway:deno` without its UI build step: `deno run <permissions> src/main.ts`. */
function denoCommand(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts["gateway:deno"];
  const run = script
    .split("&&")
    .map((part) => part.trim())
    .find((part) => part.startsWith("deno "));
  if (!run) throw new Error(`package.json's gateway:deno script has no "deno ..." step: ${script}`);
  const [, ...args] = run.split(/\s+/);
  return [DENO, ...args];
}

/** Reads the child's output until the banner is complete; fails with everything it printed otherwise. */
async function waitForBanner(process: NonNullable<typeof child>, port: number): Promise<void> {
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk);
  };
  void drain(process.stdout as ReadableStream<Uint8Array>);
  void drain(process.stderr as ReadableStream<Uint8Array>);
  while (!output.includes("OpenAI-compatible API") || !output.includes("providers:")) {
    if (process.exitCode !== null)
      throw new Error(`the gateway exited on Deno (code ${process.exitCode}) before listening:\n${output}`);
    await Bun.sleep(50);
  }
  expect(output).toContain(`http://127.0.0.1:${port}/v1`);
}

beforeAll(
  bounded(async () => {
    if (!existsSync(DENO))
      throw new Error(`Deno is missing at ${DENO}: run npm ci (deno is a devDependency with allowScripts)`);
    mock = startMockUpstream();
    dir = mkdtempSync(join(tmpdir(), "smartroute-deno-"));
    configPath = join(dir, "gateway.config.ts");
    writeFileSync(configPath, configSource(mock.url, tiers("a/good")));
    const port = freePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      GATEWAY_CONFIG: configPath,
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_DATA_DIR: join(dir, "data"),
      GATEWAY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DENO_NO_UPDATE_CHECK: "1",
    };
    delete env.GATEWAY_API_KEY;
    child = Bun.spawn(denoCommand(), { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
    await waitForBanner(child, port);
    url = `http://127.0.0.1:${port}`;
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0, timeout: 5_000 });
  }),
  BUDGET_MS,
);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited, Bun.sleep(2_000).then(() => undefined)]);
    if (exited === undefined) child.kill("SIGKILL");
  }
  await mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  "the banner says Deno reloads the config file itself only, and that imported files need a restart",
  bounded(() => {
    expect(output).toContain("re-reads the config file itself only");
    expect(output).toContain("restart");
  }),
  BUDGET_MS,
);

test(
  "a non-streamed answer comes through the gateway on Deno",
  bounded(async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "t1", messages: [{ role: "user", content: "hello deno" }] })
      .withResponse();
    expect(data.choices[0].message.content).toBeTruthy();
    expect(response.headers.get("x-gateway-model")).toBe("a/good");
    requestIds.push(response.headers.get("x-request-id")!);
  }),
  BUDGET_MS,
);

test(
  "a streamed answer comes through, chunk by chunk, ending cleanly",
  bounded(async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "t1", messages: [{ role: "user", content: "stream on deno" }], stream: true })
      .withResponse();
    const { text, chunks, error } = await collectStream(data);
    expect(error).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
    requestIds.push(response.headers.get("x-request-id")!);
  }),
  BUDGET_MS,
);

test(
  "a tier whose first model answers 503 fails over to the next one",
  bounded(async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "t2", messages: [{ role: "user", content: "failover on deno" }] })
      .withResponse();
    expect(data.choices[0].message.content).toBeTruthy();
    expect(response.headers.get("x-gateway-model")).toBe("b/backup");
    expect(Number(response.headers.get("x-gateway-attempts"))).toBe(2);
    expect(mock.stats.requests[DOWN]).toBe(1);
    requestIds.push(response.headers.get("x-request-id")!);
  }),
  BUDGET_MS,
);

test(
  "the client's disconnect mid-stream cancels the upstream request",
  bounded(async () => {
    const before = mock.stats.aborted;
    const controller = new AbortController();
    const { data, response } = await client.chat.completions
      .create(
        { model: "t3", messages: [{ role: "user", content: "long one" }], stream: true },
        { signal: controller.signal },
      )
      .withResponse();
    goneId = response.headers.get("x-request-id")!;
    let seen = 0;
    try {
      for await (const chunk of data) if (chunk.choices[0]?.delta?.content && ++seen === 2) controller.abort();
    } catch {
      // aborted by us
    }
    for (let i = 0; i < 200 && mock.stats.aborted === before; i++) await Bun.sleep(10);
    expect(mock.stats.aborted, "the upstream stream was not cancelled within 2 s of the client leaving").toBe(
      before + 1,
    );
  }),
  BUDGET_MS,
);

test(
  "an edit of the config file is live within a second (hot reload on Deno)",
  bounded(async () => {
    const temp = `${configPath}.tmp`;
    writeFileSync(temp, configSource(mock.url, tiers("b/reloaded")));
    renameSync(temp, configPath); // an editor's atomic save
    let model: string | null = null;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && model !== "b/reloaded") {
      const { response } = await client.chat.completions
        .create({ model: "t1", messages: [{ role: "user", content: "after the edit" }] })
        .withResponse();
      model = response.headers.get("x-gateway-model");
      if (model !== "b/reloaded") await Bun.sleep(100);
    }
    expect(model, `the edited config was not applied within 5 s:\n${output}`).toBe("b/reloaded");
  }),
  BUDGET_MS,
);

test(
  "the admin signs in (argon2id on Deno) and finds every request in the log",
  bounded(async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-smartroute-request": "1" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    expect(login.status, `login answered ${login.status}: ${await login.clone().text()}`).toBe(200);
    const cookie = login.headers.get("set-cookie")?.split(";")[0];
    expect(cookie).toBeTruthy();
    // Rows are written by the log worker a few ms after each request ends.
    let statuses: Record<string, number> = {};
    const wanted = [...requestIds, goneId];
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const logs = await fetch(`${url}/api/logs`, { headers: { cookie: cookie! } });
      expect(logs.status).toBe(200);
      statuses = Object.fromEntries(
        ((await logs.json()) as { items: { id: string; status: number }[] }).items.map((item) => [
          item.id,
          item.status,
        ]),
      );
      if (wanted.every((id) => id in statuses)) break;
      await Bun.sleep(50);
    }
    expect(requestIds).toHaveLength(3);
    expect(requestIds.map((id) => statuses[id])).toEqual([200, 200, 200]);
    expect(statuses[goneId], "the disconnected stream is logged as the client's going (499)").toBe(499);
  }),
  BUDGET_MS,
);

test(
  "SIGTERM stops it cleanly: requests finished, log rows written, exit code 0",
  bounded(async () => {
    child!.kill("SIGTERM");
    const code = await Promise.race([child!.exited, Bun.sleep(3_000).then(() => "still running")]);
    expect(code, `after SIGTERM the gateway on Deno: ${code}\n${output}`).toBe(0);
    // Run with --unstable-no-legacy-abort, request.signal means "the client went away" as on Bun; Deno
    // warns when a handler reads a signal that its legacy mode aborts after every successful response.
    expect(output).not.toContain("legacy behavior");
  }),
  BUDGET_MS,
);

test(
  "its data directory opens on Bun as it is: migrations not re-run, rows and the hash-wasm password readable",
  bounded(async () => {
    const store = openStore(join(dir, "data"));
    try {
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
        entries: unknown[];
      };
      expect(store.sqlite.query("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({
        n: journal.entries.length,
      });
      const ids = (store.sqlite.query("SELECT id FROM requests").all() as { id: string }[]).map((row) => row.id);
      expect(ids).toEqual(expect.arrayContaining([...requestIds, goneId]));
      const { password_hash } = store.sqlite
        .query("SELECT password_hash FROM users WHERE username = 'admin'")
        .get() as { password_hash: string };
      expect(await verifyPassword(ADMIN_PASSWORD, password_hash, bunPasswordHasher())).toBe(true);
    } finally {
      store.close();
    }
  }),
  BUDGET_MS,
);
