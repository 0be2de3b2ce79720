/**
 * The module boundaries of DESIGN §2, checked by scanning imports: plugins are written against the
 * public API only, the pipeline / plugin / routing core stays runtime- and framework-free, and the
 * HTTP framework and the ORM each stay in their one folder.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@babel/parser";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", "tests", "data"]);

interface Import {
  specifier: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
  line: number;
}

type AstNode = { type: string; loc?: { start: { line: number } }; [key: string]: unknown };

/** Every import of a module: static imports, re-exports, dynamic `import("...")` and `import("...")` types. */
function scanImports(source: string, file = "source.ts"): Import[] {
  const ast = parse(source, {
    sourceType: "module",
    plugins: file.endsWith("x") ? ["typescript", "jsx"] : ["typescript"],
  });
  const found: Import[] = [];
  const literal = (node: AstNode | undefined): string | undefined => {
    if (!node) return undefined;
    if (node.type === "StringLiteral") return node.value as string;
    if (node.type === "TemplateLiteral" && (node.expressions as unknown[]).length === 0)
      return (node.quasis as { value: { cooked: string } }[])[0].value.cooked;
    if (node.type === "TSLiteralType") return literal(node.literal as AstNode);
    return undefined; // a computed specifier (config loading) cannot be checked statically
  };
  const add = (spec: string | undefined, typeOnly: boolean, node: AstNode) => {
    if (spec !== undefined) found.push({ specifier: spec, typeOnly, line: node.loc?.start.line ?? 0 });
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== "object" || typeof (node as AstNode).type !== "string") return;
    const n = node as AstNode;
    switch (n.type) {
      case "ImportDeclaration": {
        const specifiers = n.specifiers as { importKind?: string }[];
        const typeOnly =
          n.importKind === "type" || (specifiers.length > 0 && specifiers.every((s) => s.importKind === "type"));
        add(literal(n.source as AstNode), typeOnly, n);
        break;
      }
      case "ExportNamedDeclaration":
      case "ExportAllDeclaration":
        if (n.source) add(literal(n.source as AstNode), n.exportKind === "type", n);
        break;
      case "CallExpression":
        if ((n.callee as AstNode).type === "Import") add(literal((n.arguments as AstNode[])[0]), false, n);
        break;
      case "ImportExpression":
        add(literal(n.source as AstNode), false, n);
        break;
      case "TSImportType":
        add(literal(n.argument as AstNode), true, n);
        break;
    }
    for (const [key, value] of Object.entries(n))
      if (key !== "loc" && key !== "leadingComments" && key !== "trailingComments") visit(value);
  };
  visit(ast.program);
  return found;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) files.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      files.push(path);
    }
  }
  return files;
}

interface ScannedFile {
  /** Path from the project root, with "/" separators. */
  file: string;
  abs: string;
  imports: Import[];
}

const project: ScannedFile[] = [
  ...sourceFiles(join(ROOT, "src")),
  ...sourceFiles(join(ROOT, "plugins")),
  ...sourceFiles(join(ROOT, "bench")),
  ...sourceFiles(join(ROOT, "ui")),
  join(ROOT, "gateway.config.ts"),
]
  .filter((abs) => existsSync(abs))
  .map((abs) => ({
    abs,
    file: relative(ROOT, abs).split(sep).join("/"),
    imports: scanImports(readFileSync(abs, "utf8"), abs),
  }));

const isRelative = (spec: string) => spec.startsWith("./") || spec.startsWith("../");
/** The project path ("src/http/app.ts") a relative import points at, or undefined for a package. */
const target = (from: ScannedFile, spec: string) =>
  isRelative(spec)
    ? relative(ROOT, resolve(dirname(from.abs), spec))
        .split(sep)
        .join("/")
    : undefined;
const isPackage = (spec: string, name: string) => spec === name || spec.startsWith(`${name}/`);
const under = (file: string, ...dirs: string[]) => dirs.some((d) => file.startsWith(`${d}/`));
const describeImport = (f: ScannedFile, i: Import) => `${f.file}:${i.line} imports "${i.specifier}"`;

