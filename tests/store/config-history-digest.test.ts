/**
 * The config history tells the file it last recorded by a keyed digest: a gateway restarted on an
 * unchanged file neither masks (parses) it nor records it again, and so never loads Babel; a changed
 * file is masked and recorded as before. The digest is keyed with the data directory's key: the
 * database alone holds nothing to test guesses of a file's secrets against.
 */
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redactSource } from "../../src/config-editor/masked-source.ts";
import { ConfigHistory } from "../../src/store/config-history.ts";
import { openStore, type Store } from "../../src/store/db.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const KEY = new Uint8Array(32).fill(7);
const FILE_A = `export default { providers: { openai: { apiKey: "sk-proj-abcdefghijklmnopqrstuvwx" } } };\n`;
const FILE_B = FILE_A.replace("abcdefgh", "zyxwvuts").replace("{ providers", "{ server: { port: 7000 }, providers");

/** A history as a (re)started gateway opens it, counting how often it masks a text. */
function openHistory(store: Store, key: Uint8Array | null = KEY) {
  const counted = { masked: 0 };
  const history = new ConfigHistory(
    store,
    (source) => {
      counted.masked++;
      return redactSource(source);
    },
    key ?? undefined,
  );
  const start = (source: string) => history.record({ ts: 1, author: "file", reason: "gateway started", source });
  return { history, counted, start };
}

describe("the config history on a restart", () => {
  test("an unchanged file is neither masked nor recorded again; a changed one is, masked", () => {
    const store = openStore(":memory:");
    expect(openHistory(store).start(FILE_A)?.id).toBe(1);
    const restarted = openHistory(store);
    expect(restarted.start(FILE_A)).toBeUndefined();
    expect(restarted.counted.masked).toBe(0);
    const changed = openHistory(store);
    const recorded = changed.start(FILE_B);
    expect(changed.counted.masked).toBe(1);
    expect(recorded?.id).toBe(2);
    expect(recorded?.source).not.toContain("zyxwvuts");
    // Back to the first text: a new version (the newest is B), then unchanged again.
    expect(openHistory(store).start(FILE_A)?.id).toBe(3);
    const again = openHistory(store);
    expect(again.start(FILE_A)).toBeUndefined();
    expect(again.counted.masked).toBe(0);
  });

  test("a file whose masked text equals the newest version's is not recorded, and known next time", () => {
    const store = openStore(":memory:");
    openHistory(store, null).start(FILE_A); // recorded by a gateway that kept no digest
    const first = openHistory(store);
    expect(first.start(FILE_A)).toBeUndefined();
    expect(first.counted.masked).toBe(1);
    const second = openHistory(store);
    second.start(FILE_A);
    expect(second.counted.masked).toBe(0);
  });

  test("the digest is keyed: no plain hash of the file is stored, another key does not match it", () => {
    const store = openStore(":memory:");
    openHistory(store).start(FILE_A);
    const stored = JSON.stringify(store.sqlite.query("SELECT key, value FROM settings").all());
    for (const encoding of ["hex", "base64", "base64url"] as const)
      expect(stored).not.toContain(createHash("sha256").update(FILE_A).digest(encoding));
    const otherKey = openHistory(store, new Uint8Array(32).fill(9));
    expect(otherKey.start(FILE_A)).toBeUndefined(); // same masked text: still one version
    expect(otherKey.counted.masked).toBe(1);
  });

  test("without a key every start masks the file to compare it", () => {
    const store = openStore(":memory:");
    openHistory(store, null).start(FILE_A);
    const restarted = openHistory(store, null);
    expect(restarted.start(FILE_A)).toBeUndefined();
    expect(restarted.counted.masked).toBe(1);
  });
});

describe("a gateway restarted on its data directory with the same config", () => {
  test("does not load @babel/parser", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "smartroute-digest-"));
    try {
      const script = `
        import { startGateway } from "${ROOT}src/main.ts";
        const running = await startGateway({ configPath: "${ROOT}bench/gateway.bench.config.ts", dataDir: "${dataDir}",
          port: 0, host: "127.0.0.1", watch: false, log: { debug() {}, info() {}, warn() {}, error() {} } });
        const versions = running.gateway.history.list().length;
        await running.stop();
        const babel = Object.keys(require.cache).some((path) => path.includes("@babel/parser"));
        console.log(JSON.stringify({ versions, babel }));`;
      const run = async () => {
        const env = { ...process.env, MOCK_URL: "http://127.0.0.1:9/v1" };
        const proc = Bun.spawn([process.execPath, "-e", script], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
        const out = await new Response(proc.stdout).text();
        if ((await proc.exited) !== 0) throw new Error(await new Response(proc.stderr).text());
        return JSON.parse(out.trim().split("\n").at(-1) ?? "{}");
      };
      expect(await run()).toEqual({ versions: 1, babel: true }); // first start: the file is masked to be recorded
      expect(await run()).toEqual({ versions: 1, babel: false });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
