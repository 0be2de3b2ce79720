/**
 * A gateway as its own process (`bun src/main.ts`, or the Deno command of `npm run gateway:deno`), in
 * front of the mock upstream, with its config and data in a temp directory: what end-to-end tests drive
 * from a real browser or client, and what the shutdown tests signal as a supervisor would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import { configSource, freePort, ROOT } from "./gateway-harness.ts";

export interface GatewayProcess {
  url: string;
  mock: MockUpstream;
  dir: string;
  configPath: string;
  /** The SQLite file the gateway logs requests to. */
  dbPath: string;
  /** What the process printed at start (the banner, with the setup link on first start). */
  banner: string;
  /** Its process id; with `detached`, also its process group's id. */
  pid: number;
  /** Resolves with the exit code once the process has exited (on Bun, after its relaunched child). */
  exited: Promise<number>;
  /**
   * Sends `signal` to the gateway's process, or to its whole process group (`detached` only): what
   * systemd does with its default `KillMode=control-group` (`kill -- -PGID`).
   */
  kill(signal: NodeJS.Signals, to?: "process" | "group"): void;
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  config: string;
  /** Extra entries of the config's `providers` (source text, e.g. `sim: simulated({}),`). */
  providers?: string;
  env?: Record<string, string>;
  /** "bun" (default: `bun src/main.ts`, which relaunches itself once) or "deno". */
  runtime?: "bun" | "deno";
  /** Starts it in a process group of its own, as a service manager does, so the group can be signalled. */
  detached?: boolean;
  /** A mock upstream to use (replicas of a cluster share one, so their config files are the same); stopped by its owner. */
  mock?: MockUpstream;
}

/** `npm run gateway:deno` without its UI build step: `deno run <permissions> src/main.ts`. */
export function denoGatewayCommand(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts["gateway:deno"];
  const step = script
    .split("&&")
    .map((part) => part.trim())
    .find((part) => part.startsWith("deno "));
  if (!step) throw new Error(`package.json's gateway:deno script has no "deno ..." step: ${script}`);
  return [join(ROOT, "node_modules/.bin/deno"), ...step.split(/\s+/).slice(1)];
}

function command(runtime: "bun" | "deno", configPath: string): string[] {
  if (runtime === "deno")
    return [
      ...denoGatewayCommand().map((part) => (part === "src/main.ts" ? join(ROOT, "src/main.ts") : part)),
      "--config",
      configPath,
    ];
  return [process.execPath, join(ROOT, "src/main.ts"), "--config", configPath];
}

/** Reads stdout until the banner is complete (its first line, then quiet for 200 ms), then keeps draining it. */
async function readBanner(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stdout.getReader();
  let banner = "";
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
  return banner;
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const mock = options.mock ?? startMockUpstream();
  const dir = mkdtempSync(join(tmpdir(), "smartroute-e2e-"));
  const configPath = join(dir, "gateway.config.ts");
  writeFileSync(configPath, configSource(mock.url, options.config, "", options.providers));
  const port = freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_DATA_DIR: join(dir, "data"),
    GATEWAY_LOG_LEVEL: "warn",
    DENO_NO_UPDATE_CHECK: "1",
    ...options.env,
  };
  for (const key of [
    "OPENAI_API_KEY",
    "DEEPSEEK_API_KEY",
    "GATEWAY_API_KEY",
    "GATEWAY_ADMIN_PASSWORD",
    "BUN_CONFIG_MAX_HTTP_REQUESTS",
  ])
    if (!options.env?.[key]) delete env[key];
  const runtime = options.runtime ?? "bun";
  const child = Bun.spawn(command(runtime, configPath), {
    cwd: runtime === "deno" ? ROOT : dir,
    env,
    stdout: "pipe",
    stderr: "inherit",
    detached: options.detached === true,
  });
  const banner = await readBanner(child.stdout as ReadableStream<Uint8Array>);
  return {
    url: `http://127.0.0.1:${port}`,
    mock,
    dir,
    configPath,
    dbPath: join(dir, "data", "gateway.db"),
    banner,
    pid: child.pid,
    exited: child.exited,
    kill(signal, to = "process") {
      if (to === "group" && !options.detached)
        throw new Error("only a detached gateway has a process group of its own");
      process.kill(to === "group" ? -child.pid : child.pid, signal);
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await child.exited;
      if (!options.mock) await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
