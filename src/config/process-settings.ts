/**
 * Process settings (DESIGN §6, a contract): environment variables, overridable by CLI flags.
 *   GATEWAY_CONFIG   --config     config path (default ./gateway.config.ts)
 *   GATEWAY_PORT     --port       overrides server.port
 *   GATEWAY_HOST     --host       overrides server.host
 *   GATEWAY_DATA_DIR --data-dir   SQLite and other state (default ./data)
 */
import { resolve } from "node:path";

export interface ProcessSettings {
  configPath: string;
  port?: number;
  host?: string;
  dataDir: string;
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
  };
}
