/**
 * Finds the source line of a config path such as `tiers.t1.models[2]` in `gateway.config.ts`, so a
 * validation error can point at the line at fault. It parses the file (TypeScript syntax), finds the
 * default export's object literal and walks the path through object literals, array literals and
 * plugin factory calls (`openai({...})`: the first argument stands for the plugin's `options`).
 * When the path leaves literal code (a variable, a spread), the deepest line found is returned.
 */
import { configRoot, keyName, type Node, parseProgram, splitPath, unwrap } from "./ast.ts";

function step(node: Node, segment: string | number): Node | undefined {
  if (node.type === "ObjectExpression" && typeof segment === "string") {
    const property = (node.properties as Node[]).find((p) => p.type === "ObjectProperty" && keyName(p) === segment);
    return property ? (unwrap(property.value as Node) ?? property) : undefined;
  }
  if (node.type === "ArrayExpression" && typeof segment === "number") {
    const elements = node.elements as Node[];
    // After a spread, source positions no longer match run-time indexes: stay on the array's line.
    if (elements.slice(0, segment + 1).some((e) => e?.type === "SpreadElement")) return undefined;
    return unwrap(elements[segment]);
  }
  if (node.type === "CallExpression" && segment === "options") {
    return unwrap((node.arguments as Node[])[0]);
  }
  return undefined;
}

/** 1-based line of `path` in `source`, or undefined when the file cannot be parsed. */
export function locatePath(source: string, path: string): number | undefined {
  const { program } = parseProgram(source);
  if (!program) return undefined;
  let node = configRoot(program);
  let line = node?.loc?.start.line;
  for (const segment of splitPath(path)) {
    if (!node) break;
    node = step(node, segment);
    if (node?.loc) line = node.loc.start.line;
  }
  return line;
}
