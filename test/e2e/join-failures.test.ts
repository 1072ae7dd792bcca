/**
 * join-slave when things go wrong, end to end: each failing slave fails alone while the
 * others join, with the outcome the README names (failed, rolled_back, joined with a warning).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { pointerOf, startFleet } from "../helpers/fleet.js";

const JOIN = ["join-slave", "--yes", "--no-backup-to-cloud"];

test("a slave that never comes back after its restart fails alone; the other joins", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  await f.run(["allow"]);
  f.lab.slaves[1]!.faults.neverComeBack();
  const { r, report } = await f.json([...JOIN, "--restart-timeout", "2s"]);
  assert.equal(r.code, 1);
  const [one, two] = report.nodes;
  assert.equal(one.status, "joined");
  assert.equal(two.status, "failed");
  assert.match(two.error.message, /did not come back/);
  assert.match(two.error.message, /previous values .* run record/);
  assert.ok(report.runRecord, "the previous values are on disk");
});

test("a slave that comes back but cannot reach the master is rolled back: its previous values are in effect again", async (t) => {
  // The inventory advertises a port where nothing listens: the slave's sync is refused.
  const dead = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const f = await startFleet(t, { slaves: 1 }, (inv) => {
    inv.master.advertise = { ip: inv.master.host, port: dead };
  });
  const slave = f.lab.slaves[0]!;
  const { r, report } = await f.json(JOIN);
  assert.equal(r.code, 1, JSON.stringify(report));
  const n = report.nodes[0];
  assert.equal(n.status, "rolled_back", JSON.stringify(n));
  assert.equal(n.rollback.restored, true);
  assert.match(n.rollback.reason, /cannot reach the master .*connection refused/);
  assert.equal(slave.restarts, 2, "restarted with the new values, then with the previous ones");
  assert.equal(slave.effectiveParams().get("MASTER_IP"), "", "the previous (stand-alone) values are in effect");
  assert.equal(await pointerOf(f.lab, slave), ":");
});

test("a slave the master refuses is joined with a warning naming allow, and verify reports it", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const { r, report } = await f.json(JOIN);
  assert.equal(r.code, 0, "the vendor's order is join first, allow second: the run succeeds");
  const n = report.nodes[0];
  assert.equal(n.status, "joined");
  // Known from the master's own rows (its login row), or from the slave's log where it says 407.
  assert.match(n.warnings.join(" "), /refuses .*(407|asks \S+ for a login).*safesquid-fleet allow/);
  const v = await f.json(["verify"]);
  assert.equal(v.r.code, 1);
  assert.equal(v.report.nodes[0].status, "out_of_sync");
  assert.equal(v.report.nodes[0].joined, true);
  assert.match(v.report.nodes[0].warnings.join(" "), /safesquid-fleet allow/);
  // allow fixes it: the slave then syncs without another restart.
  await f.run(["allow"]);
  const after = await f.json(["verify", "--wait", "30s"]);
  assert.equal(after.r.code, 0, after.r.stdout);
  assert.equal(after.report.nodes[0].status, "in_sync");
  assert.equal(f.lab.slaves[0]!.restarts, 1);
});

test("a master that answers the slave's sync with 403 although its rows allow it: rolled back in both dialects, never 'needs allow'", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  assert.equal((await f.run(["allow"])).code, 0);
  const slave = f.lab.slaves[0]!;
  // Something the rows do not show refuses the slave (a fault of the emulated master): a node
  // may log why (the vendor dialect's hint line) or not (alt); the tool decides the same.
  f.lab.master.faults.denySyncFrom(slave.host);
  const { r, report } = await f.json(JOIN);
  assert.equal(r.code, 1, JSON.stringify(report));
  const n = report.nodes[0];
  assert.equal(n.status, "rolled_back", JSON.stringify(n));
  assert.equal(n.syncRefused, undefined, "allow would change nothing: the rows already allow it");
  assert.match(n.rollback.reason, /tried \d+ times to synchronize with the master at \S+ and took nothing/);
  assert.equal(slave.effectiveParams().get("MASTER_IP"), "", "the previous (stand-alone) values are in effect");
});

test("an unreachable slave fails alone; a slave with another activation key fails with a clear message", async (t) => {
  const f = await startFleet(t, { slaves: 3, nodes: { "slave-3": { activationKeyName: "SOMEONE-ELSES-KEY" } } });
  await f.run(["allow"]);
  await f.lab.slaves[1]!.faults.refuseConnections();
  const { r, report } = await f.json(JOIN);
  assert.equal(r.code, 1);
  assert.deepEqual(report.nodes.map((n: any) => n.status), ["joined", "failed", "failed"]);
  assert.equal(report.nodes[1].error.code, "UNREACHABLE");
  assert.match(report.nodes[1].error.message, /slave-2 .*refused the connection/);
  assert.equal(report.nodes[2].error.code, "LICENSE_MISMATCH");
  assert.match(report.nodes[2].error.message, /SOMEONE-ELSES-KEY/);
  assert.match(report.nodes[2].error.hint, /same product activation key/);
  assert.equal(f.lab.slaves[2]!.restarts, 0, "a mismatched slave is not touched");
});

test("--no-restart leaves the change written and pending; the next run restarts and joins", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  await f.run(["allow"]);
  const slave = f.lab.slaves[0]!;
  const first = await f.json([...JOIN, "--no-restart"]);
  assert.equal(first.r.code, 0);
  assert.equal(first.report.nodes[0].status, "skipped");
  assert.equal(first.report.nodes[0].pendingRestart, true);
  assert.equal(slave.restarts, 0);
  assert.equal(slave.effectiveParams().get("MASTER_IP"), "");
  const second = await f.json(JOIN);
  assert.equal(second.report.nodes[0].status, "joined", JSON.stringify(second.report.nodes[0]));
  assert.equal(slave.restarts, 1);
});
