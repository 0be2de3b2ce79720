/**
 * A real gateway on a loopback port, configured by a real `gateway.config.ts` written to a temp
 * directory, in front of the fault-injecting mock upstream (bench/mock-upstream.ts), with the official
 * `openai` client pointed at it. Everything crosses real HTTP.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import OpenAI from "openai";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import { startSplitProxy } from "../../bench/split-proxy.ts";
import { type RunningGateway, startGateway } from "../../src/main.ts";
import type { PipelineDeps } from "../../src/pipeline/state.ts";
import type { Logger } from "../../src/plugin/types.ts";

export const ROOT = resolve(import.meta.dir, "../..");

/** A logger that keeps lines for assertions instead of printing them. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${data ? ` ${JSON.stringify(data)}` : ""}`);
  };
  return { lines, info: push("info"), warn: push("warn"), error: push("error") };
}

/**
 * The text of a config file: `body` is the object literal's contents. Providers `a` and `b` point at the
 * mock upstream; every built-in factory is imported.
 */
export function configSource(mockUrl: string, body: string, extraImports = "", extraProviders = ""): string {
  return `import { defineConfig, env } from "${ROOT}/src/index.ts";
import { openai, simulated, statusCodeRetry, errorKeywordRetry, modelParams } from "${ROOT}/plugins/index.ts";
${extraImports}
export default defineConfig({
  providers: {
    a: openai({ baseURL: "${mockUrl}" }),
    b: openai({ baseURL: "${mockUrl}" }),
    ${extraProviders}
  },
${body}
});
`;
}

export interface Harness {
  /** Gateway base URL (no /v1). */
  url: string;
  client: OpenAI;
  mock: MockUpstream;
  running: RunningGateway;
  dir: string;
  configPath: string;
  log: Logger & { lines: string[] };
  /** Replaces the config file atomically, as an editor's save does. */
  writeConfig(text: string): void;
  /** Requests the mock saw for a model string, as written in the config after "provider/". */
  seen(model: string): number;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Config body (see configSource), given the mock's URL. */
  config: (mockUrl: string) => string;
  watch?: boolean;
  deps?: Partial<PipelineDeps>;
  apiKey?: string;
  /** Extra files to write next to the config before it loads: name → text. */
  files?: Record<string, string>;
  /** Extra import lines for the config file (e.g. a local plugin). */
  imports?: string;
  /** Extra entries of `providers` (source text, e.g. `tp: toolProvider,`), or a function of the mock's URL. */
  providers?: string | ((mockUrl: string) => string);
  /** Clock for the mock upstream's `flap` fault. */
  mockNow?: () => number;
  /**
   * Reach the mock through bench/split-proxy.ts, which splits every upstream write in two segments 3 ms
   * apart (as real networks and TLS do): every provider's URL, `mockUrl` included, is the proxy's.
   */
  splitWrites?: boolean;
  /** Passed to startGateway (admin account, login throttle). */
  adminPassword?: string;
  adminLimiter?: import("../../src/auth/throttle.ts").AttemptLimiter;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const mock = startMockUpstream({ now: options.mockNow });
  const proxy = options.splitWrites ? await startSplitProxy({ upstreamPort: mock.port }) : undefined;
  const upstreamUrl = proxy?.url ?? mock.url;
  const dir = mkdtempSync(join(tmpdir(), "smartroute-test-"));
  const configPath = join(dir, "gateway.config.ts");
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  writeFileSync(
    configPath,
    configSource(
      upstreamUrl,
      options.config(upstreamUrl),
      options.imports,
      typeof options.providers === "function" ? options.providers(upstreamUrl) : options.providers,
    ),
  );
  const log = recordingLogger();
  const running = await startGateway({
    configPath,
    projectRoot: dir,
    dataDir: join(dir, "data"),
    port: 0,
    host: "127.0.0.1",
    log,
    watch: options.watch ?? false,
    deps: options.deps,
    adminPassword: options.adminPassword,
    adminLimiter: options.adminLimiter,
  });
  const client = new OpenAI({
    baseURL: `${running.url}/v1`,
    apiKey: options.apiKey ?? "unused",
    maxRetries: 0,
    timeout: 20_000,
  });
  let n = 0;
  return {
    url: running.url,
    client,
    mock,
    running,
    dir,
    configPath,
    log,
    writeConfig(text) {
      const temp = join(dir, `.gateway.config.ts.${++n}.tmp`);
      writeFileSync(temp, text);
      renameSync(temp, configPath);
    },
    seen: (model) => mock.stats.requests[model] ?? 0,
    async stop() {
      await running.stop();
      await proxy?.stop();
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects a streamed completion: the text, the chunks, and the error the stream ended with, if any. */
export async function collectStream(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let text = "";
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta?.content ?? "";
    }
  } catch (e) {
    error = e;
  }
  return { text, chunks, error };
}

/** Raw SSE text of a streamed request, for assertions on the wire format ([DONE], error events). */
export async function rawStream(
  url: string,
  body: object,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ stream: true, ...body }),
    signal,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A port that was free a moment ago (the OS picks it), for a gateway started as its own process. */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/**
 * A gateway whose providers are one of another protocol (`entry`, e.g. `claude: anthropic({...})`) and
 * `oai` (OpenAI) as a fallback, both on the mock upstream, with short budgets: the provider tests' setup.
 */
export function startProtocolHarness(options: {
  factory: string;
  entry: (mockUrl: string) => string;
  tiers: string;
}): Promise<Harness> {
  return startHarness({
    imports: `import { ${options.factory} } from "${ROOT}/plugins/index.ts";`,
    providers: (url) => `${options.entry(url)}, oai: openai({ baseURL: "${url}" }),`,
    config: () => `  timeouts: { connectMs: 1000, firstTokenMs: 1000, idleMs: 300, totalMs: 8000 },
  retry: { backoff: { baseMs: 5, maxMs: 20 } },
  tiers: {${options.tiers}},`,
  });
}
