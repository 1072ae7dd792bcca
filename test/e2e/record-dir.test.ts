/**
 * Where run records go, on the built CLI against a lab: a working folder that cannot hold them
 * (here `.safesquid-fleet` is a file, which fails for root too; the EACCES case is in
 * test/unit/record-dir.test.ts) sends them to the XDG state folder, saying so, and the run
 * joins its slaves; nowhere to write stops the run before any node is touched (exit 2);
 * --record-dir and SAFESQUID_FLEET_RECORD_DIR choose the folder.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFleet, writeMarks } from "../helpers/fleet.js";

function folder(t: { after: (f: () => void) => void }, prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test("a working folder that cannot hold run records: they go to the XDG state folder, the run says so, and the slaves join", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const cwd = folder(t, "safesquid-e2e-ro-");
  writeFileSync(join(cwd, ".safesquid-fleet"), "not a folder");
  const state = folder(t, "safesquid-e2e-state-");
  const r = await f.json(["apply", "--yes", "--no-backup-to-cloud"], { cwd, env: { XDG_STATE_HOME: state } });
  assert.equal(r.r.code, 0, r.r.stdout + r.r.stderr);
  const runs = join(state, "safesquid-fleet", "runs");
  assert.match(r.r.stderr, new RegExp(`warning: the working folder cannot hold run records \\(ENOTDIR[^)]*\\): they go to ${runs.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  assert.equal(r.report.runRecord.startsWith(runs + "/"), true, r.report.runRecord);
  assert.ok(existsSync(r.report.runRecord));
  assert.deepEqual(readdirSync(runs).filter((n) => n.endsWith(".lock")), [], "the lock, beside the records, is released");
  assert.doesNotMatch(r.r.stdout + r.r.stderr, /this is a bug|ENOENT/);
});

test("nowhere to write run records: exit 2 before any node is touched, naming --record-dir", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const cwd = folder(t, "safesquid-e2e-ro-");
  writeFileSync(join(cwd, ".safesquid-fleet"), "not a folder");
  const blocked = folder(t, "safesquid-e2e-state-");
  writeFileSync(join(blocked, "safesquid-fleet"), "not a folder either");
  const before = await writeMarks(f.lab);
  const r = await f.json(["join-slave", "--yes", "--no-backup-to-cloud"], { cwd, env: { XDG_STATE_HOME: blocked } });
  assert.equal(r.r.code, 2, r.r.stdout + r.r.stderr);
  assert.equal(r.report.error.code, "NO_RECORD_DIR");
  assert.match(r.report.error.hint, /--record-dir DIR/);
  assert.equal(await writeMarks(f.lab), before, "nothing touched");
});

test("--record-dir and SAFESQUID_FLEET_RECORD_DIR choose the folder; verify and dry runs write none", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const mine = folder(t, "safesquid-e2e-records-");
  const flag = await f.json(["allow", "--record-dir", join(mine, "by-flag")]);
  assert.equal(flag.r.code, 0, flag.r.stderr);
  assert.equal(readdirSync(join(mine, "by-flag")).filter((n) => n.endsWith(".jsonl")).length, 1);
  const env = await f.json(["join-slave", "--yes", "--no-backup-to-cloud"], { env: { SAFESQUID_FLEET_RECORD_DIR: join(mine, "by-env") } });
  assert.equal(env.r.code, 0, env.r.stderr);
  assert.equal(readdirSync(join(mine, "by-env")).filter((n) => n.endsWith(".jsonl")).length, 1);
  assert.ok(env.report.runRecord.startsWith(join(mine, "by-env")));
  // Read-only runs neither need nor create the folder.
  const cwd = folder(t, "safesquid-e2e-ro-");
  writeFileSync(join(cwd, ".safesquid-fleet"), "not a folder");
  assert.equal((await f.json(["verify"], { cwd })).r.code, 0);
  assert.equal((await f.json(["allow", "--dry-run"], { cwd })).r.code, 0);
});
