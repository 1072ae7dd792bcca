/** Where the vendor reference files are found: beside the checkout or a folder above it, or the variable's folder. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturesAbove } from "../helpers/fixtures.js";

test("fixturesAbove: shared/fixtures beside the checkout, or beside a folder above it (a worktree)", (t) => {
  const root = mkdtempSync(join(tmpdir(), "ssf-fixtures-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, "shared", "fixtures"), { recursive: true });
  mkdirSync(join(root, "main"));
  mkdirSync(join(root, "wt", "mine"), { recursive: true });
  assert.equal(fixturesAbove(join(root, "main")), join(root, "shared", "fixtures"));
  assert.equal(fixturesAbove(join(root, "wt", "mine")), join(root, "shared", "fixtures"));
  assert.equal(fixturesAbove(join(root, "wt", "mine") + "/"), join(root, "shared", "fixtures"));
});
