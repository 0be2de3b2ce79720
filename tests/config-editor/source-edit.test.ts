/** Surgical edits of gateway.config.ts: only the edited span changes, every other byte stays. */
import { describe, expect, test } from "bun:test";
import { applyEdits, type Edit, type JsonValue } from "../../src/config-editor/source-edit.ts";
import { configTree, type TreeNode } from "../../src/config-editor/source-tree.ts";

const SOURCE = `// Edited by hand and by the admin UI.
import { defineConfig } from "./src/index.ts";
import { openai, simulated } from "./plugins/index.ts";

const hasOpenAI = Boolean(process.env.OPENAI_API_KEY);

export default defineConfig({
  server: { port: 6688 }, // the default port
  providers: {
    sim: simulated({ latencyMs: 150 }),
    ...(hasOpenAI ? { openai: openai({ baseURL: "https://api.openai.com/v1" }) } : {}),
  },
  tiers: {
    /* cheap */
    t1: { models: ["sim/a", "sim/b", "sim/c"], strategy: "random" },
    t2: {
      models: [
        "sim/medium", // first choice
        // a comment above the second model
        "sim/large",
      ],
    },
    t3: { models: [] },
    t4: { models: ["sim/only"] },
  },
  routing: {
    aliases: {
      "gpt-4": "sim/large",
      fast: "sim/a",
    },
  },
  pricing: {},
  retry: {
    rules: [
      // none yet
    ],
  },
  timeouts: { firstTokenMs: 30_000, idleMs: hasOpenAI ? 30_000 : 5_000 },
});
`;

/** Applies edits that must succeed. */
function edit(source: string, ...edits: Edit[]): string {
  const result = applyEdits(source, edits);
  if ("errors" in result) throw new Error(JSON.stringify(result.errors));
  return result.source;
}

/** The edit turned exactly one occurrence of `before` into `after`, and nothing else changed. */
function expectOnly(result: string, before: string, after: string, source = SOURCE): void {
  expect(source.split(before).length).toBe(2);
  expect(result).toBe(source.replace(before, after));
}

function errorsOf(source: string, ...edits: Edit[]) {
  const result = applyEdits(source, edits);
  return "errors" in result ? result.errors : [];
}

const node = (path: string): TreeNode => {
  const all = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...all(n.children ?? [])]);
  return all(configTree(SOURCE)).find((n) => n.path === path)!;
};

