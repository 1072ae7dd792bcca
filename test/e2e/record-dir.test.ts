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

test("undo finds the records where the runs put them: the XDG state folder for a read-only working folder, or --record-dir", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const [slave] = f.lab.slaves;
  const cwd = folder(t, "safesquid-e2e-ro-");
  writeFileSync(join(cwd, ".safesquid-fleet"), "not a folder");
  const env = { XDG_STATE_HOME: folder(t, "safesquid-e2e-state-") };
  const runs = join(env.XDG_STATE_HOME, "safesquid-fleet", "runs");

  const joined = await f.json(["join-slave", "--yes"], { cwd, env });
  assert.equal(joined.r.code, 0, joined.r.stdout + joined.r.stderr);
  assert.ok(joined.report.runRecord.startsWith(runs + "/"), joined.report.runRecord);
  const list = await f.json(["undo", "--list"], { cwd, env });
  assert.equal(list.r.code, 0, list.r.stderr);
  assert.equal(list.report.recordDir, runs, "an absolute path: the folder is outside the working folder");
  assert.deepEqual(list.report.runs.map((r: any) => r.command), ["join-slave"]);
  const undo = await f.json(["undo", "--yes"], { cwd, env });
  assert.equal(undo.r.code, 0, undo.r.stdout + undo.r.stderr);
  assert.equal(undo.report.undone.runRecord, joined.report.runRecord);
  assert.deepEqual(undo.report.nodes.map((n: any) => `${n.name}:${n.status}`), [`${slave!.name}:restored`]);
  assert.equal(slave!.effectiveParams().get("MASTER_IP"), "", "stand-alone again, in effect");
  assert.ok(undo.report.runRecord.startsWith(runs + "/"), "the undo's own record goes beside it");

  // --record-dir: records there, and undo reads them there (not from the working folder).
  const mine = join(folder(t, "safesquid-e2e-records-"), "runs");
  const again = await f.json(["join-slave", "--yes", "--record-dir", mine]);
  assert.equal(again.r.code, 0, again.r.stdout + again.r.stderr);
  const listed = await f.json(["undo", "--list", "--record-dir", mine]);
  assert.equal(listed.report.recordDir, mine);
  assert.deepEqual(listed.report.runs.map((r: any) => r.command), ["join-slave"]);
  const none = await f.json(["undo", "--yes"], { env: { XDG_STATE_HOME: folder(t, "safesquid-e2e-state-") } });
  assert.equal(none.r.code, 2, "nothing in the working folder's records");
  assert.match(none.report.error.message, /no run records in \S+\.safesquid-fleet\/runs nor in \S+safesquid-fleet\/runs: nothing to undo/);
  assert.match(none.report.error.hint, /--record-dir/);
  const back = await f.json(["undo", "--yes", "--record-dir", mine]);
  assert.equal(back.r.code, 0, back.r.stdout + back.r.stderr);
  assert.equal(back.report.nodes[0].status, "restored");
});
