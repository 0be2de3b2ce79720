/**
 * The process logger: one line per event on stderr, `level message {data}`. Quiet in tests unless
 * GATEWAY_LOG_LEVEL asks for more. Callers never pass secrets in `data`.
 */
import type { Logger } from "./plugin/types.ts";

const LEVELS = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;
type Level = keyof typeof LEVELS;

export function createLogger(level: Level = (process.env.GATEWAY_LOG_LEVEL as Level) ?? "info"): Logger {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const write = (name: Level) => (message: string, data?: Record<string, unknown>) => {
    if (LEVELS[name] < threshold) return;
    const line = `${new Date().toISOString()} ${name.padEnd(5)} ${message}${data && Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : ""}`;
    console.error(line);
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}