describe("set", () => {
  test("replaces only the literal's span: the prefix and suffix are byte for byte the original", () => {
    const { start, end } = node("tiers.t1.strategy");
    const result = edit(SOURCE, { op: "set", path: "tiers.t1.strategy", value: "adaptive" });
    expect(result.slice(0, start)).toBe(SOURCE.slice(0, start));
    expect(result.slice(result.length - (SOURCE.length - end))).toBe(SOURCE.slice(end));
    expect(result.slice(start, result.length - (SOURCE.length - end))).toBe('"adaptive"');
  });

  test("a number written with separators keeps them", () => {
    expectOnly(
      edit(SOURCE, { op: "set", path: "timeouts.firstTokenMs", value: 45000 }),
      "firstTokenMs: 30_000",
      "firstTokenMs: 45_000",
    );
  });

  test("a field of a plugin's options", () => {
    expectOnly(
      edit(SOURCE, { op: "set", path: "providers.sim.options.latencyMs", value: 200 }),
      "latencyMs: 150",
      "latencyMs: 200",
    );
  });

  test("an object of literals is replaced as a whole, rendered inline", () => {
    expectOnly(
      edit(SOURCE, { op: "set", path: "server", value: { port: 7000, host: "127.0.0.1" } }),
      "server: { port: 6688 }",
      'server: { port: 7000, host: "127.0.0.1" }',
    );
  });

  test("strings follow the file's quote style, escaped", () => {
    const single =
      "import { defineConfig } from './src/index.ts';\nexport default defineConfig({ routing: { defaultTier: 't1' } });\n";
    expectOnly(
      edit(single, { op: "set", path: "routing.defaultTier", value: `it's "t2"` }),
      "'t1'",
      `'it\\'s "t2"'`,
      single,
    );
  });

  test("values render as TypeScript: nested objects, arrays, quoted keys, regexps, null", () => {
    const value = { "a-b": [1, null, true], ok: { $regexp: "a/b", flags: "i" } };
    expectOnly(
      edit(SOURCE, { op: "set", path: "tiers.t4.models[0]", value }),
      '"sim/only"',
      '{ "a-b": [1, null, true], ok: /a\\/b/i }',
    );
  });

  test('{ $env } writes env("NAME") and adds env to the src/index.ts import', () => {
    const result = edit(SOURCE, { op: "set", path: "providers.sim.options.latencyMs", value: { $env: "SIM_LATENCY" } });
    expect(result).toBe(
      SOURCE.replace(
        'import { defineConfig } from "./src/index.ts";',
        'import { defineConfig, env } from "./src/index.ts";',
      ).replace("latencyMs: 150", 'latencyMs: env("SIM_LATENCY")'),
    );
  });

  test("{ $env } leaves an import that already has env alone, and uses its local name", () => {
    const aliased = SOURCE.replace("import { defineConfig }", "import { defineConfig, env as fromEnv }");
    expectOnly(
      edit(aliased, { op: "set", path: "server.port", value: { $env: "PORT" } }),
      "port: 6688",
      'port: fromEnv("PORT")',
      aliased,
    );
  });

  test("an env reference may be replaced by another env reference (the secret flow), not by a literal", () => {
    const withEnv = SOURCE.replace("import { defineConfig }", "import { defineConfig, env }").replace(
      "latencyMs: 150",
      'latencyMs: env("OLD")',
    );
    expectOnly(
      edit(withEnv, { op: "set", path: "providers.sim.options.latencyMs", value: { $env: "NEW" } }),
      'env("OLD")',
      'env("NEW")',
      withEnv,
    );
    expect(errorsOf(withEnv, { op: "set", path: "providers.sim.options.latencyMs", value: 5 })).toEqual([
      {
        path: "providers.sim.options.latencyMs",
        message: "providers.sim.options.latencyMs is an env() reference, read-only",
      },
    ]);
  });

  test("{ $env } is refused where the export function's parameter shadows env", () => {
    const fn = SOURCE.replace("defineConfig({", "defineConfig(({ env }) => ({").replace("});\n", "}));\n");
    expect(errorsOf(fn, { op: "set", path: "server.port", value: { $env: "PORT" } })[0].message).toContain("shadows");
  });
});

describe("set errors name the path", () => {
  const cases: [string, Edit, string][] = [
    [
      "an expression",
      { op: "set", path: "timeouts.idleMs", value: 1 },
      "timeouts.idleMs is code (an expression), read-only",
    ],
    ["a plugin call", { op: "set", path: "providers.sim", value: 1 }, "providers.sim is a plugin call, read-only"],
    [
      "an object holding code",
      { op: "set", path: "timeouts", value: {} },
      "timeouts holds code (env(), plugin calls, spreads or expressions): edit its literal parts one by one",
    ],
    [
      "a path through a spread",
      { op: "set", path: "providers[1].openai", value: 1 },
      "providers[1] is code (an expression), read-only: providers[1].openai cannot be edited",
    ],
    ["an unknown key", { op: "set", path: "tiers.t9.models[0]", value: "x" }, "no tiers.t9 in the config"],
    [
      "an index past the end",
      { op: "set", path: "tiers.t1.models[3]", value: "x" },
      "no tiers.t1.models[3] in the config",
    ],
    ["a malformed path", { op: "set", path: "tiers..t1", value: "x" }, 'not a config path: "tiers..t1"'],
    ["a non-JSON number", { op: "set", path: "server.port", value: Number.NaN }, "NaN cannot be written as a number"],
  ];
  for (const [what, e, message] of cases) {
    test(what, () => expect(errorsOf(SOURCE, e)).toEqual([{ path: e.path, message }]));
  }
});

