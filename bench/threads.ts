/**
 * Where the server's CPU per request goes by thread: the bare proxy and the gateway under the same load,
 * CPU time of each of their threads (from /proc/<pid>/task) divided by the requests served. Tells the
 * main JS thread (what an in-process benchmark measures) from the log writer, the garbage collector's
 * helpers and Bun's own threads, which a JS profiler does not show.
 *
 *   bun bench/threads.ts [--seconds 5] [--connections 1,32] [--rounds 2] [--detail] [--gateway-only]
 *                        [--before DIR]   (DIR: another checkout, e.g. `git archive HEAD~1`, run side by side)
 *
 * Not part of `npm run bench`: a diagnostic, like bench/profile.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { throughputRun } from "./lib/measure.ts";
import { ProcessGroup } from "./lib/proc.ts";
import { Flags } from "./lib/scenario.ts";
import { type Server, startBareProxy, startGateway, startMock } from "./lib/servers.ts";
import { gatewayTarget, type Target, upstreamTarget } from "./lib/targets.ts";

const TICKS_PER_SECOND = 100;

/** CPU seconds (user, system) of each thread of `pid`, summed by thread name. */
function threadSeconds(pid: number): Map<string, { user: number; system: number }> {
  const byName = new Map<string, { user: number; system: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/[0-9]+$/, "#");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const sum = byName.get(name) ?? { user: 0, system: 0 };
    sum.user += Number(fields[11]) / TICKS_PER_SECOND;
    sum.system += Number(fields[12]) / TICKS_PER_SECOND;
    byName.set(name, sum);
  }
  return byName;
}

/** µs per request by thread name over one throughput run, and the run's req/s. */
async function perThread(group: ProcessGroup, target: Target, mock: Server, connections: number, seconds: number) {
  const before = threadSeconds(target.server.pid);
  const run = await throughputRun(group, target, mock, connections, seconds, 0);
  const after = threadSeconds(target.server.pid);
  const us = new Map<string, { user: number; system: number }>();
  for (const [name, end] of after) {
    const start = before.get(name) ?? { user: 0, system: 0 };
    const per = (a: number, b: number) => ((a - b) / run.load.requests) * 1e6;
    us.set(name, { user: per(end.user, start.user), system: per(end.system, start.system) });
  }
  return { rps: run.load.rps, us };
}

const sum = (us: Map<string, { user: number; system: number }>) =>
  [...us.values()].reduce((total, t) => total + t.user + t.system, 0);

const { flags } = Flags.parse(process.argv.slice(2));
const seconds = flags.num("seconds", 5);
const levels = flags.nums("connections", [1, 32]);
const rounds = flags.num("rounds", 2);
const beforeDir = flags.has("before") ? flags.words("before", [])[0] : undefined;
const group = new ProcessGroup();
try {
  const mock = await startMock(group);
  const targets = [gatewayTarget(await startGateway(group, mock))];
  if (beforeDir)
    targets.push(gatewayTarget(await startGateway(group, mock, { cwd: beforeDir, name: "before" }), "before"));
  if (!flags.has("gateway-only")) targets.unshift(upstreamTarget("bare proxy", await startBareProxy(group, mock)));
  for (const target of targets) await throughputRun(group, target, mock, 32, 2, 0); // warm-up, JIT
  for (const connections of levels) {
    for (let round = 1; round <= rounds; round++) {
      for (const target of targets) {
        const { rps, us } = await perThread(group, target, mock, connections, seconds);
        const main = us.get("bun.exe") ?? us.get("bun") ?? { user: 0, system: 0 };
        console.log(
          `c=${connections} round ${round} ${target.name.padEnd(10)} ${String(rps).padStart(6)} req/s  all threads ${sum(us).toFixed(0).padStart(4)} µs/req  main ${(main.user + main.system).toFixed(0).padStart(4)}`,
        );
        if (flags.has("detail"))
          for (const [name, t] of us)
            if (t.user + t.system >= 1)
              console.log(
                `    ${name.padEnd(18)} user ${t.user.toFixed(0).padStart(4)} µs  sys ${t.system.toFixed(0).padStart(4)} µs`,
              );
      }
    }
  }
} finally {
  await group.stopAll();
}
