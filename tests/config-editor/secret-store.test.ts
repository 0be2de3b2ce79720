/** The secret store in the data dir: round trip, 0600, and the real environment keeps precedence. */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretStore, secretName } from "../../src/config-editor/secret-store.ts";

const root = mkdtempSync(join(tmpdir(), "smartroute-secrets-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const used: string[] = [];
/** A fresh data dir and a variable name no other test (or the machine) uses. */
function fresh() {
  n += 1;
  const name = `SMARTROUTE_TEST_SECRET_${process.pid}_${n}`;
  used.push(name);
  return { dataDir: join(root, `data-${n}`), name };
}
afterEach(() => {
  for (const name of used.splice(0)) delete process.env[name];
});

describe("SecretStore", () => {
  test("lists names with when each was set (the store's clock), kept across a restart, never values", () => {
    const { dataDir, name } = fresh();
    const store = new SecretStore(dataDir, () => 1_700_000_000_000);
    store.set(name, "sk-with-a-time");
    expect(store.list()).toEqual([{ name, setAt: 1_700_000_000_000 }]);
    delete process.env[name];
    const again = new SecretStore(dataDir);
    again.load();
    expect(again.list()).toEqual([{ name, setAt: 1_700_000_000_000 }]);
    expect(process.env[name]).toBe("sk-with-a-time");
    expect(JSON.stringify(again.list())).not.toContain("sk-with-a-time");
  });

  test("a line written by hand (no time) is listed without one", () => {
    const { dataDir, name } = fresh();
    new SecretStore(dataDir).set(name, "x");
    writeFileSync(join(dataDir, "secrets.env"), `${name}=by-hand\n`);
    const store = new SecretStore(dataDir);
    store.load();
    expect(store.list()).toEqual([{ name, setAt: undefined }]);
  });

  test("a stored secret is loaded by a new store into process.env", () => {
    const { dataDir, name } = fresh();
    new SecretStore(dataDir).set(name, "sk-round-trip");
    delete process.env[name];
    const store = new SecretStore(dataDir);
    store.load();
    expect(process.env[name]).toBe("sk-round-trip");
    expect(store.has(name)).toBe(true);
    expect(store.names()).toEqual([name]);
  });

  test("set makes the variable visible at once (for the next config reload)", () => {
    const { dataDir, name } = fresh();
    expect(new SecretStore(dataDir).set(name, "v1")).toEqual({ active: true });
    expect(process.env[name]).toBe("v1");
  });

  test("the file is secrets.env, KEY=VALUE lines, mode 0600", () => {
    const { dataDir, name } = fresh();
    new SecretStore(dataDir).set(name, "plain-value");
    const path = join(dataDir, "secrets.env");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8").split("\n")).toContain(`${name}=plain-value`);
  });

  test("values with spaces, quotes, =, # and newlines survive the round trip", () => {
    const { dataDir, name } = fresh();
    const value = `a b "c" 'd' = #e\\f\nsecond line`;
    new SecretStore(dataDir).set(name, value);
    delete process.env[name];
    new SecretStore(dataDir).load();
    expect(process.env[name]).toBe(value);
  });

  test("a variable set in the real environment is not overridden by load or set", () => {
    const { dataDir, name } = fresh();
    new SecretStore(dataDir).set(name, "stored");
    process.env[name] = "from-the-shell";
    const store = new SecretStore(dataDir);
    store.load();
    expect(process.env[name]).toBe("from-the-shell");
    expect(store.set(name, "stored-again")).toEqual({ active: false });
    expect(process.env[name]).toBe("from-the-shell");
  });

  test("a file left readable by others is tightened to 0600 on load", () => {
    const { dataDir, name } = fresh();
    new SecretStore(dataDir).set(name, "x");
    chmodSync(join(dataDir, "secrets.env"), 0o644);
    new SecretStore(dataDir).load();
    expect(statSync(join(dataDir, "secrets.env")).mode & 0o777).toBe(0o600);
  });

  test("there is no way to read a value back through the store", () => {
    const store = new SecretStore(fresh().dataDir) as unknown as Record<string, unknown>;
    expect(["get", "value", "values", "read"].filter((m) => typeof store[m] === "function")).toEqual([]);
  });

  test("delete forgets the secret and unsets the variable it set", () => {
    const { dataDir, name } = fresh();
    const store = new SecretStore(dataDir);
    store.set(name, "x");
    expect(store.delete(name)).toBe(true);
    expect(process.env[name]).toBeUndefined();
    expect(store.has(name)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  test("an invalid name is refused", () => {
    expect(() => new SecretStore(fresh().dataDir).set("1BAD-NAME", "x")).toThrow(TypeError);
  });

  test("comments and blank lines in a hand-edited file are ignored", () => {
    const { dataDir, name } = fresh();
    new SecretStore(dataDir).set(name, "x");
    writeFileSync(join(dataDir, "secrets.env"), `# note\n\n${name}=hand-edited\n`);
    delete process.env[name];
    new SecretStore(dataDir).load();
    expect(process.env[name]).toBe("hand-edited");
  });
});

describe("secretName", () => {
  test("provider id and option key in SCREAMING_SNAKE_CASE", () => {
    expect(secretName("openai", "apiKey")).toBe("SMARTROUTE_OPENAI_API_KEY");
    expect(secretName("my-azure.eu", "api_key")).toBe("SMARTROUTE_MY_AZURE_EU_API_KEY");
    expect(secretName("deepSeek2", "token")).toBe("SMARTROUTE_DEEP_SEEK2_TOKEN");
  });
});
