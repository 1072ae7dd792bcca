/**
 * Imports run one way (docs/architecture.md "Layers"): a static scan of every `import ... from`,
 * `export ... from` and `import(...)` in src/, type-only imports included, against the allowed
 * layer graph below. A layer is a folder of src/ (or a top-level file: cli.ts, errors.ts,
 * version.ts); imports inside a layer are free. Packages that draw on the screen or the wire
 * are held to their layers too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Which layers each layer may import (besides itself). */
export const LAYERS: Record<string, readonly string[]> = {
  cli: ["commands", "report", "util", "errors", "version"],
  commands: ["fleet", "inventory", "report", "safesquid", "emulator", "util", "errors", "version"],
  report: ["fleet", "inventory", "safesquid", "util", "errors", "version"],
  fleet: ["inventory", "safesquid", "util", "errors", "version"],
  inventory: ["util", "errors"],
  safesquid: ["util", "errors"],
  emulator: ["safesquid", "util", "errors"],
  util: [],
  errors: [],
  version: ["util"],
};

/** Which layers may import each of these packages (the screen, the command line, the wire). */
const PACKAGES: Record<string, readonly string[]> = {
  got: ["safesquid"],
  commander: ["cli", "commands"],
  chalk: ["cli", "commands", "report"],
  ora: ["report"],
  "@inquirer/prompts": ["report"],
  "string-width": ["report"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The layer of a path under src/: its first folder, or the file's name without ".ts". */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split(/[\\/]/);
  return parts.length === 1 ? parts[0]!.replace(/\.[jt]s$/, "") : parts[0]!;
}

/** Every module specifier a source file names: static, re-exported and dynamic imports. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const m of code.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
    out.push((m[1] ?? m[2])!);
  }
  return out;
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    const allowed = LAYERS[from];
    const where = relative(SRC, file);
    if (!allowed) {
      found.push(`${where}: layer "${from}" is not in the layer graph (add it to LAYERS)`);
      continue;
    }
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (spec.startsWith(".")) {
        const to = layerOf(resolve(dirname(file), spec));
        if (to !== from && !allowed.includes(to)) found.push(`${where} imports ${spec}: ${from} may not import ${to}`);
      } else {
        const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        const users = PACKAGES[pkg];
        if (users && !users.includes(from)) found.push(`${where} imports ${pkg}: only ${users.join(", ")} may`);
      }
    }
  }
  return found;
}

test("imports run one way: every import in src/ follows the layer graph", () => {
  assert.deepEqual(violations(), []);
});

test("the scan sees every kind of import, type-only and dynamic ones included", () => {
  const text = [
    'import { a } from "../report/x.js";',
    'import type { B } from "../inventory/types.js";',
    'import {\n  c,\n  d,\n} from "./y.js";',
    'export { e } from "../fleet/z.js";',
    'export * from "../util/w.js";',
    'import "./side-effect.js";',
    'const m = await import("../emulator/lab.js");',
    '// import { no } from "../commented.js";',
  ].join("\n");
  assert.deepEqual(specifiers(text), ["../report/x.js", "../inventory/types.js", "./y.js", "../fleet/z.js", "../util/w.js", "./side-effect.js", "../emulator/lab.js"]);
});

test("every layer the graph allows is a layer that exists", () => {
  const present = new Set(sources(SRC).map(layerOf));
  for (const [from, tos] of Object.entries(LAYERS)) {
    assert.ok(present.has(from), `${from} is in LAYERS but not in src/`);
    for (const to of tos) assert.ok(present.has(to), `${from} -> ${to}: ${to} is not in src/`);
  }
});
