/** The Prometheus metrics as a built-in observer plugin: every finished request is counted. */
import { definePlugin } from "../plugin/define.ts";
import type { Plugin } from "../plugin/types.ts";
import type { GatewayMetrics } from "./gateway-metrics.ts";

export function metricsObserver(metrics: GatewayMetrics): Plugin {
  return definePlugin({
    name: "builtin:metrics",
    onComplete: (summary) => metrics.observe(summary),
  });
}
