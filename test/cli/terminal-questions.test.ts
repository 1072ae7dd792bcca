/**
 * The questions as a person at a terminal meets them (a pseudo-terminal at 80 columns, tmux;
 * skipped, with a message, only where tmux is not installed):
 * - `allow` changes the master's access policy: it shows the change and asks first (no:
 *   cancelled, exit 130, the master untouched; yes: written, and the report shows the new row's
 *   id as the master gave it); --yes skips the question; without a terminal nothing is asked.
 * - `join-slave --yes` does not answer the cloud backup (its yes sends data off the network):
 *   the question is still asked; a dry run at the terminal says so, fitted to 80 columns.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { accessOf, startFleet, writeMarks } from "../helpers/fleet.js";
import { pane, paneReady, runRecords } from "./helpers.js";


test("allow at a terminal: the change is shown and asked about; no leaves the master as it was (exit 130)", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 2 });
  const before = await writeMarks(f.lab);
  const p = pane(t, ["allow", "-i", f.inventory], { cwd: f.dir, cols: 80 });
  const asked = await p.waitFor(/Change the master's access rows now\? \(y\/N\)/);
  const a = f.lab.slaves.map((s) => s.host);
  assert.match(asked, new RegExp(`allow will change the access rows of the master master \\(${f.lab.master.host.replace(/\./g, "\\.")}:\\d+\\):`));
  assert.match(asked.replace(/\n +/g, " "), new RegExp(`add an allow row at row \\d+: ${a.join(", ").replace(/\./g, "\\.")} may reach CONFIG without a login`));
  for (const line of asked.split("\n")) assert.ok(line.length < 80, `fits 80 columns without the terminal wrapping it: ${JSON.stringify(line)}`);
  p.keys("n", "Enter");
  assert.equal(await p.exitCode(), 130);
  assert.match(p.screen(), /error: cancelled: the access rows of the master master were not changed\n/);
  assert.equal(await writeMarks(f.lab), before, "nothing written, nothing saved");
});

test("allow at a terminal: yes writes the row; the report shows the id the master gave the new row", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 1 });
  const p = pane(t, ["allow", "-i", f.inventory], { cwd: f.dir, cols: 80 });
  await p.waitFor(/Change the master's access rows now\? \(y\/N\)/);
  p.keys("y", "Enter");
  assert.equal(await p.exitCode(), 0, p.screen());
  const row = (await accessOf(f.lab)).allow.find((r) => r.values.ip === f.lab.slaves[0]!.host)!;
  assert.ok(row, "the row is on the master");
  assert.match(p.screen(), new RegExp(`^ {2}~ id +- +${row.id}$`, "m"));
});

test("allow: --yes, or no terminal, asks nothing; the JSON report carries the new row's id; a dry run shows (new)", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const dry = await f.run(["allow", "--dry-run"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^ {2}~ id +- +\(new\)$/m, dry.stdout);
  const { r, report } = await f.json(["allow"]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /Change the master's access rows/);
  const row = (await accessOf(f.lab)).allow.find((x) => x.values.ip === f.lab.slaves[0]!.host)!;
  assert.equal(report.nodes[0].status, "updated");
  assert.equal(report.nodes[0].row.after.id, row.id);
});

test("join-slave --yes at a terminal: no restart question, but the cloud backup is still asked; a dry run says so in 80 columns", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 1 });
  const dry = pane(t, ["join-slave", "-i", f.inventory, "--dry-run", "--yes"], { cwd: f.dir, cols: 80 });
  assert.equal(await dry.exitCode(), 0, dry.screen());
  const plan = dry.screen();
  assert.match(plan.replace(/\n {4}/g, " "), /- restarts 1 slave, one at a time: slave-1; proxy traffic through each stops while it restarts\n/);
  assert.match(plan, /- the restarts are not asked about: --yes answers yes\n/);
  assert.match(plan.replace(/\n {4}/g, " "), /- cloud backup: asked on a terminal, also with --yes \(its yes sends each slave's configuration off the network\); --backup-to-cloud or --no-backup-to-cloud answers it\n/);
  for (const line of plan.split("\n")) assert.ok(line.length <= 80, `fits 80 columns: ${JSON.stringify(line)}`);

  const p = pane(t, ["join-slave", "-i", f.inventory, "--yes"], { cwd: f.dir, cols: 80 });
  await p.waitFor(/Backup current configuration to cloud\? \(y\/N\)/);
  assert.doesNotMatch(p.screen(), /Restart 1 slave now\?/, "--yes answered the restart question");
  p.keys("Enter"); // the default: no
  assert.equal(await p.exitCode(), 0, p.screen());
  // joined; the master (no allow row yet) refuses its sync, so the recap says what to run next
  assert.match(p.screen(), /! 1 joined, 1 needs allow/);
  assert.ok(!runRecords(f.dir).some((r) => r.entries.some((e) => e.action === "cloud-backup")), "no cloud backup");
});
