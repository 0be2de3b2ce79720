/** The editable view of gateway.config.ts: paths, kinds, spans, schemas, and secrets that never leave. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIssues, loadConfig } from "../../src/config/load.ts";
import {
  ConfigSourceError,
  configTree,
  isSecretKey,
  maskSecret,
  maskSecrets,
  type TreeNode,
} from "../../src/config-editor/source-tree.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const SECRETS = ["sk-proj-SECRETSECRETSECRET1234", "gw-literal-key-0123456789", "abcdefghijklmnop"];

const HEAD = `/** A user's config, with comments, spreads, env references and code. */
import { defineConfig, env } from "${ROOT}/src/index.ts";
import { keywordClassifier, openai, simulated, statusCodeRetry } from "${ROOT}/plugins/index.ts";

const extraProviders = {};
const extraRules = [];
const useLocal = process.env.SMARTROUTE_TREE_TEST !== "remote";
`;

const BODY = `{
  server: { port: 6688, host: '0.0.0.0' },
  auth: { apiKeys: [env("TREE_GATEWAY_KEY", ""), "gw-literal-key-0123456789"] },
  providers: {
    // the real one
    openai: openai({
      baseURL: "https://api.openai.com/v1",
      apiKey: "sk-proj-SECRETSECRETSECRET1234",
      headers: { Authorization: "Bearer abcdefghijklmnop", "x-team": "blue" },
    }),
    deepseek: openai({ baseURL: \`https://api.deepseek.com/v1\`, apiKey: env("TREE_DEEPSEEK_KEY", "unused-fallback") }),
    ...extraProviders,
    sim: simulated(),
  },
  tiers: {
    t1: {
      models: [
        "sim/small", // cheapest
        { model: "openai/gpt-4o-mini", weight: 0.5 },
      ],
      strategy: useLocal ? "sequential" : "adaptive",
    },
    t2: { models: ["sim/medium", ...(useLocal ? [] : ["openai/gpt-4.1"])], timeouts: { firstTokenMs: 60_000 } },
  },
  classifiers: [keywordClassifier({ rules: [{ tier: "t2", match: [/\\bSQL\\b/i, "refactor"] }] })],
  retry: { rules: [...extraRules, statusCodeRetry({ codes: [429, 503], sameTarget: 1 })], maxAttempts: 4 },
  pricing: { "openai/gpt-4.1": { input: 2, output: 8 } },
}`;

const objectForm = `${HEAD}\nexport default defineConfig(${BODY});\n`;
const functionForm = `${HEAD}\nexport default defineConfig(({ mode }) => {\n  const debug = mode !== "production";\n  return ${BODY};\n});\n`;
const constForm = `${HEAD}\nconst config = ${BODY};\n\nexport default config;\n`;

const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
const find = (nodes: TreeNode[], path: string): TreeNode => {
  const node = flatten(nodes).find((n) => n.path === path);
  if (!node)
    throw new Error(
      `no node ${path} in ${flatten(nodes)
        .map((n) => n.path)
        .join(", ")}`,
    );
  return node;
};
const tree = configTree(objectForm);

describe("configTree", () => {
  test("the three export forms give the same paths", () => {
    const paths = flatten(tree).map((n) => n.path);
    expect(flatten(configTree(functionForm)).map((n) => n.path)).toEqual(paths);
    expect(flatten(configTree(constForm)).map((n) => n.path)).toEqual(paths);
  });

  test("a string literal is editable, with its value, line and exact source span", () => {
    const node = find(tree, "tiers.t1.models[0]");
    expect(node).toMatchObject({ key: 0, kind: "string", value: "sim/small", editable: true });
    expect(objectForm.split("\n")[node.line - 1]).toContain('"sim/small", // cheapest');
    expect(objectForm.slice(node.start, node.end)).toBe('"sim/small"');
  });

  test("numbers (with separators), single-quoted strings and template literals are literals", () => {
    expect(find(tree, "tiers.t2.timeouts.firstTokenMs")).toMatchObject({
      kind: "number",
      value: 60_000,
      editable: true,
    });
    expect(find(tree, "server.host")).toMatchObject({ kind: "string", value: "0.0.0.0", editable: true });
    expect(find(tree, "providers.deepseek.options.baseURL")).toMatchObject({
      kind: "string",
      value: "https://api.deepseek.com/v1",
      editable: true,
    });
  });

  test("a regexp literal is editable, valued { $regexp, flags }", () => {
    expect(find(tree, "classifiers[0].options.rules[0].match[0]")).toMatchObject({
      kind: "regexp",
      value: { $regexp: "\\bSQL\\b", flags: "i" },
      editable: true,
    });
  });

  test("a plugin factory call is a read-only call node whose first argument is its options", () => {
    const node = find(tree, "providers.openai");
    expect(node).toMatchObject({ kind: "call", callee: "openai", editable: false });
    expect(node.children?.map((c) => c.path)).toEqual(["providers.openai.options"]);
    expect(find(tree, "providers.openai.options.baseURL").value).toBe("https://api.openai.com/v1");
  });

  test("a factory called without arguments has no children", () => {
    expect(find(tree, "providers.sim")).toMatchObject({ kind: "call", callee: "simulated" });
    expect(find(tree, "providers.sim").children).toBeUndefined();
  });

  test("env() is a read-only reference valued by its name only", () => {
    const node = find(tree, "providers.deepseek.options.apiKey");
    expect(node).toMatchObject({ kind: "env", editable: false, value: { env: "TREE_DEEPSEEK_KEY" } });
    expect(JSON.stringify(tree)).not.toContain("unused-fallback");
  });

  test("a spread is a read-only expression addressed by its position", () => {
    expect(find(tree, "providers[2]")).toMatchObject({ key: 2, kind: "expression", editable: false });
    expect(find(tree, "tiers.t2.models[1]")).toMatchObject({ kind: "expression", editable: false });
  });

  test("a conditional is a read-only expression without a value", () => {
    const node = find(tree, "tiers.t1.strategy");
    expect(node).toMatchObject({ kind: "expression", editable: false });
    expect("value" in node).toBe(false);
  });

  test("an object is editable as a whole only when it holds literals only", () => {
    expect(find(tree, "tiers.t1.models[1]")).toMatchObject({ kind: "object", editable: true });
    expect(find(tree, "tiers.t1")).toMatchObject({ kind: "object", editable: false });
  });

  test("a key that is not an identifier keeps its dots inside a quoted path segment", () => {
    expect(find(tree, 'pricing["openai/gpt-4.1"].input')).toMatchObject({ kind: "number", value: 2 });
  });

  test("core sections carry their ConfigSchema part", () => {
    const anyOf = find(tree, "tiers.t1.strategy").schema?.anyOf as { const: string }[];
    expect(anyOf.map((s) => s.const)).toEqual(["sequential", "random", "adaptive"]);
    expect(find(tree, "tiers.t2.timeouts.firstTokenMs").schema).toMatchObject({ type: "number", minimum: 1 });
    expect(find(tree, "tiers.t1.models[1].weight").schema).toMatchObject({ type: "number", minimum: 0 });
  });

  test("an unparsable source throws; a non-literal export gives an empty tree", () => {
    expect(() => configTree("export default defineConfig({ tiers: {")).toThrow(ConfigSourceError);
    expect(configTree("import { make } from './x';\nexport default make();\n")).toEqual([]);
  });
});

describe("plugin option schemas from a loaded config", () => {
  const dir = mkdtempSync(join(tmpdir(), "smartroute-tree-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function loaded() {
    writeFileSync(join(dir, "gateway.config.ts"), objectForm);
    const result = await loadConfig({ path: join(dir, "gateway.config.ts"), projectRoot: dir });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    return configTree(objectForm, result.config);
  }

  test("a provider's options get the provider's schema, matched by id", async () => {
    const node = find(await loaded(), "providers.openai.options.baseURL");
    expect(String(node.schema?.description)).toContain("API root");
  });

  test("a classifier's options get its schema, matched by position", async () => {
    const node = find(await loaded(), "classifiers[0].options.rules[0].tier");
    expect(node.schema).toMatchObject({ type: "string", description: "tier to route to when this rule matches" });
  });

  test("after a spread in a list, positions cannot be matched and options get no schema", async () => {
    expect(find(await loaded(), "retry.rules[1].options.codes").schema).toBeUndefined();
  });

  test("without a config, plugin options have no schema", () => {
    expect(find(tree, "providers.openai.options.baseURL").schema).toBeUndefined();
  });
});

describe("secrets", () => {
  test("no secret literal appears anywhere in the tree", () => {
    const json = JSON.stringify(configTree(objectForm));
    for (const secret of SECRETS) expect(json).not.toContain(secret);
  });

  test("a secret-named string is flagged and shown masked", () => {
    expect(find(tree, "providers.openai.options.apiKey")).toMatchObject({
      secret: true,
      kind: "string",
      editable: true,
      value: "sk-…1234",
    });
  });

  test("everything under a secret-named key is secret (apiKeys elements)", () => {
    expect(find(tree, "auth.apiKeys[1]")).toMatchObject({ secret: true, value: "gw-…789" });
    expect(find(tree, "auth.apiKeys[0]")).toMatchObject({ secret: true, value: { env: "TREE_GATEWAY_KEY" } });
  });

  test("a header named Authorization is secret, another header is not", () => {
    expect(find(tree, "providers.openai.options.headers.Authorization").secret).toBe(true);
    expect(find(tree, "providers.openai.options.headers.x-team")).toMatchObject({ value: "blue" });
    expect(find(tree, "providers.openai.options.headers.x-team").secret).toBeUndefined();
  });

  test("a credential-shaped string is secret under any key", () => {
    const nodes = configTree(`export default { tiers: { t1: { models: ["sk-abcdefghijklmnopqrstu"] } } };`);
    expect(find(nodes, "tiers.t1.models[0]")).toMatchObject({ secret: true, value: "sk-…stu" });
  });

  test("a schema describing the value as masked makes it secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smartroute-tree-masked-"));
    const source = `import { defineConfig, definePlugin, Type } from "${ROOT}/src/index.ts";
import { simulated } from "${ROOT}/plugins/index.ts";
const Options = Type.Object({ blob: Type.String({ description: "service credentials; shown masked" }) });
const guard = (options: { blob: string }) => definePlugin({ name: "local:guard", options, schema: Options, onRequest() {} });
export default defineConfig({ providers: { sim: simulated() }, tiers: { t1: { models: ["sim/a"] } }, plugins: [guard({ blob: "very-private-blob-value" })] });
`;
    writeFileSync(join(dir, "gateway.config.ts"), source);
    const result = await loadConfig({ path: join(dir, "gateway.config.ts"), projectRoot: dir });
    rmSync(dir, { recursive: true, force: true });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const nodes = configTree(source, result.config);
    expect(find(nodes, "plugins[0].options.blob").secret).toBe(true);
    expect(JSON.stringify(nodes)).not.toContain("very-private-blob-value");
  });

  test("the secret-key rule: the last word of the name", () => {
    const secret = [
      "apiKey",
      "api_key",
      "x-api-key",
      "OPENAI_API_KEY",
      "apiKeys",
      "key",
      "token",
      "accessToken",
      "clientSecret",
      "password",
      "Authorization",
    ];
    const plain = ["maxTokens", "keywords", "firstTokenMs", "keyboard", "model", "baseURL", "monkey"];
    expect(secret.filter((k) => !isSecretKey(k))).toEqual([]);
    expect(plain.filter((k) => isSecretKey(k))).toEqual([]);
  });

  test("a mask shows at most 3 + 4 characters and never more than a quarter", () => {
    expect(maskSecret("sk-proj-SECRETSECRETSECRET1234")).toBe("sk-…1234");
    expect(maskSecret("abcdefgh")).toBe("a…h");
    expect(maskSecret("gw-literal-key-0123456789")).toBe("gw-…789");
    expect(maskSecret("abc")).toBe("…");
    for (let n = 0; n < 40; n++) expect(maskSecret("x".repeat(n)).replace("…", "").length).toBeLessThanOrEqual(n / 4);
  });

  test("maskSecrets masks every secret literal in the source and changes nothing else", () => {
    const masked = maskSecrets(objectForm);
    for (const secret of SECRETS) expect(masked).not.toContain(secret);
    expect(masked).toContain('apiKey: "sk-…1234"');
    expect(masked).toContain('env("TREE_DEEPSEEK_KEY", "u…ck")');
    expect(masked.replace(/"[^"\n]*…[^"\n]*"/g, "M")).toBe(
      objectForm.replace(
        /"(sk-proj-SECRETSECRETSECRET1234|gw-literal-key-0123456789|Bearer abcdefghijklmnop|unused-fallback)"/g,
        "M",
      ),
    );
  });

  test("maskSecrets also masks secret-named variables outside the config object", () => {
    const masked = maskSecrets(
      `const OPENAI_KEY = "not-shaped-like-a-key-but-named";\nexport default { providers: {} };\n`,
    );
    expect(masked).not.toContain("not-shaped-like-a-key-but-named");
  });
});
