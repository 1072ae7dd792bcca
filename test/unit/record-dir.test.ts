/**
 * Where run records go (src/fleet/record-dir.ts), in-process with real folders: the option and
 * the environment variable win (or stop the run when they cannot be written); a working folder
 * that cannot be written (EACCES: as root, the check runs with the privileges of "nobody",
 * since root writes anywhere) falls back to the XDG state folder and says why; nowhere to write
 * stops the run (exit 2) before any node is touched.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FleetError, exitCodeFor } from "../../src/errors.js";
import { chooseRecordDir, stateRecordDir } from "../../src/fleet/record-dir.js";

function dir(t: TestContext, mode = 0o755): string {
  const d = mkdtempSync(join(tmpdir(), "ssf-rec-"));
  chmodSync(d, mode);
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const NOBODY = 65534;

/** Runs `f` without root's privileges (as "nobody") when the test runs as root; as it is otherwise. */
function unprivileged<T>(f: () => T): T {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return f();
  process.setegid!(NOBODY);
  process.seteuid!(NOBODY);
  try {
    return f();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}

test("default: ./.safesquid-fleet/runs in the working folder", (t) => {
  const cwd = dir(t);
  const p = chooseRecordDir({ cwd, env: {} });
  assert.equal(p.dir, join(cwd, ".safesquid-fleet", "runs"));
  assert.equal(p.source, "working-folder");
});

test("a working folder that cannot be written (EACCES): the XDG state folder, saying why", (t) => {
  const cwd = dir(t, 0o555);
  const state = dir(t, 0o777);
  const p = unprivileged(() => chooseRecordDir({ cwd, env: { XDG_STATE_HOME: state } }));
  assert.equal(p.source, "state-home");
  assert.equal(p.dir, join(state, "safesquid-fleet", "runs"));
  assert.match(p.fallbackFrom!.why, /EACCES/);
  assert.equal(p.fallbackFrom!.dir, join(cwd, ".safesquid-fleet", "runs"));
});

test("XDG_STATE_HOME unset or relative: ~/.local/state/safesquid-fleet/runs", () => {
  assert.equal(stateRecordDir({}, "/home/ops"), "/home/ops/.local/state/safesquid-fleet/runs");
  assert.equal(stateRecordDir({ XDG_STATE_HOME: "rel/state" }, "/home/ops"), "/home/ops/.local/state/safesquid-fleet/runs");
  assert.equal(stateRecordDir({ XDG_STATE_HOME: "/var/lib/ops" }, "/home/ops"), "/var/lib/ops/safesquid-fleet/runs");
});

test("--record-dir and SAFESQUID_FLEET_RECORD_DIR win; one that cannot be written stops the run (exit 2)", (t) => {
  const cwd = dir(t);
  assert.equal(chooseRecordDir({ cwd, env: { SAFESQUID_FLEET_RECORD_DIR: "from-env" } }).dir, join(cwd, "from-env"));
  assert.equal(chooseRecordDir({ cwd, env: { SAFESQUID_FLEET_RECORD_DIR: "from-env" }, option: "from-flag" }).dir, join(cwd, "from-flag"));
  writeFileSync(join(cwd, "a-file"), "");
  assert.throws(
    () => chooseRecordDir({ cwd, env: {}, option: "a-file/runs" }),
    (e: unknown) => e instanceof FleetError && e.code === "NO_RECORD_DIR" && exitCodeFor(e.code) === 2 && /--record-dir/.test(e.message) && /nothing was touched/.test(e.message),
  );
});

test("nowhere to write: NO_RECORD_DIR naming both folders and the way out", (t) => {
  const cwd = dir(t, 0o555);
  const state = dir(t, 0o555);
  assert.throws(
    () => unprivileged(() => chooseRecordDir({ cwd, env: { XDG_STATE_HOME: state } })),
    (e: unknown) => e instanceof FleetError && e.code === "NO_RECORD_DIR" && e.message.includes(cwd) && e.message.includes(state) && /--record-dir/.test(e.hint ?? ""),
  );
});
