/**
 * The README's start command, as a user runs it: the shipped gateway.config.ts in its own process,
 * with the process settings of DESIGN §6, answering the openai client, and stopping cleanly on SIGTERM.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { collectStream, freePort, ROOT } from "../helpers/gateway-harness.ts";

const dataDir = join(mkdtempSync(join(tmpdir(), "smartroute-demo-")), "state");
const port = freePort();
let child: ReturnType<typeof Bun.spawn>;
let banner = "";

beforeAll(async () => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_DATA_DIR: dataDir,
  };
  for (const key of ["OPENAI_API_KEY", "DEEPSEEK_API_KEY", "GATEWAY_API_KEY"]) delete env[key];
  child = Bun.spawn([process.execPath, "src/main.ts"], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  while (!banner.includes("WARNING")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`gateway exited early: ${await new Response(child.stderr as ReadableStream).text()}`);
    banner += decoder.decode(value);
  }
  reader.releaseLock();
});
afterAll(() => {
  child.kill("SIGKILL");
  rmSync(join(dataDir, ".."), { recursive: true, force: true });
});

test("the banner says where it listens, which providers are simulated, and that /v1 is open", () => {
  expect(banner).toContain(`http://127.0.0.1:${port}/v1`);
  expect(banner).toContain("sim (simulated)");
  expect(banner).toContain("/v1 is open");
  expect(existsSync(dataDir)).toBe(true);
});

test("the shipped config answers the openai client, streamed and not, with failover under the flaky model", async () => {
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "none", maxRetries: 0 });
  const results = await Promise.all(
    Array.from({ length: 8 }, () =>
      client.chat.completions
        .create({ model: "auto", messages: [{ role: "user", content: "hello demo" }] })
        .withResponse(),
    ),
  );
  for (const { data, response } of results) {
    expect(data.choices[0].message.content).toContain('You asked: "hello demo"');
    expect(response.headers.get("x-gateway-tier")).toBe("t1");
  }
  const { text, error } = await collectStream(
    await client.chat.completions.create({
      model: "t3",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
    }),
  );
  expect(error).toBeUndefined();
  expect(text).toContain("simulated answer from large");
});

test("SIGTERM stops it cleanly", async () => {
  child.kill("SIGTERM");
  expect(await child.exited).toBe(0);
});