describe("insert into arrays", () => {
  const at = (path: string, value: string, index?: number) => edit(SOURCE, { op: "insert", path, value, index });
  test("single-line, first", () => expectOnly(at("tiers.t1.models", "sim/z", 0), '["sim/a",', '["sim/z", "sim/a",'));
  test("single-line, middle", () =>
    expectOnly(at("tiers.t1.models", "sim/z", 2), '"sim/b", "sim/c"', '"sim/b", "sim/z", "sim/c"'));
  test("single-line, end", () => expectOnly(at("tiers.t1.models", "sim/z"), '"sim/c"]', '"sim/c", "sim/z"]'));
  test("empty, single-line", () =>
    expectOnly(at("tiers.t3.models", "sim/z"), "t3: { models: [] }", 't3: { models: ["sim/z"] }'));

  test("multi-line, first: a line of its own with the file's indentation", () => {
    expectOnly(
      at("tiers.t2.models", "sim/z", 0),
      '[\n        "sim/medium"',
      '[\n        "sim/z",\n        "sim/medium"',
    );
  });

  test("multi-line, middle: above the next element's comments, which stay with it", () => {
    expectOnly(
      at("tiers.t2.models", "sim/z", 1),
      "        // a comment above",
      '        "sim/z",\n        // a comment above',
    );
  });

  test("multi-line, end, after a trailing comma", () => {
    expectOnly(
      at("tiers.t2.models", "sim/z"),
      'model\n        "sim/large",\n',
      'model\n        "sim/large",\n        "sim/z",\n',
    );
  });

  test("multi-line without trailing commas: the last element gets a comma, the new one none", () => {
    const plain =
      'export default {\n  tiers: {\n    t1: {\n      models: [\n        "a",\n        "b" // last\n      ]\n    }\n  }\n};\n';
    expectOnly(
      edit(plain, { op: "insert", path: "tiers.t1.models", value: "c" }),
      '"b" // last\n',
      '"b", // last\n        "c"\n',
      plain,
    );
  });

  test("empty, multi-line with a comment inside: one indentation deeper than the bracket", () => {
    expectOnly(at("retry.rules", "x"), "      // none yet\n    ]", '      // none yet\n      "x",\n    ]');
  });

  test("an index outside the array is an error", () => {
    expect(errorsOf(SOURCE, { op: "insert", path: "tiers.t1.models", index: 4, value: "x" })[0].message).toBe(
      "index 4 is outside tiers.t1.models (0 to 3)",
    );
  });
});

describe("insert into objects", () => {
  const put = (path: string, key: string, value: JsonValue, index?: number) =>
    edit(SOURCE, { op: "insert", path, key, value, index });
  test("single-line, at the end", () =>
    expectOnly(put("server", "host", "127.0.0.1"), "{ port: 6688 }", '{ port: 6688, host: "127.0.0.1" }'));
  test("a plugin's options", () =>
    expectOnly(
      put("providers.sim.options", "tokensPerSecond", 60),
      "{ latencyMs: 150 }",
      "{ latencyMs: 150, tokensPerSecond: 60 }",
    ));
  test("multi-line, at the end", () =>
    expectOnly(
      put("routing.aliases", "big", "sim/large"),
      'fast: "sim/a",\n',
      'fast: "sim/a",\n      big: "sim/large",\n',
    ));
  test("multi-line, at an index", () =>
    expectOnly(put("routing.aliases", "first", "sim/a", 0), '      "gpt-4"', '      first: "sim/a",\n      "gpt-4"'));
  test("empty, with a key that needs quotes", () => {
    expectOnly(
      put("pricing", "openai/gpt-4.1", { input: 2, output: 8 }),
      "pricing: {}",
      'pricing: { "openai/gpt-4.1": { input: 2, output: 8 } }',
    );
  });
  test("a new top-level section goes at the end of the config object", () => {
    expectOnly(
      edit(SOURCE, { op: "insert", path: "", key: "logging", value: { bodies: "none" } }),
      "5_000 },\n});",
      '5_000 },\n  logging: { bodies: "none" },\n});',
    );
  });
  test("an existing key is an error", () => {
    expect(errorsOf(SOURCE, { op: "insert", path: "routing.aliases", key: "fast", value: "x" })).toEqual([
      { path: "routing.aliases", message: "routing.aliases.fast already exists: use set" },
    ]);
  });
  test("a key is required", () => {
    expect(errorsOf(SOURCE, { op: "insert", path: "routing.aliases", value: "x" })[0].message).toBe(
      "routing.aliases is an object: insert needs a key",
    );
  });
});

