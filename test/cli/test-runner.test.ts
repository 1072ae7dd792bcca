/**
 * `npm test` as a CI log or a pipe shows it (test/run.mjs): a compact report, not thousands of
 * TAP lines: a mark per test, every failure in full (its error and stack), the skipped tests
 * with their reasons, node's summary lines (`# tests N`, `# pass N`, `# fail N`), and the exit
 * code; `--tap` gives the TAP stream on stdout, `--tap=FILE` writes it to a file as well.
 * Runs test/fixtures/runner/sample.fixture.ts (one pass, one failure, one skip, a failing subtest).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/cli.js";
import { tempDir } from "./helpers.js";

const SAMPLE = "test/fixtures/runner/sample.fixture.ts";

function runTests(args: string[]): { code: number | null; stdout: string; stderr: string } {
  // NODE_TEST_CONTEXT would make the inner `node --test` report to this test run instead.
  const env: NodeJS.ProcessEnv = { ...process.env, SAFESQUID_TEST_DIALECTS: "vendor", NO_COLOR: "1" };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ["test/run.mjs", ...args], { cwd: ROOT, encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("on a pipe: a compact report, each failure in full, skips with reasons, the summary lines; exit 1", () => {
  const r = runTests([SAMPLE]);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /TAP version|^ok \d|^not ok \d/m, "no TAP");
  assert.match(r.stdout, /^\.Fs?F?s?/, "a mark per test first");
  assert.match(r.stdout, /\nFAIL test\/fixtures\/runner\/sample\.fixture\.ts sample fails\n {2}AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:[\s\S]*'left-value'[\s\S]*'right-value'[\s\S]*sample\.fixture\.ts:8/);
  assert.match(r.stdout, /\nFAIL test\/fixtures\/runner\/sample\.fixture\.ts sample parent > child fails\n {2}Error: the child's own message\n/);
  assert.match(r.stdout, /\nskipped \(1\):\n {2}test\/fixtures\/runner\/sample\.fixture\.ts sample is skipped \(the reason for skipping\)\n/);
  assert.match(r.stdout, /\n2 failed:\n {2}\S+ sample fails\n {2}\S+ sample parent > child fails\n/);
  for (const line of ["# tests 6", "# pass 2", "# fail 3", "# skipped 1"]) assert.ok(r.stdout.includes(`\n${line}\n`), line);
  assert.ok(r.stdout.split("\n").length < 60, `compact: ${r.stdout.split("\n").length} lines`);
  assert.match(r.stderr, /run-tests: dialect vendor: FAILED \(exit 1\)/);
});

test("--tap: the TAP stream on stdout; --tap=FILE: the compact report, and TAP in the file", (t) => {
  const tap = runTests(["--tap", SAMPLE]);
  assert.equal(tap.code, 1);
  assert.match(tap.stdout, /^TAP version 13\n/);
  assert.match(tap.stdout, /^not ok 2 - sample fails$/m);
  const dir = tempDir(t);
  const file = join(dir, "results.tap");
  const both = runTests([`--tap=${file}`, SAMPLE]);
  assert.equal(both.code, 1);
  assert.doesNotMatch(both.stdout, /TAP version/);
  assert.match(both.stdout, /\n# fail 3\n/);
  assert.ok(existsSync(file));
  assert.match(readFileSync(file, "utf8"), /^TAP version 13\n[\s\S]*^# fail 3$/m);
  const bad = runTests(["--taps"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown option --taps/);
});

test("npm ci warns about no install script: each dependency that has one is approved in package.json's allowScripts", () => {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean; version?: string }> };
  const allow = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
  const withScripts = Object.entries(lock.packages).filter(([path, p]) => path !== "" && p.hasInstallScript);
  assert.ok(withScripts.length > 0, "esbuild (through tsx) has one");
  for (const [path, p] of withScripts) {
    const name = path.replace(/^.*node_modules\//, "");
    const covered = allow[name] !== undefined || allow[`${name}@${p.version}`] !== undefined;
    assert.ok(covered, `${name}@${p.version} runs an install script that package.json's allowScripts does not list: review it, then \`npm install-scripts approve ${name}\` (or deny it)`);
  }
});
