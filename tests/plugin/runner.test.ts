import { describe, expect, test } from "bun:test";
import type { Plugin } from "../../src/index.ts";
import { firstAnswer, firstAnswerAsync, notifyAll, waterfall } from "../../src/plugin/runner.ts";
import { silentLogger } from "../helpers/run-hooks.ts";

/** A plugin whose "hook" is a plain function the tests call through the runner. */
interface Hooked<A = unknown> extends Plugin {
  run: (input: A) => unknown;
}

const plugin = <A = unknown>(name: string, run: (input: A) => unknown): Hooked<A> => ({ name, run });

const boom =
  (message = "boom") =>
  () => {
    throw new Error(message);
  };

const warningsAbout = (log: ReturnType<typeof silentLogger>, name: string) =>
  log.messages.filter((m) => m.level === "warn" && m.message.includes(name));

describe("firstAnswer", () => {
  test("returns the first answer that is not undefined, with the plugin that gave it", () => {
    const second = plugin("b", () => "from b");
    const answer = firstAnswer(
      [plugin("a", () => undefined), second, plugin("c", () => "from c")],
      "judge",
      (p) => p.run(null),
      silentLogger(),
    );
    expect(answer?.value).toBe("from b");
    expect(answer?.plugin).toBe(second);
  });

  test("asks plugins in config order and stops at the first answer", () => {
    const asked: string[] = [];
    const ask = (name: string, value: unknown) => plugin(name, () => (asked.push(name), value));
    firstAnswer(
      [ask("a", undefined), ask("b", undefined), ask("c", 3), ask("d", 4)],
      "judge",
      (p) => p.run(null),
      silentLogger(),
    );
    expect(asked).toEqual(["a", "b", "c"]);
  });

  test("returns undefined when no plugin answers", () => {
    expect(
      firstAnswer(
        [plugin("a", () => undefined), plugin("b", () => undefined)],
        "judge",
        (p) => p.run(null),
        silentLogger(),
      ),
    ).toBeUndefined();
  });

  test("a throwing plugin counts as no answer and the next plugin is still asked", () => {
    const answer = firstAnswer(
      [plugin("local:broken", boom()), plugin("b", () => "b")],
      "judge",
      (p) => p.run(null),
      silentLogger(),
    );
    expect(answer?.value).toBe("b");
    expect(answer?.plugin.name).toBe("b");
  });

  test("a throwing plugin is logged with its name, the hook and the error", () => {
    const log = silentLogger();
    firstAnswer([plugin("local:broken", boom("kaput"))], "judge", (p) => p.run(null), log);
    const [warning] = warningsAbout(log, "local:broken");
    expect(warning.message).toContain("judge");
    expect(JSON.stringify(warning.data)).toContain("kaput");
  });
});

describe("firstAnswerAsync", () => {
  test("the first plugin in config order wins even when a later one answers sooner", async () => {
    const slow = plugin("slow", () => new Promise((resolve) => setTimeout(() => resolve("slow"), 5)));
    const fast = plugin("fast", () => Promise.resolve("fast"));
    const answer = await firstAnswerAsync(
      [slow, fast],
      "classify",
      (p) => p.run(null) as Promise<string>,
      silentLogger(),
    );
    expect(answer?.value).toBe("slow");
  });

  test("skips plugins that resolve to undefined and stops at the first answer", async () => {
    const asked: string[] = [];
    const ask = (name: string, value: unknown) => plugin(name, async () => (asked.push(name), value));
    const answer = await firstAnswerAsync(
      [ask("a", undefined), ask("b", "b"), ask("c", "c")],
      "classify",
      (p) => p.run(null),
      silentLogger(),
    );
    expect(answer?.value).toBe("b");
    expect(asked).toEqual(["a", "b"]);
  });

  test("a rejected promise counts as no answer, is logged with the plugin's name, and later plugins are asked", async () => {
    const log = silentLogger();
    const broken = plugin("local:rejects", () => Promise.reject(new Error("upstream down")));
    const answer = await firstAnswerAsync([broken, plugin("b", async () => "b")], "classify", (p) => p.run(null), log);
    expect(answer?.value).toBe("b");
    expect(warningsAbout(log, "local:rejects")).toHaveLength(1);
    expect(JSON.stringify(warningsAbout(log, "local:rejects")[0].data)).toContain("upstream down");
  });

  test("a synchronous throw counts as no answer and is logged with the plugin's name", async () => {
    const log = silentLogger();
    const answer = await firstAnswerAsync(
      [plugin("local:throws", boom()), plugin("b", () => "b")],
      "classify",
      (p) => p.run(null),
      log,
    );
    expect(answer?.value).toBe("b");
    expect(warningsAbout(log, "local:throws")).toHaveLength(1);
  });

  test("returns undefined when every plugin throws or has no answer", async () => {
    const answer = await firstAnswerAsync(
      [plugin("a", boom()), plugin("b", async () => undefined)],
      "classify",
      (p) => p.run(null),
      silentLogger(),
    );
    expect(answer).toBeUndefined();
  });
});

