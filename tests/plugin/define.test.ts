import { describe, expect, test } from "bun:test";
import { definePlugin, Type } from "../../src/index.ts";

const Options = Type.Object({
  rules: Type.Array(Type.Object({ tier: Type.String(), weight: Type.Optional(Type.Number({ minimum: 0 })) })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
});

describe("definePlugin", () => {
  test("rejects a plugin without a name", () => {
    expect(() => definePlugin({} as never)).toThrow(/name/);
  });

  test("rejects an empty name", () => {
    expect(() => definePlugin({ name: "" })).toThrow(/name/);
  });

  test("returns the very same plugin object", () => {
    const plugin = {
      name: "local:ok",
      options: { rules: [{ tier: "t1" }] },
      schema: Options,
      classify: () => undefined,
    };
    expect(definePlugin(plugin)).toBe(plugin);
  });

  test("accepts options that satisfy the schema", () => {
    expect(() =>
      definePlugin({
        name: "local:ok",
        options: { rules: [{ tier: "t2", weight: 2 }], timeoutMs: 5 },
        schema: Options,
      }),
    ).not.toThrow();
  });

  test("bad options fail with a message naming the plugin and the nested option path", () => {
    const call = () =>
      definePlugin({ name: "local:bad", options: { rules: [{ tier: "t1" }, { tier: 5 }] }, schema: Options });
    expect(call).toThrow(/local:bad/);
    expect(call).toThrow(/rules(\.1|\[1\])\.tier/);
  });

  test("an out-of-range option is named in the message", () => {
    expect(() => definePlugin({ name: "local:bad", options: { rules: [], timeoutMs: 0 }, schema: Options })).toThrow(
      /timeoutMs/,
    );
  });

  test("a missing required option is named in the message", () => {
    expect(() => definePlugin({ name: "local:bad", options: {}, schema: Options })).toThrow(/rules/);
  });

  test("without a schema, options are not checked", () => {
    expect(() => definePlugin({ name: "local:free", options: { anything: Symbol("x") } })).not.toThrow();
  });
});
