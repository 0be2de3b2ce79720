/**
 * Boot: process settings → config → gateway → serve, and a graceful shutdown on SIGINT/SIGTERM.
 * `startGateway` is also what tests and benchmarks use to run a real gateway in-process (through
 * src/main.ts, the entry point, which imports this module only once it knows it will serve).
 */

import { AccountSecurity } from "./auth/account-security.ts";
import { AdminAuth } from "./auth/admin-auth.ts";
import { loadOrCreateSecret, SessionSigner, sharedSessionKey } from "./auth/sessions.ts";
import { SharedSetup } from "./auth/shared-setup.ts";
import type { AttemptLimiter } from "./auth/throttle.ts";
import { LiveConfig } from "./config/live.ts";
import { reloadsImportedModules } from "./config/module-cache.ts";
import {
  describeDatabaseUrl,
  type ProcessSettings,
  readProcessSettings,
  type SettingOverride,
  settingOverrides,
} from "./config/process-settings.ts";
import { SecretStore } from "./config-editor/secret-store.ts";
import { errorResponse } from "./error-response.ts";
import { Gateway, type GatewayOptions } from "./gateway.ts";
import { adminApi } from "./http/admin/admin-api.ts";
import { createHandler } from "./http/app.ts";
import { type RunningServer, serve } from "./http/serve.ts";
import { trustedProxies } from "./http/trusted-proxies.ts";
import { edgeRefusals } from "./http/v1-call.ts";
import { createLogger } from "./logger.ts";
import type { PipelineDeps } from "./pipeline/state.ts";
import type { Logger } from "./plugin/types.ts";
import { shutdownGraceMs, shutdownOnSignal } from "./shutdown.ts";
import { type Accounts, SqliteAccounts } from "./store/accounts.ts";
import { openStore } from "./store/db.ts";
import { guardAgainstDriverStrays } from "./store/pg/driver-strays.ts";
import { unavailable } from "./store/pg/pg-errors.ts";
import type { PgStore } from "./store/pg/pg-store.ts";

export interface StartOptions extends Partial<ProcessSettings> {
  configPath: string;
  /** Creates the `admin` account on first start (GATEWAY_ADMIN_PASSWORD) instead of the setup link. */
  adminPassword?: string;
  /** Replaces the login throttle (tests use small limits). */
  adminLimiter?: AttemptLimiter;
  projectRoot?: string;
  log?: Logger;
  /** Watch the config's files and hot-reload them (default true). */
  watch?: boolean;
  deps?: Partial<PipelineDeps>;
  /** Prefix of the Redis keys (default "smartroute:"; tests use one each). */
  redisPrefix?: string;
  /** Config settings the environment or a flag overrides, for the admin UI to say so. */
  overrides?: SettingOverride[];
  /** The log writer's bounds (tests use small ones). */
  writer?: GatewayOptions["writer"];
}

export interface RunningGateway {
  gateway: Gateway;
  server: RunningServer;
  /** The admin flows (with a data directory). */
  auth?: AdminAuth;
  /** First start without an admin: the one-time setup token (the banner prints its link). */
  setupToken?: string;
  /** Cluster mode: no admin yet, and the setup link in force was printed by another process. */
  setupElsewhere?: boolean;
  /** Problems of a GATEWAY_ADMIN_PASSWORD that was refused (the setup link is offered instead). */
  adminPasswordProblems?: string[];
  /** Base URL, e.g. http://127.0.0.1:6688 */
  url: string;
  stop(): Promise<void>;
}

