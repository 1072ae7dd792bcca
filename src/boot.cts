/**
 * The bundle's first file (bin/safesquid-fleet.js loads dist/bundle/boot.js): on Node.js 20 it
 * keeps V8's compiled code of the bundle between runs, then it runs the CLI (dist/bundle/cli.js).
 * docs/architecture.md "Build" says why and how it is measured.
 *
 * Node.js 22.1 and newer keep compiled code themselves (the bin turns on
 * module.enableCompileCache()). Node.js 20 has no such cache and compiles the bundle's files at
 * every start, some 60 ms of a fleet command's. So here, on Node.js 20 only, each file of
 * dist/bundle/ is compiled with the code V8 made for it on an earlier run (vm.Script's
 * cachedData), and a file that had none, or whose code V8 refused, gets it written when the
 * process exits. Nothing about the cache is ever an error or printed: whatever fails, the file is
 * compiled as Node.js would.
 *
 * Where: $XDG_CACHE_HOME/safesquid-fleet/compile-cache (default ~/.cache/...), one folder per
 * build of the bundle and Node.js version; a folder of an older build is removed. Compiled code is
 * code, so a folder is used only when it and its parents up to safesquid-fleet/ belong to this
 * user and nobody else may write to them. NODE_DISABLE_COMPILE_CACHE=1 turns the cache off (as
 * it does Node.js 22's own), SAFESQUID_FLEET_NO_CACHE=1 every cache of the tool's.
 *
 * It also tells src/inventory/parse-cache.ts where this build keeps the inventories it checked.
 */
// A CommonJS file (it runs before, and then require()s, the CommonJS bundle): `import = require`.
import Module = require("node:module");
import vm = require("node:vm");
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");

const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = fs;
const { dirname, isAbsolute, join, sep } = path;

/** A hash of the bundle's files, set by scripts/bundle.mjs: a new build never reads an old build's code. */
declare const BUNDLE_BUILD_ID: string;

type Compile = (this: NodeJS.Module, content: string, filename: string) => unknown;
type ModuleInternals = typeof Module & { prototype: { _compile: Compile } };

/**
 * A folder under $XDG_CACHE_HOME/safesquid-fleet (default ~/.cache/safesquid-fleet), made if
 * needed; undefined when it, or a folder above it up to safesquid-fleet/, is not safely this
 * user's. Its siblings that `stale` names are removed (an older build's).
 */
function privateFolder(parts: string[], stale: (sibling: string) => boolean): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  const root = join(xdg && isAbsolute(xdg) ? xdg : join(os.homedir(), ".cache"), "safesquid-fleet");
  const levels = parts.map((_, i) => join(root, ...parts.slice(0, i + 1)));
  const dir = levels[levels.length - 1]!;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const d of [root, ...levels]) if (!ownedAndPrivate(d)) return undefined;
    const parent = dirname(dir);
    for (const other of readdirSync(parent)) if (join(parent, other) !== dir && stale(other)) rmSync(join(parent, other), { recursive: true, force: true });
    return dir;
  } catch {
    return undefined;
  }
}

/** The compiled code's folder of this build and Node.js (another Node.js's stays: it may still run the tool). */
function compileCacheFolder(): string | undefined {
  const suffix = `-node${process.version}-${process.arch}`;
  return privateFolder(["compile-cache", BUNDLE_BUILD_ID + suffix], (other) => other.endsWith(suffix));
}

/** This user's, and writable by nobody else (group and others may not write). */
function ownedAndPrivate(path: string): boolean {
  const st = statSync(path);
  if (!st.isDirectory()) return false;
  if (typeof process.getuid === "function" && st.uid !== process.getuid()) return false;
  return (st.mode & 0o022) === 0;
}

/**
 * Compiles every file directly inside `bundleDir` with its cached code from `dir`, and writes
 * the code of the files that had none when the process exits.
 */
function installCompileCache(bundleDir: string, dir: string): void {
  const M = Module as ModuleInternals;
  const original = M.prototype._compile;
  const toWrite: { file: string; script: vm.Script }[] = [];
  const prefix = bundleDir.endsWith(sep) ? bundleDir : bundleDir + sep;
  M.prototype._compile = function compileWithCache(content, filename) {
    const name = filename.startsWith(prefix) ? filename.slice(prefix.length) : "";
    if (!name.endsWith(".js") || name.includes(sep)) return original.call(this, content, filename);
    const file = join(dir, `${name}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // none yet
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined || script.cachedDataRejected === true) toWrite.push({ file, script });
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
  process.once("exit", () => {
    for (const { file, script } of toWrite) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file);
      } catch {
        rmSync(tmp, { force: true });
      }
    }
  });
}

const noCache = process.env.SAFESQUID_FLEET_NO_CACHE === "1";
const hasOwnCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === "function";
if (!hasOwnCache && !noCache && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  const dir = compileCacheFolder();
  if (dir) installCompileCache(__dirname, dir);
}
// The folder of checked inventories (src/inventory/parse-cache.ts), made when first asked for.
let inventories: string | undefined | null = null;
(globalThis as Record<symbol, unknown>)[Symbol.for("safesquid-fleet.inventory-cache")] = () =>
  noCache ? undefined : inventories === null ? (inventories = privateFolder(["inventories", BUNDLE_BUILD_ID], () => true)) : inventories;
require("./cli.js");
