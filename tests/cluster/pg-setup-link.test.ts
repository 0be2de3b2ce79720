/**
 * The first-run setup link in cluster mode, on the real PostgreSQL: the first process to start prints
 * it, the next says it was printed elsewhere, the link works through either, and sent to both at once it
 * makes one admin.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningGateway } from "../../src/main.ts";
import { configSource } from "../helpers/gateway-harness.ts";
import { freshSchema, inProcess, PG_URL, pgAnswers } from "../helpers/postgres.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoProcesses(): Promise<[RunningGateway, RunningGateway]> {
  const fresh = await freshSchema();
  const dir = mkdtempSync(join(tmpdir(), "smartroute-setup-"));
  writeFileSync(
    join(dir, "gateway.config.ts"),
    configSource("http://127.0.0.1:9/v1", `tiers: { t1: { models: ["a/m1"] } },`),
  );
  const databaseUrl = `${PG_URL}?search_path=${fresh.schema}`;
  const first = await inProcess(dir, "data-a", { databaseUrl });
  const second = await inProcess(dir, "data-b", { databaseUrl });
  cleanups.push(async () => {
    await first.stop();
    await second.stop();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  return [first, second];
}

const setup = (node: RunningGateway, token: string, username: string) =>
  fetch(`${node.url}/api/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1" },
    body: JSON.stringify({ token, username, password: "velvet orbit lantern 42" }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { message: string } } }));

describe.skipIf(!pgAnswers)("the setup link across a cluster", () => {
  test("printed by the first process, it works on the second, once", async () => {
    const [a, b] = await twoProcesses();
    expect(a.setupToken).toEqual(expect.any(String));
    expect(b.setupToken).toBeUndefined();
    expect(b.setupElsewhere).toBe(true);
    expect((await setup(b, "not-the-token", "owner")).status).toBe(403);
    expect((await setup(b, a.setupToken!, "owner")).status).toBe(200);
    const again = await setup(a, a.setupToken!, "second");
    expect(again.status).toBe(409);
  });

  test("sent to both at once, it makes one admin", async () => {
    const [a, b] = await twoProcesses();
    const answers = await Promise.all([setup(a, a.setupToken!, "first"), setup(b, a.setupToken!, "other")]);
    // One made the admin; the other was refused, by the token already used or the admin already there.
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    expect(answers.filter((x) => x.status === 403 || x.status === 409)).toHaveLength(1);
  });
});
