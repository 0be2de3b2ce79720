/**
 * The gateway's own CPU per request, without any network: `Gateway.pipeline.handle` with the bench
 * config (`bench/gateway.bench.config.ts`: key check, both classifiers on "auto", strategies, retry
 * rules, an adapter) and an in-process `fetch` that answers a canned completion, with the request log
 * on (a real SQLite file, its writer thread) or off. What it measures is what the pipeline, the
 * classifiers and the log hand-off cost on this thread, free of the HTTP server, the client and the
 * mock: CPU time per request from `process.cpuUsage()` (this process's threads, the log writer's too),
 * median of rounds. Not part of `npm run bench` (it reaches into src/ internals).
 *
 *   bun bench/pipeline-cost.ts [--requests 20000] [--rounds 5] [--no-log] [--pinned] [--http] [--real-fetch]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveConfig } from "../src/config/live.ts";
import { Gateway } from "../src/gateway.ts";
import { createHandler } from "../src/http/app.ts";
import { guardRequests } from "../src/http/request-guard.ts";
import { openStore } from "../src/store/db.ts";
import { ROOT } from "./lib/proc.ts";

const args = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const requests = value("requests", 20_000);
const rounds = value("rounds", 5);
const log = !args.includes("--no-log");
// "auto" runs both classifiers; --pinned asks for t1 by name (no classification).
const model = args.includes("--pinned") ? "t1" : "auto";
// --http: through the handler as the server calls it (the request guard, the /v1 route), still
// without a socket: the difference to the default is what the HTTP layer's own code costs.
const viaHttp = args.includes("--http");
// --real-fetch: the upstream is the mock at MOCK_URL over loopback (start one: `bun bench/mock-upstream.ts`).
const realFetch = args.includes("--real-fetch");

process.env.MOCK_URL ??= "http://127.0.0.1:9/v1";
const quiet = { info() {}, warn() {}, error() {} };
const live = await LiveConfig.load({
  path: join(ROOT, "bench/gateway.bench.config.ts"),
  projectRoot: ROOT,
  log: quiet,
});
const store = log ? openStore(mkdtempSync(join(tmpdir(), "smartroute-pipeline-cost-"))) : undefined;
const answer = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "m1",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello there." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
});
const gateway = new Gateway({
  live,
  log: quiet,
  store,
  deps: realFetch
    ? {}
    : { fetch: async () => new Response(answer, { headers: { "content-type": "application/json" } }) },
});
const body = JSON.stringify({ model, messages: [{ role: "user", content: "Say hello in one short sentence." }] });
const headers = new Headers({ authorization: "Bearer sk-bench-0123456789abcdef", "content-type": "application/json" });
const signal = new AbortController().signal;

const guarded = guardRequests(createHandler(gateway), {
  limits: () => gateway.live.get().limits,
  defaultMaxInFlight: 10_000,
});
const url = "http://127.0.0.1:6688/v1/chat/completions";

async function one(): Promise<void> {
  let response: Response;
  if (viaHttp) {
    const request = new Request(url, { method: "POST", headers, body });
    response = await guarded(request, { ip: "127.0.0.1" });
  } else {
    const config = gateway.live.get();
    const key = await gateway.authorize(headers, config);
    response = await gateway.pipeline.handle({ body, signal, client: { apiKeyId: key.id } }, config);
  }
  if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
  await response.text();
}

for (let i = 0; i < 3000; i++) await one(); // warm-up: compiled, caches filled
const perRequest: number[] = [];
for (let round = 0; round < rounds; round++) {
  await gateway.writer?.drain();
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i++) await one();
  await gateway.writer?.drain();
  const used = process.cpuUsage(before);
  perRequest.push((used.user + used.system) / requests);
}
perRequest.sort((a, b) => a - b);
const median = perRequest[Math.floor(perRequest.length / 2)];
console.log(
  `${viaHttp ? "app" : "pipeline"} CPU per request (${model}, log ${log ? "on" : "off"}): median ${median.toFixed(1)} µs of ${rounds} rounds × ${requests} (${perRequest.map((v) => v.toFixed(1)).join(", ")})`,
);
await gateway.close();
