/**
 * The recap as a person meets it when a run succeeds but something still needs doing: a
 * slave joined that its master refuses. Status `joined` (as the README says), exit 0, but not green: the
 * recap counts the warnings and names the one command to run, as pasteable as printed (the
 * `-i FILE` the user typed); `-o json` says the same as data (`syncRefused`). Once allow has
 * run, the same command is green again.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../helpers/cli.js";
import { startFleet } from "../helpers/fleet.js";
import { assertNoEscapes, oneReport } from "../cli/helpers.js";

const JOIN = ["join-slave", "--yes", "--no-backup-to-cloud"];

test("joined but refused by the master: '! 2 joined, 2 need allow (2 warnings)', the command to run with -i as typed, exit 0; json has syncRefused", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  // As a user types it, in the inventory's folder: `-i fleet.yaml`, through a pipe.
  const r = await runCli([...JOIN, "-i", "fleet.yaml"], { cwd: f.dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assertNoEscapes(r, "join-slave | cat");
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines.at(-2)!, /^! 2 joined, 2 need allow \(2 warnings\) {2}· {2}\S+$/, r.stdout);
  assert.equal(lines.at(-1), "  next: run `safesquid-fleet allow -i fleet.yaml`");
  assert.doesNotMatch(r.stdout, /✓ 2 joined/, "not green while the master refuses both slaves");

  // A second run leaves them unchanged, and still says what they need.
  const again = await runCli([...JOIN, "-i", "fleet.yaml", "-o", "json"], { cwd: f.dir });
  const doc = oneReport(again, "join-slave -o json, again");
  assert.equal(again.code, 0);
  for (const n of doc.nodes) {
    assert.equal(n.status, "unchanged");
    assert.deepEqual(n.syncRefused, { fix: "allow", command: "safesquid-fleet allow -i fleet.yaml" });
    assert.match(n.warnings.join(" "), /the master refuses/);
  }

  // allow lets them in: the recap is green and names nothing more to do.
  await f.run(["allow"]);
  const done = await f.json(["verify", "--wait", "30s"]);
  assert.equal(done.r.code, 0, done.r.stdout);
  const after = await runCli([...JOIN, "-i", "fleet.yaml"], { cwd: f.dir });
  assert.equal(after.code, 0);
  assert.match(after.stdout, /^✓ 2 unchanged {2}· {2}\S+\n$/m);
  assert.doesNotMatch(after.stdout, /next:|Warnings|need allow/);
});

test("verify of refused slaves: the recap counts them with the fix, and json carries syncRefused per slave", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  await f.run(JOIN);
  const r = await f.run(["verify"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^✗ 1 out of sync, 1 needs allow {2}· /m);
  // The next step is the slave's own line under "Needs attention", said once: not again in the recap.
  assert.match(r.stdout.replace(/\n {11}/g, " "), /\n {2}slave-1 .* next: run `safesquid-fleet allow -i \S+fleet\.yaml`/);
  assert.doesNotMatch(r.stdout, /^ {2}next:/m);
  assert.doesNotMatch(r.stdout, /^Warnings/m, "its warning is its reason under Needs attention, not said again");
  const { report } = await f.json(["verify"]);
  assert.equal(report.nodes[0].syncRefused.fix, "allow");
});

test("join-slave --help says what the recap says for a slave the master refuses", async () => {
  const r = await runCli(["join-slave", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout.replace(/\s+/g, " "), /A slave the master refuses .* is joined, exit 0, but the recap says so: "! 2 joined, 2 need allow"/);
});

/** How many times `needle` is printed, across both streams, lines joined again where the report wrapped them. */
function times(r: { stdout: string; stderr: string }, needle: string): number {
  const text = (r.stdout + "\n" + r.stderr).replace(/\n +/g, " ");
  return text.split(needle).length - 1;
}

test("each thing said once: a master that refuses connections, a wrong password, in apply's text report", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  await f.lab.master.faults.refuseConnections();
  const r = await f.run(["apply", "--yes", "--no-backup-to-cloud"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(times(r, "refused the connection"), 1, `said once:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^ {2}join-slave: skipped: the master is not ready \(see allow\)$/m);
  assert.doesNotMatch(r.stdout, /^Warnings/m, "the slaves not started do not repeat the master's error");
  const { report } = await f.json(["apply", "--yes", "--no-backup-to-cloud"]);
  assert.deepEqual(report.nodes.map((n: any) => n.status), ["failed", "skipped", "skipped"], "json still lists every node");
  assert.match(report.nodes[0].error.message, /refused the connection/);

  await f.lab.master.faults.acceptConnections();
  const g = await startFleet(t, { slaves: 2, requireLogin: true, password: "right-one" }, (inv) => {
    inv.defaults.credentials = { username: "fleet", passwordEnv: "SSF_RECAP_PW" };
  });
  const wrong = await g.run(["apply", "--yes", "--no-backup-to-cloud"], { env: { SSF_RECAP_PW: "not-it" } });
  assert.notEqual(wrong.code, 0);
  assert.equal(times(wrong, "rejected the tool's credentials"), 1, `said once:\n${wrong.stdout}\n${wrong.stderr}`);
});

test("verify of slaves not joined: the reason and the fix once per slave, under Needs attention only", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const r = await runCli(["verify", "-i", "fleet.yaml"], { cwd: f.dir });
  assert.equal(r.code, 1);
  const flat = r.stdout.replace(/\n {11}/g, " ");
  for (const name of ["slave-1", "slave-2"]) {
    assert.equal(times(r, `join-slave ${name}`), 1, r.stdout);
    assert.match(flat, new RegExp(`${name} +✗ not joined: its MASTER_IP:MASTER_PORT is empty:empty, not this master's \\S+`));
    assert.match(flat, new RegExp(`next: run \`safesquid-fleet join-slave ${name} -i fleet.yaml\``));
  }
  assert.doesNotMatch(r.stdout, /^Warnings/m);
  const { report } = await f.json(["verify"]);
  assert.match(report.nodes[0].warnings[0], /join-slave slave-1/, "json keeps each node's warnings");
});