/** Every import of the files `where` selects that `forbidden` rejects, as "file:line imports ...". */
function violations(where: (file: string) => boolean, forbidden: (f: ScannedFile, i: Import) => boolean): string[] {
  return project
    .filter((f) => where(f.file))
    .flatMap((f) => f.imports.filter((i) => forbidden(f, i)).map((i) => describeImport(f, i)));
}

describe("the import scanner", () => {
  test("sees static imports, type imports, re-exports, dynamic imports and import types, across lines", () => {
    const source = `
import { a } from "one";
import type { B } from "two";
import {
  c,
  d,
} from "three";
import "four";
export { e } from "five";
export * from "six";
export type { F } from "seven";
const g = await import("eight");
const h = () => import(\`nine\`);
type I = import("ten").I;
const notAnImport = "import x from 'eleven'"; // import y from "twelve"
`;
    expect(scanImports(source).map((i) => [i.specifier, i.typeOnly])).toEqual([
      ["one", false],
      ["two", true],
      ["three", false],
      ["four", false],
      ["five", false],
      ["six", false],
      ["seven", true],
      ["eight", false],
      ["nine", false],
      ["ten", true],
    ]);
  });

  test("scans the project: src, plugins and the config, with their imports", () => {
    const files = project.map((f) => f.file);
    expect(files).toContain("src/index.ts");
    expect(files).toContain("plugins/index.ts");
    expect(files).toContain("gateway.config.ts");
    expect(project.find((f) => f.file === "src/http/app.ts")?.imports.map((i) => i.specifier)).toContain("elysia");
  });
});

describe("module boundaries (DESIGN §2)", () => {
  test("plugins/** import only src/index.ts or other files under plugins/", () => {
    const bad = violations(
      (file) => under(file, "plugins"),
      (f, i) => {
        const to = target(f, i.specifier);
        return to === undefined || (to !== "src/index.ts" && !under(to, "plugins"));
      },
    );
    expect(bad).toEqual([]);
  });

  test("src/pipeline, src/plugin and src/routing never import elysia, drizzle, bun or bun:*", () => {
    const bad = violations(
      (file) => under(file, "src/pipeline", "src/plugin", "src/routing"),
      (_f, i) =>
        isPackage(i.specifier, "elysia") ||
        isPackage(i.specifier, "drizzle-orm") ||
        i.specifier === "bun" ||
        i.specifier.startsWith("bun:"),
    );
    expect(bad).toEqual([]);
  });

  test("src/pipeline, src/plugin and src/routing import nothing from src/http or src/store", () => {
    const bad = violations(
      (file) => under(file, "src/pipeline", "src/plugin", "src/routing"),
      (f, i) => {
        const to = target(f, i.specifier);
        return to !== undefined && under(to, "src/http", "src/store");
      },
    );
    expect(bad).toEqual([]);
  });

  test("the config loader (src/config) never imports the config editor (src/config-editor)", () => {
    const bad = violations(
      (file) => under(file, "src/config"),
      (f, i) => {
        const to = target(f, i.specifier);
        return to !== undefined && under(to, "src/config-editor");
      },
    );
    expect(bad).toEqual([]);
  });

  test("only src/http/ imports elysia", () => {
    expect(
      violations(
        (file) => !under(file, "src/http"),
        (_f, i) => isPackage(i.specifier, "elysia"),
      ),
    ).toEqual([]);
  });

  test("only src/store/ imports drizzle", () => {
    expect(
      violations(
        (file) => !under(file, "src/store"),
        (_f, i) => isPackage(i.specifier, "drizzle-orm") || isPackage(i.specifier, "drizzle-kit"),
      ),
    ).toEqual([]);
  });

  test("the UI imports server code only as types", () => {
    const bad = violations(
      (file) => under(file, "ui"),
      (f, i) => {
        const to = target(f, i.specifier);
        return !i.typeOnly && to !== undefined && under(to, "src", "plugins");
      },
    );
    expect(bad).toEqual([]);
  });
});
