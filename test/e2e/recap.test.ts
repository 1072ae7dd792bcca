/**
 * The recap as a person meets it when a run succeeds but something still needs doing: a
 * slave joined that its master refuses. Status `joined` (cli.md), exit 0, but not green: the
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
  assert.match(r.stdout, /^ {2}next: run `safesquid-fleet allow -i \S+fleet\.yaml`$/m);
  const { report } = await f.json(["verify"]);
  assert.equal(report.nodes[0].syncRefused.fix, "allow");
});

test("join-slave --help says what the recap says for a slave the master refuses", async () => {
  const r = await runCli(["join-slave", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout.replace(/\s+/g, " "), /A slave the master refuses .* is joined, exit 0, but the recap says so: "! 2 joined, 2 need allow"/);
});
