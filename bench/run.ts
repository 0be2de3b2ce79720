/**
 * Benchmark runner: `npm run bench` runs every scenario; `npm run bench -- streaming memory` runs some;
 * `npm run bench -- --help` lists them and their flags. Each scenario prints its tables, writes
 * bench/results/<scenario>.json, and bench/results/latest.md is rebuilt from all results present.
 *
 * Everything runs on 127.0.0.1. Each scenario starts its own processes (load generator, servers) and
 * they are stopped when it ends, fails, or the runner is interrupted.
 */
import { ProcessGroup } from "./lib/proc.ts";
import { type Check, machine, machineLine, printResult, writeLatestMarkdown, writeResult } from "./lib/report.ts";
import { Flags, type Scenario } from "./lib/scenario.ts";
import { breakdown } from "./scenarios/breakdown.ts";
import { cluster } from "./scenarios/cluster.ts";
import { memory } from "./scenarios/memory.ts";
import { overhead } from "./scenarios/overhead.ts";
import { soak } from "./scenarios/soak.ts";
import { streaming } from "./scenarios/streaming.ts";
import { throughput } from "./scenarios/throughput.ts";

/** The default suite, in this order. */
const SCENARIOS: Scenario[] = [throughput, overhead, streaming, memory, soak, cluster];
/** Run only when named (diagnostics). */
const OPT_IN: Scenario[] = [breakdown];
const ORDER = [...SCENARIOS, ...OPT_IN].map((s) => s.name);

function help(): void {
  console.log("usage: npm run bench -- [scenario ...] [--flag value ...]   (no scenario: all)\n");
  for (const s of [...SCENARIOS, ...OPT_IN]) console.log(`  ${s.name.padEnd(11)} ${s.help}`);
  console.log(
    "\nResults: bench/results/<scenario>.json and bench/results/latest.md. --strict: exit 1 when a target is missed.",
  );
}

const { names, flags } = Flags.parse(process.argv.slice(2));
if (flags.has("help")) {
  help();
  process.exit(0);
}
const unknown = names.filter((n) => !ORDER.includes(n));
if (unknown.length > 0) {
  console.error(`unknown scenario: ${unknown.join(", ")}`);
  help();
  process.exit(2);
}
const selected = names.length > 0 ? [...SCENARIOS, ...OPT_IN].filter((s) => names.includes(s.name)) : SCENARIOS;

let current: ProcessGroup | undefined;
const interrupt = async (signal: string) => {
  console.error(`\n${signal}: stopping benchmark processes`);
  await current?.stopAll();
  process.exit(130);
};
process.on("SIGINT", () => void interrupt("SIGINT"));
process.on("SIGTERM", () => void interrupt("SIGTERM"));

const here = machine();
console.log(`# SmartRoute benchmarks (revision ${here.revision})\n\n${machineLine(here)}. All traffic on 127.0.0.1.`);
const missed: Check[] = [];
let crashed = 0;
for (const scenario of selected) {
  const group = new ProcessGroup();
  current = group;
  const started = performance.now();
  console.error(`\n[${scenario.name}] starting`);
  try {
    const result = await scenario.run({ flags, group, log: (m) => console.error(m) });
    printResult(result);
    writeResult(result);
    missed.push(...result.checks.filter((c) => !c.pass).map((c) => ({ ...c, name: `${scenario.name}: ${c.name}` })));
  } catch (error) {
    crashed++;
    console.error(
      `[${scenario.name}] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    await group.stopAll();
    current = undefined;
    console.error(`[${scenario.name}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

const latest = writeLatestMarkdown(ORDER);
console.log(`\nWrote ${latest}`);
if (missed.length > 0)
  console.log(`Targets missed: ${missed.map((c) => `${c.name} (${c.measured}; target ${c.target})`).join("; ")}`);
else if (crashed === 0) console.log("All targets met.");
process.exit(crashed > 0 || (flags.has("strict") && missed.length > 0) ? 1 : 0);
