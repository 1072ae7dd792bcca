/**
 * Synchronization under the dialects (docs/emulator.md "Dialects", point 4, and a slave of
 * either dialect syncing from a master of either): the vendor dialect writes the [chosen]
 * failure and no-change lines, alt writes neither (only the real :80 and :104 lines); a slave
 * reads a master that sends no Last-Modified (never asks If-Modified-Since) and takes its
 * 200 "Access Denied" page for a failed attempt.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { allowAddresses } from "../helpers/admin.js";
import { nextSync, randomBase, startTestLab, startTestNode } from "../helpers/lab.js";
import type { Dialect } from "../../src/emulator/dialect.js";

const CHOSEN = /config_sync:(90|96) /;

test("4. vendor: the failure and no-change lines; alt: neither, while the attempts fail and then succeed all the same", async (t) => {
  for (const dialect of ["vendor", "alt"] as const) {
    const lab = await startTestLab(t, { slaves: 1, joinSlaves: true, dialect });
    const slave = lab.slaves[0]!;
    assert.equal((await nextSync(slave, "failed")).reason, "407 Proxy Authentication Required", dialect);
    await allowAddresses(lab.master, [slave.host]);
    const synced = await nextSync(slave, "synced");
    assert.ok(synced.sections!.includes("access"), dialect);
    await slave.waitForLog(/sync: config_sync:104 synchronized section: access$/);
    const lines = slave.log.lines();
    assert.ok(lines.some((l) => /sync: config_sync:80 synchronizing with /.test(l)), dialect);
    if (dialect === "vendor") {
      await nextSync(slave, "unchanged");
      assert.ok(lines.some((l) => /config_sync:90 failed to synchronize with .*: 407 Proxy Authentication Required$/.test(l)), "vendor: the failure line");
      await slave.waitForLog(/config_sync:96 no changes on .* since the last synchronization$/);
    } else {
      await nextSync(slave, "synced"); // no Last-Modified from an alt master: every attempt fetches the whole document
      assert.deepEqual(slave.log.lines().filter((l) => CHOSEN.test(l)), [], "alt: no chosen line at all");
    }
  }
});

/** A master and a slave started apart, each in its own dialect; the slave allowed on the master unless `denied`. */
async function pair(t: TestContext, master: Dialect, slave: Dialect) {
  const m = await startTestNode(t, { name: "master", dialect: master, capture: true });
  const slaveHost = randomBase();
  await allowAddresses(m, [slaveHost]);
  const s = await startTestNode(t, { name: "slave", host: slaveHost, dialect: slave, files: { startupParams: { MASTER_IP: m.host, MASTER_PORT: String(m.port), SYNCTIME: "0.2" } } });
  return { m, s };
}

test("a slave of an alt master: no If-Modified-Since (none to send), a 200 Access Denied page is a failed attempt", async (t) => {
  const { m, s } = await pair(t, "alt", "vendor");
  await nextSync(s, "synced");
  await nextSync(s, "synced");
  const fetches = m.captured.filter((r) => r.remote === s.host);
  assert.ok(fetches.length >= 2);
  assert.ok(fetches.every((r) => r.headers["if-modified-since"] === undefined), "never If-Modified-Since");
  m.faults.denySyncFrom(s.host);
  const failed = await nextSync(s, "failed");
  assert.match(failed.reason!, /^an HTML page instead of the document \(403 Access Denied\)$/);
  await s.waitForLog(/config_sync:90 failed to synchronize with .*: an HTML page instead of the document/);
  m.faults.denySyncFrom();
  await nextSync(s, "synced");
});

test("an alt slave of a vendor master: If-Modified-Since after a success, unchanged attempts, and no chosen line", async (t) => {
  const { m, s } = await pair(t, "vendor", "alt");
  await nextSync(s, "synced");
  await nextSync(s, "unchanged");
  assert.ok(m.captured.some((r) => r.remote === s.host && r.headers["if-modified-since"] !== undefined));
  m.faults.denySyncFrom(s.host);
  assert.equal((await nextSync(s, "failed")).reason, "403 Forbidden");
  assert.deepEqual(s.log.lines().filter((l) => CHOSEN.test(l)), []);
});