describe("remove", () => {
  const rm = (path: string, source = SOURCE) => edit(source, { op: "remove", path });
  test("single-line, first element with its comma", () =>
    expectOnly(rm("tiers.t1.models[0]"), '"sim/a", "sim/b"', '"sim/b"'));
  test("single-line, middle element", () =>
    expectOnly(rm("tiers.t1.models[1]"), '"sim/a", "sim/b", "sim/c"', '"sim/a", "sim/c"'));
  test("single-line, last element with the comma before it", () =>
    expectOnly(rm("tiers.t1.models[2]"), '"sim/b", "sim/c"]', '"sim/b"]'));
  test("single-line, last property", () => expectOnly(rm("tiers.t1.strategy"), ', strategy: "random" }', " }"));
  test("the only element leaves an empty literal", () => expectOnly(rm("tiers.t4.models[0]"), '["sim/only"]', "[]"));
  test("multi-line: the element's line with its trailing comment; the comment above the next stays", () => {
    expectOnly(rm("tiers.t2.models[0]"), '        "sim/medium", // first choice\n', "");
  });
  test("multi-line, last element with a trailing comma", () =>
    expectOnly(rm("tiers.t2.models[1]"), '        "sim/large",\n', ""));
  test("multi-line without trailing commas: the comma before the last element goes too", () => {
    const plain = 'export default {\n  models: [\n    "a",\n    "b"\n  ]\n};\n';
    expectOnly(rm("models[1]", plain), '"a",\n    "b"\n', '"a"\n', plain);
  });
  test("a property with a quoted key", () =>
    expectOnly(rm("routing.aliases.gpt-4"), '      "gpt-4": "sim/large",\n', ""));
  test("a spread, by its position", () =>
    expectOnly(
      rm("providers[1]"),
      '    ...(hasOpenAI ? { openai: openai({ baseURL: "https://api.openai.com/v1" }) } : {}),\n',
      "",
    ));
  test("a key that does not exist is an error", () => {
    expect(errorsOf(SOURCE, { op: "remove", path: "routing.nope" })).toEqual([
      { path: "routing.nope", message: "no routing.nope in the config" },
    ]);
  });
});

describe("several edits", () => {
  test("apply in order, each on the result of the ones before", () => {
    const result = edit(
      SOURCE,
      { op: "remove", path: "tiers.t1.models[0]" },
      { op: "set", path: "tiers.t1.models[0]", value: "sim/B" },
      { op: "set", path: "server.port", value: 7000 },
      { op: "insert", path: "routing.aliases", key: "x", value: "sim/a" },
    );
    expect(result).toBe(
      SOURCE.replace('"sim/a", "sim/b", "sim/c"', '"sim/B", "sim/c"')
        .replace("port: 6688", "port: 7000")
        .replace('fast: "sim/a",\n', 'fast: "sim/a",\n      x: "sim/a",\n'),
    );
  });

  test("removing by original positions works from the highest index down", () => {
    expectOnly(
      edit(SOURCE, { op: "remove", path: "tiers.t1.models[2]" }, { op: "remove", path: "tiers.t1.models[0]" }),
      '"sim/a", "sim/b", "sim/c"',
      '"sim/b"',
    );
  });

  test("a file with CRLF line endings keeps them on new and removed lines", () => {
    const edits: Edit[] = [
      { op: "insert", path: "tiers.t2.models", value: "sim/z" },
      { op: "insert", path: "tiers.t2.models", index: 1, value: "sim/y" },
      { op: "remove", path: "tiers.t2.models[0]" },
      { op: "insert", path: "retry.rules", value: "x" },
    ];
    const crlf = edit(SOURCE.replaceAll("\n", "\r\n"), ...edits);
    expect(crlf.replaceAll("\r\n", "")).not.toContain("\n");
    expect(crlf.replaceAll("\r\n", "\n")).toBe(edit(SOURCE, ...edits));
  });

  test("a source that does not parse refuses every edit", () => {
    expect(errorsOf("export default {", { op: "set", path: "a", value: 1 })[0].message).toStartWith(
      "the config does not parse",
    );
  });

  test("a batch with one bad edit changes nothing and reports each failing edit", () => {
    const result = applyEdits(SOURCE, [
      { op: "set", path: "server.port", value: 7000 },
      { op: "set", path: "timeouts.idleMs", value: 1 },
      { op: "remove", path: "nope" },
    ]);
    expect(result).toEqual({
      errors: [
        { path: "timeouts.idleMs", message: "timeouts.idleMs is code (an expression), read-only" },
        { path: "nope", message: "no nope in the config" },
      ],
    });
  });
});
