/**
 * Where the gateway spends its CPU: runs the gateway under `bun --cpu-prof-md` with throughput-style
 * load, stops it (the profile is written on exit) and prints the top of the profile.
 *
 *   bun bench/profile.ts [--seconds 5] [--connections 32] [--stream] [--top 40] [--out DIR]
 *
 * Not part of `npm run bench`: a profiler slows the process, so its numbers are not benchmark figures.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chatBody } from "./lib/models.ts";
import { ProcessGroup } from "./lib/proc.ts";
import { runLoadProcess } from "./lib/run-load.ts";
import { Flags } from "./lib/scenario.ts";
import { startGateway, startMock } from "./lib/servers.ts";
import { gatewayTarget } from "./lib/targets.ts";

const { flags } = Flags.parse(process.argv.slice(2));
const seconds = flags.num("seconds", 5);
const connections = flags.num("connections", 32);
const stream = flags.has("stream");
const top = flags.num("top", 40);
const out = flags.has("out") ? (flags.words("out", [])[0] ?? "") : mkdtempSync(join(tmpdir(), "smartroute-prof-"));

const group = new ProcessGroup();
try {
  const mock = await startMock(group);
  const server = await startGateway(group, mock, { bunFlags: ["--cpu-prof-md", `--cpu-prof-dir=${out}`] });
  const target = gatewayTarget(server);
  const shape = stream ? "first" : "plain";
  const load = await runLoadProcess(group, {
    url: target.url,
    headers: target.headers,
    kinds: [{ name: shape, body: chatBody(target.model(shape), stream), stream }],
    connections,
    durationMs: seconds * 1000,
    warmupRequests: 500,
    timeoutMs: 10_000,
  });
  console.log(`${load.requests} requests, ${load.rps} req/s under the profiler (${JSON.stringify(load.outcomes)})`);
  await server.child.stop(); // SIGTERM: the gateway exits cleanly and the profile is written
  const file = readdirSync(out).find((f) => f.endsWith(".md"));
  if (!file) throw new Error(`no profile written in ${out}`);
  const text = readFileSync(join(out, file), "utf8");
  console.log(`profile: ${join(out, file)}\n`);
  console.log(text.split("\n").slice(0, top).join("\n"));
} finally {
  await group.stopAll();
}
