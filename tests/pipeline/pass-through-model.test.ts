/**
 * `withModel`: a passed-through body keeps every byte but the top-level `model` value, whatever the
 * client's spacing, key order, escapes or number spellings, and whatever nested objects call `model`.
 */
import { expect, test } from "bun:test";
import { withModel } from "../../src/pipeline/pass-through.ts";

test("only the top-level model value changes, every other byte is kept", () => {
  const text =
    '{ "messages" : [{"model":"inner","x":1.50e1}],\n  "model" :\t"auto" ,"k":"\\u00e9\\"model\\":\\"no\\""}';
  expect(withModel(text, "claude-x")).toBe(
    '{ "messages" : [{"model":"inner","x":1.50e1}],\n  "model" :\t"claude-x" ,"k":"\\u00e9\\"model\\":\\"no\\""}',
  );
});

test("the last model is the one replaced (JSON.parse reads the last of duplicate keys); a body without one gets it", () => {
  expect(withModel('{"model":"a","model":"b"}', "m")).toBe('{"model":"a","model":"m"}');
  expect(withModel('{"model":{"nested":"x"}}', "m")).toBe('{"model":"m"}');
  expect(JSON.parse(withModel('{"input":"hi"}', "m"))).toEqual({ input: "hi", model: "m" });
  expect(withModel('{"a":[1,{"b":"}"}],"model":"last"}', "m")).toBe('{"a":[1,{"b":"}"}],"model":"m"}');
});
