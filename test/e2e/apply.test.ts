/**
 * The whole job from fresh nodes, end to end: the built CLI against a lab, node state
 * asserted through the admin endpoint. Then every second run is unchanged with no writes,
 * and dry runs write nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateAccess, rowMatches } from "../../src/safesquid/access.js";
import { accessOf, digestsOf, pointerOf, startFleet, writeMarks } from "../helpers/fleet.js";

test("allow, then join-slave, then verify from fresh nodes; second runs change nothing; dry runs write nothing", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const { lab } = f;
  const target = `${lab.master.host}:${lab.port}`;

  // A dry run first: it reads the live nodes and writes nothing.
  const fresh = await writeMarks(lab);
  const dry = await f.json(["apply", "--dry-run", "--detailed-exitcode"]);
  assert.equal(dry.r.code, 3, dry.r.stderr);
  assert.equal(dry.report.changes, true);
  assert.deepEqual(dry.report.nodes.map((n: any) => `${n.name}:${n.status}`), ["master:planned", "slave-1:planned", "slave-2:planned"]);
  assert.equal(dry.report.nodes[1].current.MASTER_IP, "");
  assert.equal(dry.report.nodes[1].planned.MASTER_IP, lab.master.host);
  assert.equal(dry.report.runRecord, undefined, "nothing written, no run record");
  assert.equal(await writeMarks(lab), fresh, "a dry run writes nothing");

  // allow: one row above the login row lets both slaves in.
  const allow = await f.json(["allow"]);
  assert.equal(allow.r.code, 0, allow.r.stderr);
  assert.equal(allow.report.nodes[0].status, "updated");
  const access = await accessOf(lab);
  const ours = access.allow.findIndex((r) => (r.values.add_user_groups ?? "").includes("PROXY_SLAVES"));
  const login = access.allow.findIndex((r) => r.values.pamauth === "TRUE" && lab.slaves.some((s) => rowMatches(r, { ip: s.host })));
  assert.ok(ours >= 0 && ours < login, "the slaves' row sits above the first login row that matches them");
  assert.equal(access.allow[ours]!.values.ip, lab.slaves.map((s) => s.host).join(","));
  assert.equal(access.allow[ours]!.values.access, "CONFIG");
  for (const s of lab.slaves) assert.equal(evaluateAccess(access, { ip: s.host }, () => false).kind, "allow");
  assert.ok(lab.master.folder.backups().length >= 1, "the master's document was saved (with a backup of the previous one)");

  // join-slave: both slaves restart with the new values in effect and sync.
  const join = await f.json(["join-slave", "--yes", "--no-backup-to-cloud"]);
  assert.equal(join.r.code, 0, join.r.stderr + join.r.stdout);
  assert.deepEqual(join.report.nodes.map((n: any) => `${n.name}:${n.status}`), ["slave-1:joined", "slave-2:joined"]);
  for (const s of lab.slaves) {
    assert.equal(await pointerOf(lab, s), target);
    assert.equal(s.effectiveParams().get("MASTER_IP"), lab.master.host, "in effect, not only written");
    assert.equal(s.restarts, 1);
  }

  // verify: every section in sync but the cache (NEVER_SYNC).
  const verify = await f.json(["verify", "--wait", "30s"]);
  assert.equal(verify.r.code, 0, verify.r.stdout);
  const master = await digestsOf(lab, lab.master);
  for (const n of verify.report.nodes) {
    assert.equal(n.status, "in_sync");
    assert.equal(n.joined, true);
    const cache = n.sections.find((s: any) => s.name === "cache");
    assert.equal(cache.status, "excluded");
    assert.ok(n.sections.filter((s: any) => s.status === "in_sync").length >= 10);
  }
  for (const s of lab.slaves) {
    const d = await digestsOf(lab, s);
    for (const [name, digest] of master) if (name !== "cache") assert.equal(d.get(name), digest, `${s.name} ${name}`);
  }

  // Every second run: unchanged, no writes at all.
  const before = await writeMarks(lab);
  const again = await f.json(["apply", "--yes", "--no-backup-to-cloud"]);
  assert.equal(again.r.code, 0, again.r.stdout);
  assert.equal(again.report.nodes[0].status, "unchanged");
  assert.deepEqual(again.report.phases[1].nodes.map((n: any) => n.status), ["unchanged", "unchanged"]);
  assert.equal(again.report.runRecord, undefined);
  const allowAgain = await f.json(["allow"]);
  assert.equal(allowAgain.report.nodes[0].status, "unchanged");
  assert.equal(allowAgain.report.nodes[0].row.writes, 0);
  const joinAgain = await f.json(["join-slave", "--dry-run", "--detailed-exitcode"]);
  assert.equal(joinAgain.r.code, 0, "nothing would change");
  assert.equal(await writeMarks(lab), before, "second runs write nothing");
});

test("npm run demo's path: apply in text mode on a pipe prints a readable report and no escape codes", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const r = await f.run(["apply", "--yes", "--no-backup-to-cloud"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /apply/);
  assert.match(r.stdout, /slave-1/);
  assert.match(r.stdout, /in sync/);
  assert.doesNotMatch(r.stdout + r.stderr, /\u001b\[/);
  assert.match(r.stdout, /run record/);
});
