/**
 * The gateway with parts taken out, to find where its time goes (the `breakdown` scenario). Not a way
 * to run the gateway: it reaches into src/ internals (Gateway, Pipeline) and may need updating when
 * they change.
 *
 *   PORT=... MOCK_URL=... bun bench/gateway-variant.ts [--no-log] [--lean-http]
 *
 *   --no-log     no request log (startGateway without a data directory: no SQLite writes)
 *   --lean-http  a bare Bun.serve route in place of the Elysia app and readBody: the key check, then
 *                `await request.text()` straight into the pipeline
 *   --src-read-body  with --lean-http: read the body with src/http/readBody (a stream reader) instead,
 *                to tell the cost of Elysia from the cost of reading the body
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveConfig } from "../src/config/live.ts";
import { GatewayError } from "../src/errors.ts";
import { Gateway } from "../src/gateway.ts";
import { readBody } from "../src/http/read-body.ts";
import { createLogger } from "../src/logger.ts";
import { startGateway } from "../src/main.ts";
import { openStore } from "../src/store/db.ts";
import { ROOT } from "./lib/proc.ts";

const CONFIG = join(ROOT, "bench/gateway.bench.config.ts");
const port = Number(Bun.env.PORT ?? 0);
const noLog = process.argv.includes("--no-log");
const leanHttp = process.argv.includes("--lean-http");
const srcReadBody = process.argv.includes("--src-read-body");
const dataDir = noLog ? undefined : (Bun.env.GATEWAY_DATA_DIR ?? mkdtempSync(join(tmpdir(), "smartroute-variant-")));
const log = createLogger();

/** The pipeline behind the thinnest HTTP layer that still checks the key. */
async function startLean(): Promise<{ stop(): Promise<void> }> {
  const live = await LiveConfig.load({ path: CONFIG, projectRoot: ROOT, log });
  const gateway = new Gateway({ live, log, store: dataDir ? openStore(dataDir) : undefined });
  const server = Bun.serve({
    port,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    routes: {
      "/healthz": new Response("ok"),
      "/v1/chat/completions": {
        POST: async (request) => {
          const config = gateway.live.get();
          let apiKeyId: string | undefined;
          try {
            apiKeyId = (await gateway.authorize(request.headers, config)).id;
          } catch (error) {
            if (error instanceof GatewayError) return Response.json(error, { status: error.status });
            throw error;
          }
          const body = srcReadBody ? await readBody(request, config.limits.maxBodyBytes) : await request.text();
          return gateway.pipeline.handle({ body, signal: request.signal, client: { apiKeyId } }, config);
        },
      },
    },
    fetch: () => new Response("not found", { status: 404 }),
  });
  return {
    async stop() {
      await server.stop(true);
      gateway.close();
    },
  };
}

const running = leanHttp
  ? await startLean()
  : await startGateway({ configPath: CONFIG, projectRoot: ROOT, port, host: "127.0.0.1", dataDir, log });
console.log(
  `gateway variant (${noLog ? "no log" : "log"}, ${leanHttp ? `lean http, ${srcReadBody ? "src readBody" : "request.text()"}` : "elysia"}) on port ${port}`,
);
const stop = async () => {
  await running.stop(); // writes the queued log rows, as the real gateway does on SIGTERM
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
