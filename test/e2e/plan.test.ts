/**
 * The plan shows what matters: `join-slave --dry-run` and `apply --dry-run` name the slaves
 * the real run would restart (proxy traffic through each stops while it restarts) and say what
 * --yes would answer (not the cloud backup: its yes sends data off the network), on a pipe
 * (text) and in `-o json` (`plan`); at a terminal the backup is asked even with --yes.
 * Nothing is written by any of them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet, writeMarks } from "../helpers/fleet.js";
import { oneReport } from "../cli/helpers.js";

test("join-slave --dry-run on a pipe: which slaves restart, 2 at a time, and what --yes would answer", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const before = await writeMarks(f.lab);
  const r = await f.run(["join-slave", "--dry-run"]);
  assert.equal(r.code, 0, r.stderr);
  const text = r.stdout.replace(/\n {4}/g, " ");
  assert.match(text, /\nif run without --dry-run\n/);
  assert.match(text, /\n {2}- restarts 2 slaves, 2 at a time: slave-1, slave-2; proxy traffic through each stops while it restarts\n/);
  assert.match(text, /\n {2}- asks before the restarts on a terminal; without one \(or in CI\) it stops unless --yes is given\n/);
  assert.match(text, /\n {2}- cloud backup: none: without a terminal only --backup-to-cloud makes one \(--yes does not: its yes sends each slave's configuration off the network\)\n/);
  const yes = await f.run(["join-slave", "--dry-run", "--yes", "--concurrency", "1", "slave-2"]);
  const yesText = yes.stdout.replace(/\n {4}/g, " ");
  assert.match(yesText, /- restarts 1 slave, one at a time: slave-2; proxy traffic/);
  assert.match(yesText, /- the restarts are not asked about: --yes answers yes\n/);
  assert.match(yesText, /- cloud backup: none: without a terminal only --backup-to-cloud makes one/);
  const none = await f.run(["join-slave", "--dry-run", "--no-restart"]);
  assert.match(none.stdout.replace(/\n {4}/g, " "), /- no slave is restarted \(--no-restart\): the new MASTER_IP \/ MASTER_PORT are saved and take effect at each slave's next restart\n/);
  assert.equal(await writeMarks(f.lab), before, "dry runs write nothing");
});

test("apply --dry-run -o json: the plan names the restarts and how the questions are answered; a real run's report has no plan", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const r = await f.run(["apply", "--dry-run", "--yes", "--no-backup-to-cloud", "-o", "json"]);
  const doc = oneReport(r, "apply --dry-run");
  assert.deepEqual(doc.plan, { restart: ["slave-1", "slave-2"], concurrency: 2, noRestart: false, confirm: "yes", cloudBackup: "no", cloudBackupBy: "--no-backup-to-cloud" });
  const j = oneReport(await f.run(["join-slave", "--dry-run", "--backup-to-cloud", "-o", "json"]), "join-slave --dry-run");
  assert.deepEqual(j.plan, { restart: ["slave-1", "slave-2"], concurrency: 2, noRestart: false, confirm: "ask", cloudBackup: "yes", cloudBackupBy: "--backup-to-cloud" });
  const plain = oneReport(await f.run(["join-slave", "--dry-run", "--yes", "-o", "json"]), "join-slave --dry-run --yes");
  assert.deepEqual(plain.plan, { restart: ["slave-1", "slave-2"], concurrency: 2, noRestart: false, confirm: "yes", cloudBackup: "no" }, "--yes answers no backup question");
  const real = oneReport(await f.run(["apply", "--yes", "--no-backup-to-cloud", "--wait", "2m", "-o", "json"]), "apply");
  assert.equal(real.plan, undefined);
  const again = oneReport(await f.run(["join-slave", "--dry-run", "-o", "json"]), "join-slave --dry-run after apply");
  assert.deepEqual(again.plan.restart, [], "joined slaves are not restarted again");
  const text = await f.run(["join-slave", "--dry-run"]);
  assert.match(text.stdout, /- no slave would be restarted\n/);
});
