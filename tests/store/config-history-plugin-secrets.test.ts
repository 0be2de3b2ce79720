/**
 * The config history masks what a plugin's own schema marks secret (a description that says "masked"),
 * not only values with secret-like names or shapes: the history masks with the running config.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, ROOT, startHarness } from "../helpers/gateway-harness.ts";

const VALUE = "plainvalue42"; // neither its name (`sig`) nor its shape looks like a secret
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    files: {
      "signer.ts": `import { definePlugin, Type } from "${ROOT}/src/index.ts";
const Options = Type.Object({ sig: Type.String({ description: "the signing value, shown masked" }) });
export function signer(options: typeof Options.static) {
  return definePlugin({ name: "local:signer", options, schema: Options, onComplete() {} });
}
`,
    },
    imports: `import { signer } from "./signer.ts";`,
    config: () => `  tiers: { t1: { models: ["a/m"] } },
  plugins: [signer({ sig: "${VALUE}" })],`,
  });
});
afterAll(() => h.stop());

test("a value a plugin schema marks as masked is not stored in the history", () => {
  const latest = h.running.gateway.history!.latest()!;
  expect(latest.source).toContain("signer({ sig:");
  expect(latest.source).not.toContain(VALUE);
});