export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const log = options.log ?? createLogger();
  const proxies = trustedProxies(options.trustedProxies); // a bad entry stops the start, before anything opens
  // Secrets typed in the admin UI live in the data dir; the config's env() references must see them.
  const secrets = options.dataDir ? new SecretStore(options.dataDir) : undefined;
  secrets?.load();
  const live = await LiveConfig.load({ path: options.configPath, projectRoot: options.projectRoot, log });
  if (options.watch !== false) live.watch();
  const store = options.dataDir ? openStore(options.dataDir, { log }) : undefined;
  // Imported only in cluster mode: a single process never loads the PostgreSQL driver. A database that
  // cannot be reached does not stop the start (rows queue, migrations run once it answers); one that
  // refuses (a wrong password, no such database) does.
  const pg = options.databaseUrl
    ? await (await import("./store/pg/pg-store.ts")).openPgStore(options.databaseUrl, { whenUnreachable: { log } })
    : undefined;
  // Imported only in cluster mode: a single process never loads the Redis client.
  const shared = options.redisUrl
    ? new (await import("./cluster/shared-state.ts")).SharedState({
        url: options.redisUrl,
        prefix: options.redisPrefix,
        whenDown: options.redisLimitsWhenDown,
        log,
      })
    : undefined;
  // A Redis that is down does not stop the start: the gateway serves degraded and reconnects.
  await shared?.connect();
  // The data directory's key (the admin sessions' too), read before the gateway records the config it runs.
  const dataKey = store && options.dataDir ? await loadOrCreateSecret(options.dataDir) : undefined;
  const gateway = new Gateway({ live, log, store, pg, deps: options.deps, shared, writer: options.writer, dataKey });
  // A cluster process serves once it has replayed what its siblings know (health, conversations).
  await Promise.all([
    gateway.sharedHealth?.replayed,
    gateway.sharedMemory?.replayed,
    gateway.healthRestored,
    gateway.sharedConfig?.ready,
    // The stored keys read (a database away: /v1 stays closed to stored keys until it answers).
    gateway.keys.ready.catch((error) => log.warn("API keys not read at start; retrying", { error: String(error) })),
  ]);
  const dataDir = options.dataDir;
  const makeAdmin = () =>
    adminParts(gateway, dataDir!, {
      adminPassword: options.adminPassword,
      limiter: options.adminLimiter,
      secrets,
      overrides: options.overrides,
      dataKey,
    });
  // A cluster whose PostgreSQL is away at start serves /v1 at once; its admin API answers 503 until then.
  const admin =
    !store || !dataDir ? undefined : pg && !pg.isReady() ? adminOnceReady(pg, makeAdmin, log) : await makeAdmin();
  const handle = createHandler(gateway, admin?.handle);
  const config = live.get();
  const server = serve(handle, {
    port: options.port ?? config.server.port,
    host: options.host ?? config.server.host,
    limits: () => live.get().limits,
    refused: edgeRefusals(gateway),
    trustedProxies: proxies,
  });
  return {
    gateway,
    server,
    auth: admin?.auth,
    setupToken: admin?.firstRun.setupToken,
    setupElsewhere: admin?.firstRun.setupElsewhere,
    adminPasswordProblems: admin?.firstRun.problems,
    url: server.url,
    async stop() {
      await server.stop(true);
      await gateway.close();
    },
  };
}

/**
 * The admin API's parts: accounts, sessions signed with the data dir's key, first-run setup. In cluster
 * mode the accounts and the session key are PostgreSQL's, shared by every replica.
 */
async function adminParts(
  gateway: Gateway,
  dataDir: string,
  options: {
    adminPassword?: string;
    limiter?: AttemptLimiter;
    secrets?: SecretStore;
    overrides?: SettingOverride[];
    /** The data directory's key, when already read. */
    dataKey?: Uint8Array;
  },
) {
  const pg = gateway.pg;
  const accounts: Accounts = pg
    ? new (await import("./store/pg/pg-accounts.ts")).PgAccounts(pg)
    : new SqliteAccounts(gateway.store!);
  const local = options.dataKey ?? (await loadOrCreateSecret(dataDir));
  const key = pg ? await sharedSessionKey(accounts, local, gateway.clock.now()) : local;
  const signer = new SessionSigner(key);
  const auth = new AdminAuth(accounts, signer, {
    limiter: options.limiter,
    sharedSetup: pg ? new SharedSetup(accounts) : undefined,
  });
  // A cluster's secrets typed in the admin UI are stored on every process (sealed with the shared key).
  if (pg && gateway.shared && options.secrets) {
    const { SharedSecrets } = await import("./cluster/shared-secrets.ts");
    await new SharedSecrets({
      shared: gateway.shared,
      settings: accounts,
      box: signer.box("shared secrets"),
      store: options.secrets,
      now: () => gateway.clock.now(),
      log: gateway.log,
      adopted: () => void gateway.sharedConfig?.retryRefused(),
    }).start();
  }
  const firstRun = await auth.prepareFirstRun(options.adminPassword, gateway.clock.now());
  const handle = adminApi({
    gateway,
    auth,
    security: new AccountSecurity(auth),
    secrets: options.secrets,
    overrides: options.overrides,
  });
  return { auth, firstRun, handle };
}

/**
 * The admin API of a cluster process whose PostgreSQL was away at start: a 503 saying so until the
 * database answers, then the real one (its first-run setup link, if any, logged then).
 */
