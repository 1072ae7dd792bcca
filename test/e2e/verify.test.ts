/**
 * verify end to end: excluded (NEVER_SYNC), pending right after a change on the master, then
 * in_sync once the slave has synced; out_of_sync for a slave whose sync the master denies;
 * sync.sections narrowing the report; JUnit output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin } from "../helpers/admin.js";
import { startFleet, type Fleet } from "../helpers/fleet.js";
import { nextSync } from "../helpers/lab.js";
import { parseXml, elements } from "../../src/safesquid/xml.js";

/** Changes the master's access section (a disabled row), as an administrator would. */
async function changeMaster(f: Fleet, comment: string): Promise<void> {
  const r = await admin(
    f.lab.master,
    `handler=configuration&section=access&subsection=allow&action=add&F0=FALSE&F1=${encodeURIComponent(comment)}&F2=FALSE&F3=&F4=&F5=&F6=10.99.0.1&F7=FALSE&F8=&F9=&F10_PROXY=on&F12=&F13=&F14=`,
  );
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.body, /<error/, "changed (the reply's shape is the dialect's)");
}

const statuses = (n: any) => Object.fromEntries(n.sections.map((s: any) => [s.name, s.status]));

test("excluded, pending then in_sync; out_of_sync while the master denies the slave's sync", async (t) => {
  // A long SYNCTIME on the slave: after a change on the master it stays behind until it syncs.
  const f = await startFleet(t, { slaves: 1, nodes: { "slave-1": { startupParams: { SYNCTIME: "60" } } } });
  const slave = f.lab.slaves[0]!;
  const applied = await f.json(["apply", "--yes", "--no-backup-to-cloud", "--wait", "20s"]);
  assert.equal(applied.r.code, 0, applied.r.stdout);

  await changeMaster(f, "changed by the test");
  const pending = await f.json(["verify"]);
  assert.equal(pending.r.code, 1, "pending is not in sync yet");
  const n = pending.report.nodes[0];
  assert.equal(statuses(n).cache, "excluded");
  assert.equal(statuses(n).profiles, "in_sync");
  const access = n.sections.find((s: any) => s.name === "access");
  if ((await admin(f.lab.master, { handler: "conf_xml" })).headers["last-modified"]) {
    assert.equal(n.status, "pending");
    assert.equal(access.status, "pending");
    assert.match(access.detail, /the master changed .* ago and the slave has not synchronized since \(sync interval 60s\)/);
  } else {
    // A master that sends no Last-Modified gives no time of its change: a sync that is due
    // cannot be told from a difference that will stay, and the tool does not guess.
    assert.equal(n.status, "out_of_sync");
    assert.equal(access.status, "out_of_sync");
    assert.match(access.detail, /the master gives no time of its last change/);
  }

  // The slave syncs at its restart; verify --wait sees it arrive.
  const waiting = f.json(["verify", "--wait", "30s"]);
  await slave.restart();
  const done = await waiting;
  assert.equal(done.r.code, 0, done.r.stdout);
  assert.equal(done.report.nodes[0].status, "in_sync");
  assert.equal(statuses(done.report.nodes[0]).access, "in_sync");

  // Now a deny row on the master matches the slave: the next change never arrives, and
  // verify says why, from the master's own rows (whatever the slave's log says of it).
  const deny = await admin(
    f.lab.master,
    `F0=TRUE&F1=quarantine&F2=FALSE&F3=&F4=&F5=&F6=${slave.host}&F7=FALSE&F8=&F9=&F12=&F13=&F14=&handler=configuration&section=access&subsection=deny&action=add`,
  );
  assert.doesNotMatch(deny.body, /<error/);
  await changeMaster(f, "second change");
  const failed = nextSync(slave, "failed");
  await slave.restart();
  await failed;
  const denied = await f.json(["verify"]);
  assert.equal(denied.r.code, 1);
  assert.equal(denied.report.nodes[0].status, "out_of_sync");
  assert.equal(statuses(denied.report.nodes[0]).access, "out_of_sync");
  assert.match(statuses(denied.report.nodes[0]).access && denied.report.nodes[0].sections.find((s: any) => s.name === "access").detail, /the master refuses the slave's sync: its deny id \d+ "quarantine" matches/);
  // (the sync outcome is what the slave's log shows: "failed" where it says so; none where the node sends no log history)
  assert.ok([undefined, "failed", "attempted"].includes(denied.report.nodes[0].sync?.outcome), JSON.stringify(denied.report.nodes[0].sync));
  assert.match(denied.report.nodes[0].warnings.join(" "), /refuses slave-1's sync \(by its access rows: its deny id \d+ "quarantine" matches .*\): narrow or remove that deny row/);
});

test("sync.sections narrows the report; -o junit has one testcase per slave and section", async (t) => {
  const f = await startFleet(t, { slaves: 2 }, (inv) => {
    inv.sync = { sections: ["access", "profiles", "cache"] };
  });
  await f.run(["apply", "--yes", "--no-backup-to-cloud"]);
  const v = await f.json(["verify", "--wait", "20s"]);
  assert.equal(v.r.code, 0, v.r.stdout);
  for (const n of v.report.nodes) assert.deepEqual(n.sections.map((s: any) => s.name), ["access", "profiles", "cache"]);
  const j = await f.run(["verify", "-o", "junit"]);
  assert.equal(j.code, 0);
  const root = parseXml(j.stdout);
  assert.equal(root.name, "testsuites");
  const cases = elements(root).flatMap((s) => elements(s)).filter((c) => c.name === "testcase");
  assert.equal(cases.length, 2 * (1 + 3), "per slave: one for the slave, one per section");
  assert.equal(cases.filter((c) => elements(c).some((x) => x.name === "skipped")).length, 2, "cache is skipped (excluded)");
});

test("verify of an unreachable slave reports it unreachable and still checks the others", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  await f.run(["apply", "--yes", "--no-backup-to-cloud"]);
  await f.lab.slaves[0]!.faults.refuseConnections();
  const v = await f.json(["verify"]);
  assert.equal(v.r.code, 1);
  assert.deepEqual(v.report.nodes.map((n: any) => n.status), ["unreachable", "in_sync"]);
  assert.equal(v.report.nodes[0].error.code, "UNREACHABLE");
});
