/**
 * `restart`, end to end: a rolling restart, one slave at a time, each back and syncing with its
 * master before the next; it stops at a slave that does not come back (the rest are skipped,
 * never restarted), and `--keep-going` goes on past it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet } from "../helpers/fleet.js";
import { toolMarks } from "../helpers/node-state.js";

const RESTART = ["restart", "--yes", "--restart-timeout", "2s"];

test("restart stops the rollout at a slave that does not come back; the slaves after it are not restarted", async (t) => {
  const f = await startFleet(t, { slaves: 3, joinSlaves: true });
  assert.equal((await f.run(["allow"])).code, 0);
  const [one, two, three] = f.lab.slaves;
  const marks = await toolMarks(f.lab);
  const dry = await f.json(["restart", "--dry-run", "--detailed-exitcode"]);
  assert.equal(dry.r.code, 3);
  assert.deepEqual(dry.report.nodes.map((n: any) => n.status), ["planned", "planned", "planned"]);
  assert.equal(await toolMarks(f.lab), marks, "a dry run restarts nothing");

  two!.faults.neverComeBack();
  const { r, report } = await f.json(RESTART);
  assert.equal(r.code, 1, r.stdout);
  assert.deepEqual(report.nodes.map((n: any) => `${n.name}:${n.status}`), ["slave-1:restarted", "slave-2:failed", "slave-3:skipped"]);
  assert.match(report.nodes[0].steps.join(" "), /synchronizing with/, "slave-1 was seen syncing with its master again");
  assert.match(report.nodes[1].error.message, /did not come back/);
  assert.match(report.nodes[2].warnings.join(" "), /rollout stopped at slave-2.*--keep-going/);
  assert.equal(one!.restarts, 1);
  assert.equal(three!.restarts, 0, "not restarted after the rollout stopped");
});

test("restart --keep-going goes on past a slave that does not come back", async (t) => {
  const f = await startFleet(t, { slaves: 3, joinSlaves: true });
  assert.equal((await f.run(["allow"])).code, 0);
  f.lab.slaves[1]!.faults.neverComeBack();
  const { r, report } = await f.json([...RESTART, "--keep-going"]);
  assert.equal(r.code, 1);
  assert.deepEqual(report.nodes.map((n: any) => `${n.name}:${n.status}`), ["slave-1:restarted", "slave-2:failed", "slave-3:restarted"]);
  assert.equal(f.lab.slaves[2]!.restarts, 1);
  assert.ok(report.runRecord, "a record before the restarts");
});

test("restart takes the slaves join-slave --no-restart left pending: they come back joined and in sync", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  assert.equal((await f.run(["allow"])).code, 0);
  const join = await f.json(["join-slave", "--yes", "--no-backup-to-cloud", "--no-restart"]);
  assert.deepEqual(join.report.nodes.map((n: any) => n.status), ["skipped", "skipped"]);
  const { r, report } = await f.json(["restart", "--yes"]);
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(report.nodes.map((n: any) => n.status), ["restarted", "restarted"]);
  for (const s of f.lab.slaves) assert.equal(s.effectiveParams().get("MASTER_IP"), f.lab.master.host);
  const v = await f.json(["verify", "--wait", "30s"]);
  assert.equal(v.r.code, 0, v.r.stdout);
});