function adminOnceReady(
  pg: PgStore,
  makeAdmin: () => ReturnType<typeof adminParts>,
  log: Logger,
): {
  handle: (request: Request) => Promise<Response>;
  auth?: AdminAuth;
  firstRun: { setupToken?: string; setupElsewhere?: boolean; problems?: string[] };
} {
  let real: ((request: Request) => Promise<Response>) | undefined;
  pg.ready
    .then(makeAdmin)
    .then((admin) => {
      real = admin.handle;
      if (admin.firstRun.setupToken)
        log.warn(
          `FIRST START: create the admin account at /setup#token=${admin.firstRun.setupToken} (valid for 1 hour, once)`,
        );
    })
    .catch((error) => log.error("the admin API could not start", { error: String(error) }));
  return {
    handle: (request) =>
      real ? real(request) : Promise.resolve(errorResponse(unavailable("not reachable since the gateway started"))),
    firstRun: {},
  };
}

function banner(running: RunningGateway, settings: ProcessSettings): string {
  const config = running.gateway.live.get();
  const providers = Object.entries(config.providers)
    .map(([id, p]) => `${id} (${p.mode})`)
    .join(", ");
  const lines = [
    `SmartRoute listening on ${running.url}`,
    `  OpenAI-compatible API: ${running.url}/v1`,
    `  config: ${settings.configPath} (hot reload on)`,
    ...(reloadsImportedModules()
      ? []
      : [
          "  note: on this runtime (Deno) hot reload re-reads the config file itself only: after editing a file it imports (your plugins), restart",
        ]),
    `  data:   ${settings.dataDir}`,
    ...(running.gateway.pg
      ? [
          `  request log: PostgreSQL ${describeDatabaseUrl(settings.databaseUrl ?? "")}${running.gateway.pg.isReady() ? "" : " (UNREACHABLE: rows queue until it answers)"}`,
        ]
      : []),
    ...(running.gateway.shared
      ? [
          `  shared: per-key limits through Redis${running.gateway.shared.degraded ? " (UNREACHABLE: degraded)" : ""}, limits ${running.gateway.shared.whenDown} when it is down`,
        ]
      : []),
    `  providers: ${providers}`,
    `  tiers: ${Object.values(config.tiers)
      .map((t) => `${t.name}=[${t.targets.map((x) => x.ref).join(", ")}]`)
      .join(" ")}`,
  ];
  if (Object.values(config.providers).some((p) => p.mode === "simulated")) {
    lines.push(
      "  note: simulated providers answer locally; set OPENAI_API_KEY (or another provider key) for real answers",
    );
  }
  if (running.setupToken) {
    lines.push(
      `  FIRST START: create the admin account at ${running.url}/setup#token=${running.setupToken} (valid for 1 hour, once)`,
    );
    if (running.adminPasswordProblems)
      lines.push(`  (GATEWAY_ADMIN_PASSWORD was refused: ${running.adminPasswordProblems.join(" ")})`);
  }
  if (running.setupElsewhere)
    lines.push(
      "  FIRST START: no admin yet; the setup link was printed by another process of this cluster (it works on every process, for 1 hour from then), or set GATEWAY_ADMIN_PASSWORD",
    );
  if (config.openAccess)
    lines.push("  note: auth.open is true: /v1 serves requests without a gateway API key, on purpose");
  else if (running.gateway.isOpen(config))
    lines.push("  WARNING: no gateway API key is configured: /v1 is open to anyone who can reach this port");
  return lines.join("\n");
}

/** `bun src/main.ts`: serve until SIGINT or SIGTERM. */
export async function main(): Promise<void> {
  const log = createLogger();
  const settings = readProcessSettings(process.env, process.argv.slice(2), process.cwd());
  if (settings.databaseUrl)
    guardAgainstDriverStrays(log, (error) => {
      console.error(error);
      process.exit(1);
    });
  let running: RunningGateway;
  try {
    // Project modules (the config and the plugins it imports) are what hot reload re-evaluates.
    const projectRoot = settings.configPath.startsWith(process.cwd()) ? process.cwd() : undefined;
    running = await startGateway({
      ...settings,
      projectRoot,
      log,
      adminPassword: process.env.GATEWAY_ADMIN_PASSWORD || undefined,
      overrides: settingOverrides(process.env, process.argv.slice(2)),
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  console.log(banner(running, settings));
  const { gateway, server } = running;
  const shutdown = shutdownOnSignal({
    log,
    graceMs: shutdownGraceMs(process.env, log),
    exit: (code) => process.exit(code),
    target: {
      stopServer: (force) => {
        gateway.live.close(); // no reload while stopping
        return server.stop(force);
      },
      endInFlight: (reason) => gateway.endInFlight(reason),
      close: () => gateway.close(), // writes every queued log row before exit
    },
  });
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}
