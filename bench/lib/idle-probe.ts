/**
 * A gateway started in-process as src/main.ts starts it (startGateway, the config and data directory
 * from the environment), idle, then after a few requests: which packages it has loaded and what its
 * JS heap holds. Run by bench/lib/idle-parts.ts; prints a report and exits.
 */
import { heapStats } from "bun:jsc";
import { startGateway } from "../../src/main.ts";
import { BENCH_API_KEY, chatBody } from "./models.ts";
import { ROOT } from "./proc.ts";

const MB = 2 ** 20;

/** Loaded modules by package (node_modules) or by top-level folder of the project, with their source size. */
function loadedModules(): Map<string, { files: number; bytes: number }> {
  const byPart = new Map<string, { files: number; bytes: number }>();
  for (const path of Object.keys(require.cache)) {
    const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    const part =
      inModules ??
      (path.startsWith(ROOT)
        ? path
            .slice(ROOT.length + 1)
            .split("/")
            .slice(0, 2)
            .join("/")
        : path);
    const entry = byPart.get(part) ?? { files: 0, bytes: 0 };
    entry.files++;
    entry.bytes += Bun.file(path).size;
    byPart.set(part, entry);
  }
  return byPart;
}

function heapLine(when: string): string {
  const h = heapStats();
  const rss = process.memoryUsage().rss / MB;
  return `${when}: RSS ${rss.toFixed(1)} MB, JS heap ${(h.heapSize / MB).toFixed(1)} MB (+${(h.extraMemorySize / MB).toFixed(1)} MB outside it), ${h.objectCount} objects`;
}

const running = await startGateway({
  configPath: process.env.PROBE_CONFIG!,
  dataDir: process.env.GATEWAY_DATA_DIR!,
  port: Number(process.env.PROBE_PORT),
  host: "127.0.0.1",
  projectRoot: ROOT,
  watch: true,
});
await Bun.sleep(1000);
const lines = [heapLine("in-process gateway, idle")];
const modules = [...loadedModules()].sort((a, b) => b[1].bytes - a[1].bytes);
lines.push(
  `Loaded at idle: ${modules.length} packages/folders, the largest by source size:`,
  ...modules.slice(0, 12).map(([part, m]) => `  ${part}: ${m.files} files, ${(m.bytes / 1024).toFixed(0)} KB`),
);
for (const name of ["@babel/parser", "@pydantic/genai-prices"])
  lines.push(`  ${name} loaded: ${modules.some(([part]) => part === name) ? "yes" : "no"}`);
const idleModuleFiles = Object.keys(require.cache);
for (let i = 0; i < 20; i++) {
  const response = await fetch(`${running.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` },
    body: chatBody("auto", i % 2 === 1),
  });
  await response.text();
}
await Bun.sleep(1000);
lines.push(heapLine("after 20 requests"));
const types = Object.entries(heapStats().objectTypeCounts)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 10);
lines.push(`Most numerous heap objects: ${types.map(([type, count]) => `${type} ${count}`).join(", ")}`);
const idleFiles = new Set(idleModuleFiles);
const loadedByRequests = Object.keys(require.cache).filter((path) => !idleFiles.has(path));
lines.push(
  `Loaded by the requests: ${loadedByRequests.map((path) => path.replace(`${ROOT}/`, "")).join(", ") || "nothing"}`,
);
console.log(lines.join("\n"));
await running.stop();
process.exit(0);
