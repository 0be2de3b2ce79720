/**
 * Process settings (DESIGN §6, a contract): environment variables, overridable by CLI flags.
 *   GATEWAY_CONFIG   --config     config path (default ./gateway.config.ts)
 *   GATEWAY_PORT     --port       overrides server.port
 *   GATEWAY_HOST     --host       overrides server.host
 *   GATEWAY_DATA_DIR --data-dir   SQLite and other state (default ./data)
 *   GATEWAY_REDIS_URL --redis-url  redis://… : share per-key limits (rate, in flight, budgets) with the other
 *                                  processes on the same Redis (cluster mode); unset: all state in process
 *   GATEWAY_REDIS_LIMITS_WHEN_DOWN closed (default) | open: with Redis unreachable, a key with limits is
 *                                  refused (503) or served on this process's own counters
 *   GATEWAY_DATABASE_URL --database-url postgres://… : keep the request log, accounts, sessions and keys in PostgreSQL,
 *                                  shared with the other processes (cluster mode); unset: SQLite only
 *   GATEWAY_REDIS_PREFIX           put before every Redis key and channel (default smartroute:): two
 *                                  clusters can share one Redis
 *   GATEWAY_TRUSTED_PROXIES --trusted-proxies 10.0.0.0/8,… : load balancers whose X-Forwarded-For names
 *                                  the client (src/http/trusted-proxies.ts); unset: the socket's address
 */
import { resolve } from "node:path";

export interface ProcessSettings {
  configPath: string;
  port?: number;
  host?: string;
  dataDir: string;
  redisUrl?: string;
  /** postgres://… (cluster mode): the request log and its rollups in PostgreSQL (src/store/pg). */
  databaseUrl?: string;
  /** Prefix of every Redis key and channel (default `smartroute:`). */
  redisPrefix?: string;
  /** What per-key limits do while Redis is unreachable (see src/cluster/shared-state.ts). */
  redisLimitsWhenDown?: "closed" | "open";
  /** Load balancers whose X-Forwarded-For is believed: addresses and CIDR ranges, comma-separated. */
  trustedProxies?: string;
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return argv[i].includes("=") ? argv[i].slice(argv[i].indexOf("=") + 1) : argv[i + 1];
}

function portFrom(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${source} must be a port number (0-65535), got "${value}"`);
  return port;
}

function whenDown(value: string | undefined): "closed" | "open" | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "closed" || value === "open") return value;
  throw new Error(`GATEWAY_REDIS_LIMITS_WHEN_DOWN must be "closed" or "open", got "${value}"`);
}

/** The URL without its password, for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable database URL)";
  }
}

function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^postgres(ql)?:\/\//.test(value))
    throw new Error("GATEWAY_DATABASE_URL (--database-url) must start with postgres:// or postgresql://");
  return value;
}

export function readProcessSettings(
  env: Record<string, string | undefined>,
  argv: string[],
  cwd: string,
): ProcessSettings {
  return {
    configPath: resolve(cwd, flag(argv, "config") ?? env.GATEWAY_CONFIG ?? "gateway.config.ts"),
    port: portFrom(flag(argv, "port"), "--port") ?? portFrom(env.GATEWAY_PORT, "GATEWAY_PORT"),
    host: flag(argv, "host") ?? (env.GATEWAY_HOST || undefined),
    dataDir: resolve(cwd, flag(argv, "data-dir") ?? env.GATEWAY_DATA_DIR ?? "data"),
    redisUrl: flag(argv, "redis-url") ?? (env.GATEWAY_REDIS_URL || undefined),
    redisLimitsWhenDown: whenDown(env.GATEWAY_REDIS_LIMITS_WHEN_DOWN),
    databaseUrl: databaseUrl(flag(argv, "database-url") ?? (env.GATEWAY_DATABASE_URL || undefined)),
    redisPrefix: env.GATEWAY_REDIS_PREFIX || undefined,
    trustedProxies: flag(argv, "trusted-proxies") ?? (env.GATEWAY_TRUSTED_PROXIES || undefined),
  };
}

/** A config setting the process runs with another value of: `server.port` by `GATEWAY_PORT` = "7001". */
export interface SettingOverride {
  path: string;
  by: string;
  value: string;
}

/**
 * The config settings the environment or a flag overrides (a flag wins, as in readProcessSettings), so
 * the admin UI can say that `server.port: 6688` is not the port the process listens on.
 */
export function settingOverrides(env: Record<string, string | undefined>, argv: string[]): SettingOverride[] {
  const found: SettingOverride[] = [];
  for (const [path, name, variable] of [
    ["server.port", "port", "GATEWAY_PORT"],
    ["server.host", "host", "GATEWAY_HOST"],
  ] as const) {
    const fromFlag = flag(argv, name);
    if (fromFlag !== undefined && fromFlag !== "") found.push({ path, by: `--${name}`, value: fromFlag });
    else if (env[variable]) found.push({ path, by: variable, value: env[variable] });
  }
  return found;
}