describe("waterfall", () => {
  test("each plugin gets the previous plugin's result", async () => {
    const seen: number[] = [];
    const add = (n: number) => plugin<number>(`add${n}`, (v) => (seen.push(v), v + n));
    const result = await waterfall(
      [add(1), add(10), add(100)],
      "adapt",
      0,
      (p, v) => p.run(v) as number,
      silentLogger(),
    );
    expect(seen).toEqual([0, 1, 11]);
    expect(result).toBe(111);
  });

  test("a plugin returning undefined keeps the value for the next one", async () => {
    const seen: string[] = [];
    const plugins = [
      plugin<string>("up", (v) => v.toUpperCase()),
      plugin<string>("none", () => undefined),
      plugin<string>("tail", (v) => (seen.push(v), `${v}!`)),
    ];
    const result = await waterfall(
      plugins,
      "orderTargets",
      "abc",
      (p, v) => p.run(v) as string | undefined,
      silentLogger(),
    );
    expect(seen).toEqual(["ABC"]);
    expect(result).toBe("ABC!");
  });

  test("a throwing plugin keeps the value, is logged with its name, and later plugins still run", async () => {
    const log = silentLogger();
    const plugins = [
      plugin<number>("double", (v) => v * 2),
      plugin<number>("local:broken", boom()),
      plugin<number>("inc", (v) => v + 1),
    ];
    const result = await waterfall(plugins, "orderTargets", 5, (p, v) => p.run(v) as number, log);
    expect(result).toBe(11);
    expect(warningsAbout(log, "local:broken")).toHaveLength(1);
  });

  test("async results and rejections are handled like sync ones", async () => {
    const log = silentLogger();
    const plugins = [
      plugin<number>("async", async (v) => v + 1),
      plugin<number>("local:rejects", () => Promise.reject(new Error("no"))),
    ];
    const result = await waterfall(plugins, "orderTargets", 1, (p, v) => p.run(v) as Promise<number>, log);
    expect(result).toBe(2);
    expect(warningsAbout(log, "local:rejects")).toHaveLength(1);
  });

  test("no plugins: the initial value comes back", async () => {
    const initial = { a: 1 };
    expect(await waterfall([], "adapt", initial, () => undefined, silentLogger())).toBe(initial);
  });
});

describe("notifyAll", () => {
  test("every observer is called, in config order", () => {
    const called: string[] = [];
    notifyAll(
      [plugin("a", () => called.push("a")), plugin("b", () => called.push("b")), plugin("c", () => called.push("c"))],
      "onComplete",
      (p) => p.run(null),
      silentLogger(),
    );
    expect(called).toEqual(["a", "b", "c"]);
  });

  test("a synchronous throw is swallowed, logged with the plugin's name, and later observers are still called", () => {
    const log = silentLogger();
    const called: string[] = [];
    expect(() =>
      notifyAll(
        [plugin("local:throws", boom()), plugin("b", () => called.push("b"))],
        "onAttempt",
        (p) => p.run(null),
        log,
      ),
    ).not.toThrow();
    expect(called).toEqual(["b"]);
    expect(warningsAbout(log, "local:throws")).toHaveLength(1);
  });

  test("a rejected promise is swallowed and logged with the plugin's name", async () => {
    const log = silentLogger();
    const called: string[] = [];
    notifyAll(
      [
        plugin("local:rejects", async () => Promise.reject(new Error("disk full"))),
        plugin("b", () => called.push("b")),
      ],
      "onComplete",
      (p) => p.run(null),
      log,
    );
    expect(called).toEqual(["b"]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const warnings = warningsAbout(log, "local:rejects");
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].data)).toContain("disk full");
  });

  test("does not wait for observers: it returns while a slow observer is still pending", () => {
    let finished = false;
    const slow = plugin(
      "slow",
      () => new Promise<void>((resolve) => setTimeout(() => ((finished = true), resolve()), 50)),
    );
    const result = notifyAll([slow], "onComplete", (p) => p.run(null), silentLogger());
    expect(result).toBeUndefined();
    expect(finished).toBe(false);
  });
});
