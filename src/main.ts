/**
 * The entry point (`bun src/main.ts`, `deno run … src/main.ts`): relaunches itself when Bun's fetch
 * limit needs raising, then boots the gateway (src/start-gateway.ts). It imports nothing of the gateway
 * before it knows it will serve: the launching process of a relaunch holds no copy of it.
 * `startGateway` is also what tests and benchmarks use to run a real gateway in-process.
 */
import { RUNTIME_DEFAULTS } from "./runtime-defaults.ts";
import type { RunningGateway, StartOptions } from "./start-gateway.ts";

export type { RunningGateway, StartOptions } from "./start-gateway.ts";

export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  return (await import("./start-gateway.ts")).startGateway(options);
}

/**
 * Without BUN_CONFIG_MAX_HTTP_REQUESTS (see `runtime-defaults.ts`) the gateway runs itself again with the
 * runtime defaults set, passing signals on, and exits as it does.
 */
async function relaunchWithUpstreamConcurrency(): Promise<boolean> {
  if (typeof Bun === "undefined" || process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) return false;
  const child = Bun.spawn([process.execPath, ...process.argv.slice(1)], {
    env: { ...RUNTIME_DEFAULTS, ...process.env, [SUPERVISOR_PID]: String(process.pid) },
    stdio: ["inherit", "inherit", "inherit"],
  });
  // Every signal is passed on: one sent to this process alone (a supervisor's `kill PID`) must reach the
  // child. One sent to the group (Ctrl-C, systemd) reaches the child twice; it takes that as one stop.
  process.on("SIGINT", () => child.kill("SIGINT"));
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  process.exit(await child.exited);
}

/** Set in the relaunched child: the process that launched it, whose death it must not outlive. */
const SUPERVISOR_PID = "SMARTROUTE_SUPERVISOR_PID";

/**
 * A SIGKILL of the launching process (what a supervisor or an operator's `kill -9` sends) cannot be passed
 * on, and the child would serve on as an orphan holding the port. It checks its parent twice a second and
 * ends as abruptly once the parent is gone.
 */
function endWithSupervisor(): void {
  const supervisor = Number(process.env[SUPERVISOR_PID]);
  if (!supervisor) return;
  setInterval(() => {
    if (process.ppid !== supervisor) process.exit(137);
  }, 500).unref();
}

if (import.meta.main && !(await relaunchWithUpstreamConcurrency())) {
  endWithSupervisor();
  await (await import("./start-gateway.ts")).main();
}
