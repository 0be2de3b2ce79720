/** The `sequential` strategy: the tier's models in the order the config lists them. */
import { definePlugin, type Strategy } from "../../src/index.ts";

export function sequentialStrategy(): Strategy {
  return definePlugin({ name: "builtin:sequential", orderTargets: (targets) => targets });
}
