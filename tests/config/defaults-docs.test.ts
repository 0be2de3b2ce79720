/**
 * Defaults are values once (`config/defaults.ts`) and words once (the JSDoc on each field of
 * `config/types.ts`, which editors show on hover). This test reads the JSDoc and fails when a field's
 * doc (or, for fields documented together, its parent's) does not state the value resolution applies.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@babel/parser";
import type { Node, TSInterfaceBody, TSPropertySignature, TSTypeLiteral } from "@babel/types";
import { DEFAULTS } from "../../src/config/defaults.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const source = readFileSync(join(ROOT, "src/config/types.ts"), "utf8");
const file = parse(source, { sourceType: "module", plugins: ["typescript"] });
const interfaces = new Map<string, TSInterfaceBody>();
for (const statement of file.program.body) {
  const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
  if (declaration?.type === "TSInterfaceDeclaration") interfaces.set(declaration.id.name, declaration.body);
}

/** The JSDoc text of a member, one line. */
const docOf = (member: Node): string =>
  (member.leadingComments ?? [])
    .map((c) => c.value.replace(/^\s*\*+ ?/gm, " "))
    .join(" ")
    .replace(/\s+/g, " ");

/** The members of a property's type: an inline object type, or a named interface. */
function membersOf(member: TSPropertySignature): Node[] {
  const type = member.typeAnnotation?.typeAnnotation;
  if (type?.type === "TSTypeLiteral") return (type as TSTypeLiteral).members;
  if (type?.type === "TSTypeReference" && type.typeName.type === "Identifier") {
    // Partial<Timeouts> and the like: the interface named by the (first) type argument or the reference.
    const name =
      type.typeParameters?.params[0]?.type === "TSTypeReference" &&
      type.typeParameters.params[0].typeName.type === "Identifier"
        ? type.typeParameters.params[0].typeName.name
        : type.typeName.name;
    return interfaces.get(name)?.body ?? [];
  }
  return [];
}

const named = (members: Node[], key: string) =>
  members.find(
    (m): m is TSPropertySignature =>
      m.type === "TSPropertySignature" && m.key.type === "Identifier" && m.key.name === key,
  );

/** Docs from the outermost to the field itself along a path of GatewayConfigInput (or an interface). */
function docsAlong(root: string, path: string[]): string[] {
  let members: Node[] = interfaces.get(root)?.body ?? [];
  const docs: string[] = [];
  for (const key of path) {
    const member = named(members, key);
    if (!member) throw new Error(`${root}.${path.join(".")}: no such field in types.ts`);
    docs.push(docOf(member));
    members = membersOf(member);
  }
  return docs;
}

/** Ways a doc may write a value: 30000, 30 000, 1 MiB, "full", true. */
function spellings(value: unknown): string[] {
  if (typeof value === "string") return [`"${value}"`];
  if (typeof value !== "number") return [String(value)];
  const grouped = String(value).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  const mib = value >= 1024 * 1024 && value % (1024 * 1024) === 0 ? [`${value / (1024 * 1024)} MiB`] : [];
  return [String(value), grouped, ...mib];
}

const states = (doc: string, value: unknown) =>
  /default/i.test(doc) &&
  spellings(value).some((s) =>
    new RegExp(`(^|[^\\d.])${s.replace(/[.*+?^${}()|[\]\\"]/g, "\\$&")}($|[^\\d])`).test(doc),
  );

// Where a group of DEFAULTS lives in types.ts.
const places: Record<string, [root: string, path: string[]]> = {
  tier: ["TierInput", []],
  model: ["ModelEntry", []],
  "retry.backoff": ["BackoffOptions", []],
  timeouts: ["Timeouts", []],
};

function leaves(value: object, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === "object" && child !== null
      ? leaves(child, [...prefix, key])
      : [[[...prefix, key], child] as [string[], unknown]],
  );
}

for (const [path, value] of leaves(DEFAULTS)) {
  test(`the doc of ${path.join(".")} states its default, ${JSON.stringify(value)}`, () => {
    const group = Object.keys(places).find((p) => path.join(".").startsWith(`${p}.`));
    const [root, base] = group ? places[group] : ["GatewayConfigInput", []];
    const rest = group ? path.slice(group.split(".").length) : path;
    const docs = docsAlong(root, [...base, ...rest]);
    // The field's own doc, else the nearest documented ancestor's (`server`: "Default port 6688, host ...").
    const own = [...docs].reverse().find((d) => d.trim() !== "") ?? "";
    expect({ doc: own, states: states(own, value) }).toEqual({ doc: own, states: true });
  });
}

test("the schema carries the defaults for the admin UI", () => {
  const properties = ConfigSchema.properties;
  expect(properties.timeouts.properties.connectMs.default).toBe(DEFAULTS.timeouts.connectMs);
  expect(properties.logging.properties.bodies.default).toBe(DEFAULTS.logging.bodies);
});
