/**
 * `npm pack` gives a package that installs into an empty folder and runs, with only what it
 * needs in it: the bundle bin/ runs (dist/bundle/, docs/architecture.md "Build"), the examples,
 * the README and docs/. The project's files are copied to a temporary folder first, so `prepack`
 * builds dist/ from scratch there (a stale or missing build in the working copy cannot hide, and the
 * working copy's dist/, which other tests are running, is never rewritten). The tarball is
 * installed with `npm install --prefer-offline` (the npm cache, the registry only for what it
 * lacks), then `npx safesquid-fleet --help`, `--version` and `lab` run from the install.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { ROOT } from "../helpers/cli.js";
import { randomBase, until } from "../helpers/lab.js";
import { tempDir } from "./helpers.js";

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; bin: Record<string, string> };
const NPM_ENV = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", NO_COLOR: "1" };

test("npm pack: only what the package needs; it installs into an empty folder and runs (--help, --version, lab)", { timeout: 170_000 }, async (t) => {
  // 1. A copy of the project's sources (node_modules linked, for the TypeScript compiler).
  const work = tempDir(t, "ssf-pack-src-");
  for (const f of ["package.json", "package-lock.json", "tsconfig.json", "README.md", "LICENSE", "src", "bin", "scripts", "docs", "examples"]) cpSync(join(ROOT, f), join(work, f), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"), "dir");
  const out = tempDir(t, "ssf-pack-out-");
  const packed = await run("npm", ["pack", "--json", "--pack-destination", out], { cwd: work, env: NPM_ENV, maxBuffer: 1 << 24 });
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  const files = info[0]!.files.map((f) => f.path).sort();
  const tgz = join(out, info[0]!.filename);
  assert.ok(existsSync(tgz));

  // 2. What is in it: the shim, the bundle, docs, examples, README, package.json; nothing else.
  for (const need of ["package.json", "README.md", "LICENSE", "bin/safesquid-fleet.js", "dist/bundle/boot.js", "dist/bundle/cli.js", "dist/bundle/package.json", "docs/architecture.md", "docs/commands.md", "examples/report.schema.json", "examples/inventory.schema.json", "examples/inventory.yaml"]) {
    assert.ok(files.includes(need), `${need} is in the package`);
  }
  // examples/monitoring/: the systemd units, alert rules and Icinga / Nagios definitions.
  const allowed = /^(package\.json|README\.md|LICENSE|bin\/safesquid-fleet\.js|dist\/bundle\/([^/]+\.js|package\.json)|docs\/[^/]+\.md|examples\/[^/]+\.(ya?ml|json|mjs)|examples\/monitoring\/[^/]+\.(ya?ml|conf|cfg|service|timer))$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), [], "nothing but the bundle, the shim, docs, examples, README");
  assert.deepEqual(files.filter((f) => /(^|\/)(test|src|bench|node_modules|\.safesquid-fleet|\.drafts|\.ci)\/|\.ts$|\.map$|\.tgz$/.test(f)), [], "no tests, sources, maps, run records or bench results");
  // Every bundle file is an output of this build (no stale output of an earlier one is shipped),
  // and every output is shipped: esbuild's account of the build says which files it wrote.
  const meta = JSON.parse(readFileSync(join(work, "dist/bundle/meta.json"), "utf8")) as { outputs: Record<string, unknown> };
  assert.deepEqual(files.filter((x) => x.startsWith("dist/")), Object.keys(meta.outputs).sort(), "the package's dist/ is exactly this build's bundle");
  assert.ok(files.some((f) => /^dist\/bundle\/lab-[A-Z0-9]+\.js$/.test(f)), "the lab's chunk is in the package");

  // 3. Install into an empty folder, as a user would.
  const home = tempDir(t, "ssf-pack-install-");
  await run("npm", ["init", "-y"], { cwd: home, env: NPM_ENV });
  await run("npm", ["install", tgz, "--prefer-offline", "--no-audit", "--no-fund", "--omit=dev"], { cwd: home, env: NPM_ENV, maxBuffer: 1 << 24 });
  const installed = join(home, "node_modules", pkg.name);
  assert.deepEqual(readdirSync(installed).sort(), ["LICENSE", "README.md", "bin", "dist", "docs", "examples", "package.json"]);

  // 4. It runs: npx finds the bin the package declares.
  const version = await run("npx", ["--no-install", "safesquid-fleet", "--version"], { cwd: home, env: NPM_ENV });
  assert.equal(version.stdout, `${pkg.version}\n`);
  const help = await run("npx", ["--no-install", "safesquid-fleet", "--help"], { cwd: home, env: NPM_ENV });
  assert.match(help.stdout, /^Usage: safesquid-fleet /);
  assert.match(help.stdout, /Examples:/);
  const labHelp = await run("npx", ["--no-install", "safesquid-fleet", "lab", "--help"], { cwd: home, env: NPM_ENV });
  assert.match(labHelp.stdout, /--write-inventory/);

  // 5. The lab starts from the installed package, answers, and stops cleanly on SIGTERM.
  const inventory = join(home, "lab.yaml");
  const bin = join(home, "node_modules", ".bin", "safesquid-fleet");
  const lab = spawn(bin, ["lab", "--slaves", "1", "--port", "0", "--base-address", randomBase(), "--write-inventory", inventory], { cwd: home, env: NPM_ENV, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  lab.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => lab.on("exit", (code) => r(code)));
  t.after(() => void lab.kill("SIGKILL"));
  await until(() => existsSync(inventory) && stderr.includes("Ctrl-C"), `the lab's inventory and summary; stderr so far:\n${stderr}`, 60_000);
  const doc = parse(readFileSync(inventory, "utf8")) as { slaves: unknown[] };
  assert.equal(doc.slaves.length, 1);
  const validate = await run(bin, ["inventory", "validate", "-i", inventory], { cwd: home, env: NPM_ENV });
  assert.match(validate.stdout, /valid, 1 master, 1 slave/);
  lab.kill("SIGTERM");
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /lab stopped/);
});
