/**
 * The bin shim in a checkout that was never built (no dist/bundle/): one line saying to run
 * `npm run build`, exit 2, no stack trace from Node's module loader.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT } from "../helpers/cli.js";

test("an unbuilt checkout: one line naming npm run build, exit 2", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ssf-unbuilt-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "bin"));
  copyFileSync(BIN, join(dir, "bin", "safesquid-fleet.js"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  const r = spawnSync(process.execPath, [join(dir, "bin", "safesquid-fleet.js"), "--version"], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, `safesquid-fleet is not built here (no dist/bundle/): run npm run build in ${dir}\n`);
});
