/**
 * The vendor's own policy documents (found by test/helpers/fixtures.ts) as the master's and the slaves'
 * documents: the whole job works on each, not only on the lab's document.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { VENDOR_DOCUMENTS, vendorFixture } from "../helpers/fixtures.js";
import { accessOf, startFleet } from "../helpers/fleet.js";

for (const rel of VENDOR_DOCUMENTS) {
  test(`apply with the vendor's ${rel} on master and slaves`, async (t) => {
    const doc = vendorFixture(t, rel);
    if (doc === undefined) return;
    const f = await startFleet(t, { slaves: 2, masterConfig: doc, slaveConfig: doc });
    const r = await f.json(["apply", "--yes", "--no-backup-to-cloud", "--wait", "30s"]);
    assert.equal(r.r.code, 0, r.r.stdout + r.r.stderr);
    const master = r.report.nodes[0];
    assert.ok(["updated", "unchanged"].includes(master.status));
    for (const n of r.report.nodes.slice(1)) {
      assert.equal(n.status, "in_sync", JSON.stringify(n.sections?.filter((s: any) => s.status !== "in_sync")));
      assert.equal(n.join.status, "joined");
    }
    const access = await accessOf(f.lab);
    const ours = access.allow.filter((a) => (a.values.add_user_groups ?? "").split(",").includes("PROXY_SLAVES"));
    assert.ok(ours.length >= 1);
    for (const s of f.lab.slaves) assert.ok(ours[0]!.values.ip!.split(",").includes(s.host));
    const again = await f.json(["apply", "--yes", "--no-backup-to-cloud"]);
    assert.equal(again.report.nodes[0].status, "unchanged");
  });
}

test("the vendor's default config: its own PROXY_SLAVES row is the one extended, its other addresses kept", async (t) => {
  const doc = vendorFixture(t, "safesquid-2023.1011/config.xml");
  if (doc === undefined) return;
  const f = await startFleet(t, { slaves: 1, masterConfig: doc });
  const r = await f.json(["allow"]);
  assert.equal(r.r.code, 0);
  assert.deepEqual(r.report.nodes[0].row.before.ip, ["192.168.2.116", "192.168.2.117"]);
  assert.deepEqual(r.report.nodes[0].row.after.ip, ["192.168.2.116", "192.168.2.117", f.lab.slaves[0]!.host]);
  assert.match(r.report.nodes[0].row.after.comment, /Other addresses kept: 192\.168\.2\.116, 192\.168\.2\.117/);
});
