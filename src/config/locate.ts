/**
 * Finds the source line of a config path such as `tiers.t1.models[2]` in `gateway.config.ts`, so a
 * validation error can point at the line at fault. It parses the file (TypeScript syntax), finds the
 * default export's object literal and walks the path through object literals, array literals and
 * plugin factory calls (`openai({...})`: the first argument stands for the plugin's `options`).
 * When the path leaves literal code (a variable, a spread), the deepest line found is returned.
 */
import { parse } from "@babel/parser";

interface Node {
  type: string;
  loc?: { start: { line: number } };
  [key: string]: unknown;
}

export function splitPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return parts;
}

function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (current && ["TSAsExpression", "TSSatisfiesExpression", "ParenthesizedExpression", "TSNonNullExpression"].includes(current.type)) {
    current = current.expression as Node;
  }
  return current;
}

function keyName(property: Node): string | undefined {
  const key = property.key as Node;
  if (!key) return undefined;
  if (key.type === "Identifier") return key.name as string;
  if (key.type === "StringLiteral" || key.type === "NumericLiteral") return String(key.value);
  return undefined;
}

/** The object literal a function returns (arrow with expression body, or its last `return`). */
function returnedValue(fn: Node): Node | undefined {
  const body = fn.body as Node;
  if (body.type !== "BlockStatement") return unwrap(body);
  const statements = body.body as Node[];
  for (let i = statements.length - 1; i >= 0; i--) {
    if (statements[i].type === "ReturnStatement") return unwrap(statements[i].argument as Node);
  }
  return undefined;
}

function findDeclaration(program: Node, name: string): Node | undefined {
  for (const statement of program.body as Node[]) {
    const declaration = statement.type === "ExportNamedDeclaration" ? (statement.declaration as Node) : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const declarator of declaration.declarations as Node[]) {
      if ((declarator.id as Node).type === "Identifier" && (declarator.id as Node).name === name) return unwrap(declarator.init as Node);
    }
  }
  return undefined;
}

/** Resolves what the default export stands for, through defineConfig(), functions and identifiers. */
function configRoot(program: Node): Node | undefined {
  const exported = (program.body as Node[]).find((s) => s.type === "ExportDefaultDeclaration");
  let node = unwrap(exported?.declaration as Node);
  for (let hops = 0; node && hops < 5; hops++) {
    if (node.type === "ObjectExpression") return node;
    if (node.type === "CallExpression") node = unwrap((node.arguments as Node[])[0]);
    else if (node.type === "ArrowFunctionExpression" || node.type === "FunctionExpression") node = returnedValue(node);
    else if (node.type === "Identifier") node = findDeclaration(program, node.name as string);
    else return node;
  }
  return node;
}

function step(node: Node, segment: string | number): Node | undefined {
  if (node.type === "ObjectExpression" && typeof segment === "string") {
    const property = (node.properties as Node[]).find((p) => p.type === "ObjectProperty" && keyName(p) === segment);
    return property ? unwrap(property.value as Node) ?? property : undefined;
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
  let program: Node;
  try {
    program = parse(source, { sourceType: "module", plugins: ["typescript"], errorRecovery: true }).program as unknown as Node;
  } catch {
    return undefined;
  }
  let node = configRoot(program);
  let line = node?.loc?.start.line;
  for (const segment of splitPath(path)) {
    if (!node) break;
    node = step(node, segment);
    if (node?.loc) line = node.loc.start.line;
  }
  return line;
}
