/**
 * The compile cache of Node.js 20 (src/boot.cts, docs/architecture.md "Build"): the built CLI
 * keeps V8's compiled code of its bundle in XDG_CACHE_HOME/safesquid-fleet/compile-cache, one
 * folder per build and Node.js version, private to the user; a cache V8 accepts is not written
 * again, a damaged one is replaced, an unsafe folder is not used, NODE_DISABLE_COMPILE_CACHE=1
 * turns it off, and nothing of it ever changes what the CLI prints. On Node.js 22.1 and newer
 * Node keeps the cache itself and this folder stays empty.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCli } from "../helpers/cli.js";

const nodeKeepsItsOwn = typeof (createRequire(import.meta.url)("node:module") as { enableCompileCache?: unknown }).enableCompileCache === "function";
const SUFFIX = `-node${process.version}-${process.arch}`;

function cacheHome(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "ssf-compile-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `--version` with this cache home; it must print the version whatever the cache holds. */
async function version(home: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const r = await runCli(["--version"], { env: { XDG_CACHE_HOME: home, NODE_COMPILE_CACHE: join(home, "node"), ...env } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(r.stderr, "");
}

/** The build's cache folder under `home`, if any. */
function buildFolder(home: string): string | undefined {
  const parent = join(home, "safesquid-fleet", "compile-cache");
  if (!existsSync(parent)) return undefined;
  const found = readdirSync(parent).filter((d) => d.endsWith(SUFFIX));
  assert.ok(found.length <= 1, `one folder of this build and Node.js: ${found.join(", ")}`);
  return found[0] === undefined ? undefined : join(parent, found[0]);
}

test("Node.js 20: the first run writes the compiled code of what it loaded, private; the second reads it and writes nothing", { skip: nodeKeepsItsOwn && "Node.js keeps its own compile cache here" }, async (t) => {
  const home = cacheHome(t);
  await version(home);
  const dir = buildFolder(home);
  assert.ok(dir, "a cache folder for this build");
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const files = readdirSync(dir).sort();
  assert.ok(files.includes("cli.js.v8") && files.includes("boot.js.v8") === false, `cli.js's code is kept (boot.js is compiled by Node itself): ${files.join(" ")}`);
  for (const f of files) {
    assert.match(f, /\.js\.v8$/, "nothing but compiled code (no temporary file left)");
    assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600);
  }
  const before = new Map(files.map((f) => [f, readFileSync(join(dir, f))]));
  const times = new Map(files.map((f) => [f, statSync(join(dir, f)).mtimeMs]));
  await version(home);
  // V8 accepted every file's code: a refused one would have been written again.
  for (const f of files) {
    assert.equal(statSync(join(dir, f)).mtimeMs, times.get(f), `${f} is not written again`);
    assert.deepEqual(readFileSync(join(dir, f)), before.get(f));
  }
});

test("Node.js 20: damaged compiled code is refused by V8 and replaced; the output is the same", { skip: nodeKeepsItsOwn && "Node.js keeps its own compile cache here" }, async (t) => {
  const home = cacheHome(t);
  await version(home);
  const dir = buildFolder(home)!;
  const file = join(dir, "cli.js.v8");
  const garbage = Buffer.alloc(statSync(file).size, 0x5a);
  writeFileSync(file, garbage);
  await version(home);
  assert.notDeepEqual(readFileSync(file), garbage, "the damaged file was replaced");
});

test("a cache folder others may write to is not used; an older build's folder is removed", { skip: nodeKeepsItsOwn && "Node.js keeps its own compile cache here" }, async (t) => {
  const home = cacheHome(t);
  const parent = join(home, "safesquid-fleet", "compile-cache");
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  chmodSync(join(home, "safesquid-fleet"), 0o777);
  await version(home);
  const dir = buildFolder(home);
  assert.deepEqual(dir ? readdirSync(dir) : [], [], "no compiled code written under a folder others may write to");

  chmodSync(join(home, "safesquid-fleet"), 0o700);
  const old = join(parent, `0000000000000000${SUFFIX}`);
  mkdirSync(old, { mode: 0o700 });
  writeFileSync(join(old, "cli.js.v8"), "old");
  const otherNode = join(parent, "0000000000000000-nodev0.0.0-x64");
  mkdirSync(otherNode, { mode: 0o700 });
  await version(home);
  assert.equal(existsSync(old), false, "the older build's folder is gone");
  assert.equal(existsSync(otherNode), true, "another Node.js's folder stays (that Node may still run the tool)");
  assert.ok(readdirSync(buildFolder(home)!).includes("cli.js.v8"));
});

test("NODE_DISABLE_COMPILE_CACHE=1 keeps nothing; on Node.js 22.1+ the tool's own folder is never made", async (t) => {
  const home = cacheHome(t);
  await version(home, { NODE_DISABLE_COMPILE_CACHE: "1" });
  assert.equal(existsSync(join(home, "safesquid-fleet")), false);
  if (nodeKeepsItsOwn) {
    await version(home);
    assert.equal(existsSync(join(home, "safesquid-fleet")), false, "Node.js's own cache is used instead");
  }
});

test("the built CLI keeps a valid inventory it checked and prints the same from it; SAFESQUID_FLEET_NO_CACHE=1 keeps nothing", async (t) => {
  const home = cacheHome(t);
  const env = { XDG_CACHE_HOME: home, NODE_COMPILE_CACHE: join(home, "node") };
  const example = join(ROOT, "examples", "inventory.yaml");
  const first = await runCli(["inventory", "validate", "-i", example, "-o", "json"], { env });
  assert.equal(first.code, 0, first.stderr);
  const parent = join(home, "safesquid-fleet", "inventories");
  const builds = readdirSync(parent);
  assert.equal(builds.length, 1, "one folder, this build's");
  assert.equal(statSync(join(parent, builds[0]!)).mode & 0o777, 0o700);
  assert.equal(readdirSync(join(parent, builds[0]!)).filter((n) => n.endsWith(".json")).length, 1, "the checked inventory is kept");
  const second = await runCli(["inventory", "validate", "-i", example, "-o", "json"], { env });
  assert.deepEqual([second.code, second.stdout, second.stderr], [first.code, first.stdout, first.stderr]);

  const off = cacheHome(t);
  const r = await runCli(["inventory", "validate", "-i", example], { env: { XDG_CACHE_HOME: off, NODE_COMPILE_CACHE: join(off, "node"), SAFESQUID_FLEET_NO_CACHE: "1" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(off, "safesquid-fleet")), false);
});
