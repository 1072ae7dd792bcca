/**
 * A developer's run without promtool: the tests that need it are skipped with a message that
 * says how to install it (and fail instead where SAFESQUID_TEST_REQUIRE=promtool, as in CI).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/cli.js";

function runWithoutPromtool(t: TestContext, env: NodeJS.ProcessEnv): string {
  // PATH holds node and nothing else, so promtool is not found; a run of its own, not a
  // subtest of this one (node:test passes NODE_TEST_CONTEXT to its children).
  const bin = mkdtempSync(join(tmpdir(), "ssf-nopromtool-"));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  symlinkSync(process.execPath, join(bin, "node"));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PATH: bin, SAFESQUID_TEST_REQUIRE: "", ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test-reporter=tap", join(ROOT, "test/report/monitoring.test.ts")], { cwd: ROOT, env: childEnv, encoding: "utf8" });
  return r.stdout + r.stderr;
}

test("without promtool the promtool checks are skipped, saying how to install it", (t) => {
  const out = runWithoutPromtool(t, {});
  assert.match(out, /# SKIP promtool is not installed: on Debian or Ubuntu `sudo apt-get install -y prometheus` brings it/);
  assert.match(out, /^# fail 0$/m);
});

test("where promtool is required (CI), its absence fails those tests", (t) => {
  const out = runWithoutPromtool(t, { SAFESQUID_TEST_REQUIRE: "promtool" });
  assert.match(out, /^not ok \d+ - prometheus: promtool check metrics passes/m);
});
