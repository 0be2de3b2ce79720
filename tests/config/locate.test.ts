import { describe, expect, test } from "bun:test";
import { locatePath } from "../../src/config/locate.ts";

/** 1-based line of the only line of `source` containing `marker` (the line a path should point at). */
function lineOf(source: string, marker: string): number {
  const lines = source.split("\n");
  const hits = lines.flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker ${JSON.stringify(marker)} found on ${hits.length} lines`);
  return hits[0];
}

/** A config body shaped like a user's, used inside the different export forms below. */
const BODY = `{
    server: { port: 6688 },
    providers: {
      openai: openai({
        baseURL: "https://api.openai.com/v1",
        apiKey: env("OPENAI_API_KEY"),
      }),
    },
    tiers: {
      t1: {
        models: [
          "deepseek/deepseek-chat",
          { model: "openai/gpt-4o-mini", weight: 0.5 },
        ],
      },
      t2: { models: ["openai/gpt-4.1"] },
    },
    classifiers: [
      keywordClassifier({
        rules: [
          { tier: "t3", match: ["prove that"] },
          { tier: "t2", match: ["SQL"] },
        ],
      }),
    ],
    timeouts: {
      connectMs: 10_000,
      idleMs: 30_000,
    },
  }`;

const IMPORTS = `import { defineConfig, env } from "./src/index.ts";
import { openai, keywordClassifier } from "./plugins/index.ts";
`;

const objectExport = `${IMPORTS}
export default defineConfig(${BODY});
`;

const functionExport = `${IMPORTS}
export default defineConfig(({ env, mode }) => (${BODY}));
`;

const blockFunctionExport = `${IMPORTS}
export default defineConfig(({ mode }) => {
  const debug = mode !== "production";
  return ${BODY};
});
`;

const constExport = `${IMPORTS}
const config = ${BODY};

export default config;
`;

const satisfiesExport = `${IMPORTS}
import type { GatewayConfigInput } from "./src/index.ts";
const config = ${BODY} satisfies GatewayConfigInput;
export default defineConfig(config);
`;

describe("locatePath", () => {
  const forms = {
    "defineConfig({...})": objectExport,
    "defineConfig(({ env }) => ({...}))": functionExport,
    "const config = {...}; export default config": constExport,
  };

  for (const [form, source] of Object.entries(forms)) {
    describe(`through ${form}`, () => {
      test("an array element: tiers.t1.models[1]", () => {
        expect(locatePath(source, "tiers.t1.models[1]")).toBe(lineOf(source, '{ model: "openai/gpt-4o-mini"'));
      });

      test("the first array element: tiers.t1.models[0]", () => {
        expect(locatePath(source, "tiers.t1.models[0]")).toBe(lineOf(source, '"deepseek/deepseek-chat"'));
      });

      test("a field inside a factory call's argument: providers.openai.options.baseURL", () => {
        expect(locatePath(source, "providers.openai.options.baseURL")).toBe(lineOf(source, "baseURL:"));
      });

      test("a plain nested field: timeouts.idleMs", () => {
        expect(locatePath(source, "timeouts.idleMs")).toBe(lineOf(source, "idleMs:"));
      });

      test("deep in a plugin's options: classifiers[0].options.rules[1]", () => {
        expect(locatePath(source, "classifiers[0].options.rules[1]")).toBe(
          lineOf(source, '{ tier: "t2", match: ["SQL"] }'),
        );
      });

      test("a field of an object inside an array: tiers.t1.models[1].weight", () => {
        expect(locatePath(source, "tiers.t1.models[1].weight")).toBe(lineOf(source, "weight: 0.5"));
      });
    });
  }

  test("through a function with a block body and a return", () => {
    expect(locatePath(blockFunctionExport, "timeouts.idleMs")).toBe(lineOf(blockFunctionExport, "idleMs:"));
  });

  test("through defineConfig(config) with `satisfies`", () => {
    expect(locatePath(satisfiesExport, "tiers.t2.models[0]")).toBe(
      lineOf(satisfiesExport, 't2: { models: ["openai/gpt-4.1"] }'),
    );
  });

  test("a key that does not exist gives the line of the deepest part found", () => {
    expect(locatePath(objectExport, "timeouts.firstTokenMs")).toBe(lineOf(objectExport, "timeouts: {"));
  });

  test("an index past the end of an array gives the array's line", () => {
    expect(locatePath(objectExport, "tiers.t2.models[5]")).toBe(lineOf(objectExport, "t2: { models:"));
  });

  test("a path leaving literal code (a variable) gives the deepest line found", () => {
    const source = `${IMPORTS}
const fast = ["deepseek/deepseek-chat"];
export default defineConfig({
  tiers: {
    t1: {
      models: fast,
    },
  },
});
`;
    expect(locatePath(source, "tiers.t1.models[0]")).toBe(lineOf(source, "models: fast"));
  });

  test("a path into a property only a spread provides gives the deepest line found", () => {
    const source = `${IMPORTS}
const extra = { openai: openai({ baseURL: "x" }) };
export default defineConfig({
  providers: {
    ...extra,
  },
});
`;
    expect(locatePath(source, "providers.openai.options.baseURL")).toBe(lineOf(source, "providers: {"));
  });

  // BUG (src/config/locate.ts, step): array indexes are taken from the AST elements even after a
  // spread, whose length is only known at run time, so `models[1]` below points at "sim/small" although
  // the element at index 1 is whatever `live` holds (the shipped gateway.config.ts spreads like this).
  // Suggested: when a SpreadElement comes at or before the index, stop and keep the array's line.
  test("an index after a spread element gives the array's line (the element cannot be known)", () => {
    const source = `${IMPORTS}
const live = process.env.OPENAI_API_KEY ? ["openai/gpt-4o-mini"] : [];
export default defineConfig({
  tiers: {
    t1: {
      models: [
        ...live,
        "sim/small",
        "sim/medium",
      ],
    },
  },
});
`;
    expect(locatePath(source, "tiers.t1.models[1]")).toBe(lineOf(source, "models: ["));
  });

  test("quoted keys are found", () => {
    const source = `export default defineConfig({
  routing: {
    aliases: {
      "gpt-4": "azure/gpt-4",
    },
  },
});
`;
    expect(locatePath(source, "routing.aliases.gpt-4")).toBe(lineOf(source, '"gpt-4":'));
  });

  test("the empty path gives the config object's line", () => {
    expect(locatePath(constExport, "")).toBe(lineOf(constExport, "const config = {"));
  });

  test("unparsable source gives undefined", () => {
    expect(locatePath("export default defineConfig({ tiers: {", "tiers")).toBeUndefined();
  });

  test("a file without a default export gives undefined", () => {
    expect(locatePath("export const config = { tiers: {} };\n", "tiers")).toBeUndefined();
  });
});
