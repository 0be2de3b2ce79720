import { expect, test } from "bun:test";
import type { Plugin, PluginBase, Provider } from "../../src/index.ts";

/** The hooks the config's hook lists call (classify, judge, onComplete, ...): not on a provider. */
type HookKey = Exclude<keyof Plugin, keyof PluginBase>;

test("a provider's type has name, options, schema and provider methods, and none of the hooks it never gets (checked by tsc)", () => {
  const leaked: [Extract<keyof Provider, HookKey>] extends [never] ? "none" : Extract<keyof Provider, HookKey> = "none";
  const provider: Provider<{ latencyMs: number }> = {
    name: "local:p",
    options: { latencyMs: 1 },
    kind: "provider",
    mode: "simulated",
    buildRequest: () => ({ url: "http://localhost/", headers: {}, body: "" }),
  };
  // @ts-expect-error: the gateway never calls classify on a provider, so its type does not offer it
  const classify = provider.classify;
  expect([leaked, classify]).toEqual(["none", undefined]);
});
