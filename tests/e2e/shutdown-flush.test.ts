/**
 * SIGTERM with log rows still queued: the process writes them all before it exits. Runs the gateway as
 * its own process (the real signal path) with a long flush interval so rows are certainly queued.
 */
import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockUpstream } from "../../bench/mock-upstream.ts";
import { configSource, freePort, ROOT } from "../helpers/gateway-harness.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-shutdown-"));
const mock = startMockUpstream();
afterAll(async () => {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("every answered request is in the database after SIGTERM", async () => {
  writeFileSync(join(dir, "gateway.config.ts"), configSource(mock.url, `  tiers: { t1: { models: ["a/m"] } },
  logging: { flushIntervalMs: 60_000 },`));
  const port = freePort();
  const child = Bun.spawn([process.execPath, join(ROOT, "src/main.ts")], {
    cwd: dir,
    env: { ...process.env, GATEWAY_PORT: String(port), GATEWAY_HOST: "127.0.0.1", GATEWAY_DATA_DIR: join(dir, "data"), GATEWAY_LOG_LEVEL: "warn" },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!out.includes("listening")) out += new TextDecoder().decode((await reader.read()).value);
  const body = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "x" }] });
  const answered = await Promise.all(
    Array.from({ length: 300 }, async () => (await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: "POST", body })).status),
  );
  expect(answered.every((s) => s === 200)).toBe(true);
  child.kill("SIGTERM");
  expect(await child.exited).toBe(0);
  const db = new Database(join(dir, "data", "gateway.db"), { readonly: true });
  expect((db.query("SELECT count(*) AS n FROM requests").get() as { n: number }).n).toBe(300);
  db.close();
});
