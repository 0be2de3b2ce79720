/**
 * A gateway as its own process (`bun src/main.ts`), in front of the mock upstream, with its config and
 * data in a temp directory: what end-to-end tests drive from a real browser or client.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockUpstream, type MockUpstream } from "../../bench/mock-upstream.ts";
import { configSource, freePort, ROOT } from "./gateway-harness.ts";

export interface GatewayProcess {
  url: string;
  mock: MockUpstream;
  dir: string;
  configPath: string;
  /** What the process printed at start (the banner, with the setup link on first start). */
  banner: string;
  stop(): Promise<void>;
}

export async function startGatewayProcess(options: { config: string; env?: Record<string, string> }): Promise<GatewayProcess> {
  const mock = startMockUpstream();
  const dir = mkdtempSync(join(tmpdir(), "smartroute-e2e-"));
  const configPath = join(dir, "gateway.config.ts");
  writeFileSync(configPath, configSource(mock.url, options.config));
  const port = freePort();
  const env: Record<string, string | undefined> = { ...process.env, GATEWAY_PORT: String(port), GATEWAY_HOST: "127.0.0.1", GATEWAY_DATA_DIR: join(dir, "data"), GATEWAY_LOG_LEVEL: "warn", ...options.env };
  for (const key of ["OPENAI_API_KEY", "DEEPSEEK_API_KEY", "GATEWAY_API_KEY", "GATEWAY_ADMIN_PASSWORD"]) if (!options.env?.[key]) delete env[key];
  const child = Bun.spawn([process.execPath, join(ROOT, "src/main.ts"), "--config", configPath], { cwd: dir, env, stdout: "pipe", stderr: "inherit" });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let banner = "";
  // The banner is one write; read until it is complete (its first line, then quiet for 200 ms).
  for (;;) {
    const next = await Promise.race([reader.read(), Bun.sleep(banner ? 200 : 15_000).then(() => undefined)]);
    if (next === undefined) break;
    if (next.done) throw new Error(`the gateway exited at start:\n${banner}`);
    banner += new TextDecoder().decode(next.value);
  }
  if (!banner.includes("listening")) throw new Error(`the gateway did not start:\n${banner}`);
  // Keep draining stdout so the child never blocks on a full pipe.
  void (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done);
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    mock,
    dir,
    configPath,
    banner,
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
