/**
 * The "Add provider" edit: `{ $call }` values written as a factory call in the file's own style, the
 * factory imported when missing (added to the plugins/index.ts import, or a new import line beside
 * src/index.ts's), env() brought in for the key, and every other byte as it was.
 */
import { describe, expect, test } from "bun:test";
import { providerKind, providerValue } from "../../src/config-editor/provider-kinds.ts";
import { applyEdits } from "../../src/config-editor/source-edit.ts";

const openai = providerKind("openai")!;
const anthropic = providerKind("anthropic")!;

function edited(source: string, name: string, value = providerValue(openai, "https://x.test/v1", "X_KEY")): string {
  const result = applyEdits(source, [{ op: "insert", path: "providers", key: name, value }]);
  if ("errors" in result) throw new Error(JSON.stringify(result.errors));
  return result.source;
}

describe("adding a provider", () => {
  test("uses the factory already imported and adds env to the src/index.ts import", () => {
    const source = `import { defineConfig } from "./src/index.ts";
import { openai } from "./plugins/index.ts";

export default defineConfig({
  providers: {
    a: openai({ baseURL: "https://a.test/v1" }),
  },
});
`;
    expect(edited(source, "x")).toBe(`import { defineConfig, env } from "./src/index.ts";
import { openai } from "./plugins/index.ts";

export default defineConfig({
  providers: {
    a: openai({ baseURL: "https://a.test/v1" }),
    x: openai({ baseURL: "https://x.test/v1", apiKey: env("X_KEY") }),
  },
});
`);
  });

  test("adds a missing factory to the plugins/index.ts import", () => {
    const source = `import { defineConfig, env } from "./src/index.ts";
import { openai } from "./plugins/index.ts";
export default defineConfig({ providers: { a: openai({ baseURL: "https://a.test/v1" }) } });
`;
    const out = edited(source, "claude", providerValue(anthropic, "https://api.anthropic.com/v1", "C_KEY"));
    expect(out).toContain(`import { openai, anthropic } from "./plugins/index.ts";`);
    expect(out).toContain(`claude: anthropic({ baseURL: "https://api.anthropic.com/v1", apiKey: env("C_KEY") }) } });`);
  });

  test("a multi-line import gets the factory on a line of its own", () => {
    const source = `import {
  openai,
  simulated,
} from "./plugins/index.ts";
import { defineConfig, env } from "./src/index.ts";
export default defineConfig({ providers: { a: openai({ baseURL: "u" }) } });
`;
    const out = edited(source, "claude", providerValue(anthropic, "https://api.anthropic.com/v1", "C_KEY"));
    expect(
      out.startsWith(`import {
  openai,
  simulated,
  anthropic,
} from "./plugins/index.ts";
`),
    ).toBe(true);
  });

  test("writes a new import line, beside src/index.ts's path and in the file's quote style", () => {
    const source = `import { defineConfig } from '../../src/index.ts';
export default defineConfig({ providers: { a: 1 } });
`;
    const out = edited(source, "x", providerValue(openai, "https://x.test/v1"));
    expect(out).toBe(`import { defineConfig } from '../../src/index.ts';
import { openai } from '../../plugins/index.ts';
export default defineConfig({ providers: { a: 1, x: openai({ baseURL: 'https://x.test/v1' }) } });
`);
  });

  test("a renamed import is called by its local name; a namespace import by its member", () => {
    const renamed = `import { defineConfig, env } from "./src/index.ts";
import { openai as oa } from "./plugins/index.ts";
export default defineConfig({ providers: {} });
`;
    expect(edited(renamed, "x", providerValue(openai, "u"))).toContain(`providers: { x: oa({ baseURL: "u" }) }`);
    const namespace = `import { defineConfig } from "./src/index.ts";
import * as P from "./plugins/index.ts";
export default defineConfig({ providers: {} });
`;
    expect(edited(namespace, "x", providerValue(openai, "u"))).toContain(
      `providers: { x: P.openai({ baseURL: "u" }) }`,
    );
  });

  test("a $call that is not a factory name is refused", () => {
    const result = applyEdits(
      `import { defineConfig } from "./src/index.ts";\nexport default defineConfig({ providers: {} });\n`,
      [{ op: "insert", path: "providers", key: "x", value: { $call: "process.exit", args: [] } }],
    );
    expect("errors" in result && result.errors[0].message).toContain("takes a factory name");
  });
});
