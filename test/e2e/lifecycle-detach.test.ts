/**
 * `detach`, end to end: a slave made stand-alone (MASTER_IP / MASTER_PORT empty, read through
 * the admin endpoint; stand-alone in effect), `verify` then reports it `not_joined`, and with
 * `--prune-allow` the master's allow row no longer lists its address while the others stay.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessOf, pointerOf, startFleet } from "../helpers/fleet.js";
import { toolMarks } from "../helpers/node-state.js";

test("detach --prune-allow: the slave is stand-alone, verify reports it not_joined, the row no longer lists its address", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const { lab } = f;
  const [one, two] = lab.slaves;
  assert.equal((await f.json(["apply", "--yes", "--no-backup-to-cloud"])).r.code, 0);

  const marks = await toolMarks(lab);
  const dry = await f.json(["detach", "slave-2", "--prune-allow", "--dry-run", "--detailed-exitcode"]);
  assert.equal(dry.r.code, 3, dry.r.stdout);
  assert.deepEqual(dry.report.nodes.map((n: any) => `${n.name}:${n.status}`), ["master:planned", "slave-2:planned"]);
  assert.deepEqual(dry.report.nodes[0].row.after.ip, [one!.host]);
  assert.equal(await toolMarks(lab), marks, "a dry run writes nothing");

  const { r, report } = await f.json(["detach", "slave-2", "--prune-allow", "--yes"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(report.nodes.map((n: any) => `${n.name}:${n.status}`), ["master:updated", "slave-2:detached"]);
  assert.equal(await pointerOf(lab, two!), ":", "MASTER_IP / MASTER_PORT empty");
  assert.equal(two!.effectiveParams().get("MASTER_IP"), "", "stand-alone in effect");
  const row = (await accessOf(lab)).allow.find((x) => (x.values.add_user_groups ?? "").includes("PROXY_SLAVES"))!;
  assert.ok(!row.values.ip!.split(",").includes(two!.host), `the row no longer lists ${two!.host}: ${row.values.ip}`);
  assert.ok(row.values.ip!.split(",").includes(one!.host), "the other slave stays");

  const v = await f.json(["verify"]);
  assert.equal(v.r.code, 1);
  assert.deepEqual(v.report.nodes.map((n: any) => `${n.name}:${n.status}`), ["slave-1:in_sync", "slave-2:not_joined"]);

  const again = await f.json(["detach", "slave-2", "--prune-allow", "--yes"]);
  assert.equal(again.r.code, 0);
  assert.deepEqual(again.report.nodes.map((n: any) => n.status), ["unchanged", "unchanged"]);
  assert.equal(again.report.runRecord, undefined, "a second detach writes nothing");
});

test("detach of the last slave in the row removes the row (an empty ip would match every address)", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  assert.equal((await f.json(["apply", "--yes", "--no-backup-to-cloud"])).r.code, 0);
  const { r, report } = await f.json(["detach", "--prune-allow", "--yes"]);
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(report.nodes[0].row.moves, ["removed: no address left in it"]);
  const rows = (await accessOf(f.lab)).allow.filter((x) => (x.values.add_user_groups ?? "").includes("PROXY_SLAVES"));
  assert.ok(rows.every((x) => !(x.values.ip ?? "").includes(f.lab.slaves[0]!.host)), "no row lists the slave");
  assert.ok(rows.every((x) => (x.values.ip ?? "") !== ""), "no row with an empty ip is left");
});
