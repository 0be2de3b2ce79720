/**
 * What the data directory gives away to other local users: nothing. It is 0700 and its files 0600
 * (loose ones are tightened at start, with a warning); the TOTP secret is encrypted with a key derived
 * from the session key (kept in its own file), clear secrets of older databases are encrypted at start;
 * login with a code keeps working across restarts.
 */

import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentCode } from "../../src/auth/totp.ts";
import { systemClock } from "../../src/pipeline/clock.ts";
import { openStore } from "../../src/store/db.ts";
import { recordingLogger } from "../helpers/gateway-harness.ts";
import { Gateways, type Started } from "../helpers/restartable-gateway.ts";

const PASSWORD = "correct staple horse battery";
const TIERS = `  tiers: { t1: { models: ["a/good"] } },`;
const T0 = 1_800_000_000_000;
let step = 0;
/** The clock stands still between steps; each login with a code moves it to a new TOTP step. */
const clock = {
  now: () => T0 + step * 30_000,
  localTime: systemClock.localTime,
  sleep: systemClock.sleep,
  setTimer: systemClock.setTimer,
};
const gateways = new Gateways({ password: PASSWORD, deps: { clock } });
let first: Started;
let totpSecret = "";
const umask = process.umask(0o022); // the usual umask: files would be 0644 unless the gateway says otherwise

const mode = (path: string) => statSync(path).mode & 0o777;
const totpColumn = (dataDir: string) => {
  const db = new Database(join(dataDir, "gateway.db"), { readonly: true });
  try {
    return (db.query("SELECT totp_secret FROM users WHERE username = 'admin'").get() as { totp_secret: string | null })
      .totp_secret;
  } finally {
    db.close();
  }
};
async function loginWithCode(started: Started): Promise<number> {
  step += 1;
  return (
    await started.admin.call("POST", "/api/auth/login", {
      username: "admin",
      password: PASSWORD,
      code: await currentCode(totpSecret, clock.now()),
    })
  ).status;
}

beforeAll(async () => {
  first = await gateways.start(TIERS);
  await first.admin.login("admin", PASSWORD);
  totpSecret = (await first.admin.call("POST", "/api/auth/totp/enrol")).json.secret as string;
  expect(
    (await first.admin.call("POST", "/api/auth/totp/confirm", { code: await currentCode(totpSecret, clock.now()) }))
      .status,
  ).toBe(200);
});
afterAll(async () => {
  process.umask(umask);
  await gateways.close();
});

describe("permissions", () => {
  test("the data directory is 0700 and every file in it 0600, the database's -wal and -shm included", () => {
    expect(mode(first.dataDir)).toBe(0o700);
    const files = readdirSync(first.dataDir);
    expect(files).toEqual(expect.arrayContaining(["gateway.db", "gateway.db-wal", "gateway.db-shm", "session.key"]));
    for (const file of files) expect([file, mode(join(first.dataDir, file))]).toEqual([file, 0o600]);
  });

  test("loose permissions of an existing directory are fixed at start, with a warning naming each path", () => {
    const dir = join(first.dir, "loose");
    openStore(dir).close();
    writeFileSync(join(dir, "notes.txt"), "copied in by hand");
    chmodSync(dir, 0o755);
    for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
    const log = recordingLogger();
    openStore(dir, { log }).close();
    expect(mode(dir)).toBe(0o700);
    for (const file of readdirSync(dir)) expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
    const warnings = log.lines.filter((line) => line.startsWith("warn"));
    expect(warnings.join("\n")).toContain("notes.txt");
    expect(warnings.join("\n")).toContain("gateway.db");
  });
});

describe("the TOTP secret at rest", () => {
  test("is not in the database in clear; a code still signs in", async () => {
    const stored = totpColumn(first.dataDir);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(totpSecret);
    expect(await loginWithCode(first)).toBe(200);
  });

  test("a clear secret of an older database is encrypted at start, and still works", async () => {
    await gateways.stop(first);
    const db = new Database(join(first.dataDir, "gateway.db"));
    db.run("PRAGMA busy_timeout = 5000"); // the stopped gateway's connections may still be closing
    db.query("UPDATE users SET totp_secret = ? WHERE username = 'admin'").run(totpSecret);
    db.close();
    const again = await gateways.start(TIERS, first.dir);
    expect(totpColumn(again.dataDir)).not.toContain(totpSecret);
    expect(await loginWithCode(again)).toBe(200);
    // Restarted once more: the key is the one kept in the data dir, so the secret still opens.
    await gateways.stop(again);
    const third = await gateways.start(TIERS, first.dir);
    expect(await loginWithCode(third)).toBe(200);
    expect(existsSync(join(third.dataDir, "session.key"))).toBe(true);
  });
});
