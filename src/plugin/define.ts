import { Value } from "@sinclair/typebox/value";
import type { Plugin } from "./types.ts";

/**
 * Declares a plugin. Returns it unchanged (typed), after checking its name and, when it carries a
 * `schema`, that its `options` satisfy it: a factory called with bad options fails at config load with
 * a message naming the option, not at the first request.
 */
export function definePlugin<P extends Plugin<unknown>>(plugin: P): P {
  if (!plugin || typeof plugin.name !== "string" || plugin.name.length === 0) {
    throw new TypeError('definePlugin: a plugin needs a non-empty `name`, e.g. "local:my-plugin"');
  }
  if (plugin.schema && !Value.Check(plugin.schema, plugin.options)) {
    const first = Value.Errors(plugin.schema, plugin.options).First();
    const where = (first?.path ?? "")
      .split("/")
      .slice(1)
      .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
      .join("");
    throw new TypeError(`plugin ${plugin.name}: option ${where || "options"}: ${first?.message ?? "invalid"}`);
  }
  return plugin;
}
