/**
 * `undo`, end to end against a lab, node state read through the admin endpoint: an `apply`
 * undone leaves every node's startup parameters and the master's access section as before,
 * field by field; undoing the undo redoes it; a node changed since the run is refused
 * (nothing written to it) while the others are put back; `--force` puts it back anyway.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pointerOf, startFleet } from "../helpers/fleet.js";
import { accessValues, allParams, setParams, toolMarks } from "../helpers/node-state.js";

const YES = ["--yes", "--no-backup-to-cloud"];

test("apply then undo: every node's startup parameters and the master's access rows as before; a second undo redoes", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const { lab } = f;
  const params0 = await allParams(lab);
  const access0 = await accessValues(lab);

  const apply = await f.json(["apply", ...YES]);
  assert.equal(apply.r.code, 0, apply.r.stdout + apply.r.stderr);
  const params1 = await allParams(lab);
  const access1 = await accessValues(lab);
  assert.notDeepEqual(access1, access0, "apply changed the access rows");
  for (const s of lab.slaves) assert.equal(await pointerOf(lab, s), `${lab.master.host}:${lab.port}`);

  const list = await f.json(["undo", "--list"]);
  assert.equal(list.r.code, 0);
  assert.equal(list.report.runs.length, 1);
  assert.equal(list.report.runs[0].command, "apply");

  // A dry run reads, plans, writes nothing.
  const marks = await toolMarks(lab);
  const dry = await f.json(["undo", "--dry-run", "--detailed-exitcode"]);
  assert.equal(dry.r.code, 3, dry.r.stdout);
  assert.deepEqual(dry.report.nodes.map((n: any) => `${n.name}:${n.status}`).sort(), ["master:planned", "slave-1:planned", "slave-2:planned"]);
  assert.equal(await toolMarks(lab), marks);

  const undo = await f.json(["undo", "--yes"]);
  assert.equal(undo.r.code, 0, undo.r.stdout + undo.r.stderr);
  assert.deepEqual(undo.report.nodes.map((n: any) => `${n.name}:${n.status}`).sort(), ["master:restored", "slave-1:restored", "slave-2:restored"]);
  assert.equal(undo.report.undone.command, "apply");
  assert.deepEqual(await allParams(lab), params0, "every startup parameter of every node as before the apply");
  assert.deepEqual(await accessValues(lab), access0, "the master's access rows as before the apply, field by field");
  for (const s of lab.slaves) assert.equal(s.effectiveParams().get("MASTER_IP"), "", `${s.name}: stand-alone in effect (restarted)`);

  // The undo is a run of its own: undoing it redoes the apply.
  const redo = await f.json(["undo", "--yes"]);
  assert.equal(redo.r.code, 0, redo.r.stdout + redo.r.stderr);
  assert.equal(redo.report.undone.command, "undo");
  assert.deepEqual(await allParams(lab), params1, "every startup parameter as the apply left it");
  assert.deepEqual(await accessValues(lab), access1, "the access rows as the apply left them");
  const verify = await f.json(["verify", "--wait", "30s"]);
  assert.equal(verify.r.code, 0, verify.r.stdout);
  assert.deepEqual(verify.report.nodes.map((n: any) => n.status), ["in_sync", "in_sync"]);
  assert.equal(readdirSync(join(f.dir, ".safesquid-fleet", "runs")).length, 3, "apply, undo, redo: three run records");
});

test("undo refuses a node changed since the run (nothing written to it) and puts the others back; --force puts it back too", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const { lab } = f;
  const [one, two] = lab.slaves as [(typeof lab.slaves)[0], (typeof lab.slaves)[0]];
  const join = await f.json(["join-slave", ...YES]);
  assert.equal(join.r.code, 0, join.r.stdout);
  const run = join.report.runRecord as string;

  // Someone re-points slave-1 after the run.
  await setParams(lab, one, { MASTER_IP: "127.0.0.9", MASTER_PORT: "3128" });
  const before = { restarts: one.restarts, params: JSON.stringify(one.fileParams()), saves: one.folder.backups().length };

  const undo = await f.json(["undo", "--yes"]);
  assert.equal(undo.r.code, 1, undo.r.stdout);
  const byName = Object.fromEntries(undo.report.nodes.map((n: any) => [n.name, n]));
  assert.equal(byName["slave-1"].status, "conflict");
  assert.equal(byName["slave-1"].error.code, "CONFLICT");
  assert.match(byName["slave-1"].error.message, /127\.0\.0\.9:3128 now.*nothing was written/);
  assert.equal(byName["slave-2"].status, "restored");
  assert.deepEqual({ restarts: one.restarts, params: JSON.stringify(one.fileParams()), saves: one.folder.backups().length }, before, "nothing written to the changed node");
  assert.equal(await pointerOf(lab, one), "127.0.0.9:3128");
  assert.equal(await pointerOf(lab, two), ":");

  // --force, on the same run: the before-values go back anyway.
  const forced = await f.json(["undo", run, "--force", "--yes"]);
  assert.equal(forced.r.code, 0, forced.r.stdout);
  const again = Object.fromEntries(forced.report.nodes.map((n: any) => [n.name, n.status]));
  assert.deepEqual(again, { "slave-1": "restored", "slave-2": "unchanged" });
  assert.equal(await pointerOf(lab, one), ":");
});
