/**
 * The request log as a built-in observer plugin: every finished request becomes a row, written off the
 * request path by the log writer. One instance per config (the row is priced and redacted by it).
 */
import type { ResolvedConfig } from "../config/types.ts";
import { definePlugin } from "../plugin/define.ts";
import type { Plugin } from "../plugin/types.ts";
import type { LogWriter } from "./log-writer.ts";

export function requestLogObserver(writer: LogWriter, config: ResolvedConfig): Plugin {
  return definePlugin({
    name: "builtin:request-log",
    onComplete: (summary) => writer.enqueue(summary, config),
  });
}
