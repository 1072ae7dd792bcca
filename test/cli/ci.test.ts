/**
 * CI never waits (docs/output.md "Questions"): with stdin closed, with stdin an open pipe that never
 * sends anything, and with CI set, a join-slave or apply that would ask fails fast with exit 2,
 * names every flag that answers the questions (--yes, --no-restart, --backup-to-cloud, and that
 * --yes alone means no cloud backup), in text and in -o json (a NEEDS_INPUT envelope), and
 * touches nothing on the nodes (asserted through the lab: no restarts, parameters, documents
 * and saves unchanged). The flags then run it unattended. --yes never sends a configuration
 * off the network: without a terminal, only --backup-to-cloud calls cloud_backup (asserted at
 * the emulated node's socket). The generous process deadline only stops a hung run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CliOptions } from "../helpers/cli.js";
import { pointerOf, startFleet, writeMarks } from "../helpers/fleet.js";
import { assertNoEscapes, envelope, runRecords } from "./helpers.js";

const MODES: [string, CliOptions][] = [
  ["stdin closed", { stdin: "closed", env: { CI: undefined } }],
  ["stdin an open pipe that never sends anything", { stdin: "open", env: { CI: undefined } }],
  ["CI=1 (stdin open)", { stdin: "open", env: { CI: "1" } }],
  ["CI=true (stdin closed)", { stdin: "closed", env: { CI: "true" } }],
];

for (const command of ["join-slave", "apply"] as const) {
  test(`${command} without an answer to its questions: exit 2 at once in every non-interactive mode, flags named, nothing touched`, async (t) => {
    const f = await startFleet(t, { slaves: 2 });
    const before = await writeMarks(f.lab);
    for (const [mode, o] of MODES) {
      const text = await f.run([command], { ...o, timeoutMs: 60_000 });
      assert.equal(text.signal, null, `${mode}: it ended by itself (it did not wait for input)`);
      assert.equal(text.code, 2, `${mode}: ${text.stderr}`);
      assert.equal(text.stdout, "", mode);
      assertNoEscapes(text, mode);
      assert.match(text.stderr, new RegExp(`^error: ${command} needs to restart 2 slaves \\(slave-1, slave-2\\) and would ask first, but `, "m"), mode);
      assert.match(text.stderr, o.env?.CI ? /CI is set, so nothing is asked/ : /there is no terminal to ask on/, mode);
      for (const flag of ["--yes", "--no-restart", "--backup-to-cloud", "--yes alone means no cloud backup"]) assert.ok(text.stderr.includes(flag), `${mode}: names ${flag}\n${text.stderr}`);

      const json = await f.run([command, "-o", "json"], { ...o, timeoutMs: 60_000 });
      const doc = envelope(json, "NEEDS_INPUT", 2, `${mode} -o json`);
      assert.equal(doc.command, command);
      assert.match(doc.error.hint, /--yes.*\(--yes alone means no cloud backup: add --backup-to-cloud for one\)/);
    }
    // With the backup question answered, the restart one is still named.
    const half = await f.run([command, "--no-backup-to-cloud"], { stdin: "open", timeoutMs: 60_000 });
    assert.equal(half.code, 2);
    assert.match(half.stderr, /pass --yes/);
    assert.doesNotMatch(half.stderr, /--backup-to-cloud or/, "no need to name the flag already given");

    assert.equal(await writeMarks(f.lab), before, "nothing was written, saved or restarted");
    for (const s of f.lab.slaves) {
      assert.equal(s.restarts, 0);
      assert.equal(await pointerOf(f.lab, s), ":", `${s.name}: MASTER_IP / MASTER_PORT unchanged`);
    }
    assert.deepEqual(runRecords(f.dir), [], "no run record: nothing was about to be written");

    // The flags answer every question: the same run, unattended, with stdin open and CI set.
    const run = await f.run([command, "--yes", "--no-backup-to-cloud", "-o", "json"], { stdin: "open", env: { CI: "1" }, timeoutMs: 120_000 });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const s of f.lab.slaves) assert.equal(s.restarts, 1, `${s.name} restarted once`);
  });
}

test("--no-restart asks nothing: it runs without a terminal (written and saved, restart pending)", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const r = await f.run(["join-slave", "--no-restart", "--no-backup-to-cloud", "-o", "json"], { stdin: "open", timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).nodes[0].status, "skipped");
  assert.equal(f.lab.slaves[0]!.restarts, 0);
});

test("--yes alone never calls cloud_backup without a terminal; --backup-to-cloud does (seen at the emulated node)", async (t) => {
  const f = await startFleet(t, { slaves: MODES.length + 1, capture: true });
  const backedUp = (): string[] => f.lab.slaves.filter((s) => s.captured.some((c) => c.params.some(([k, v]) => k === "handler" && v === "cloud_backup"))).map((s) => s.name);
  for (const [i, [mode, o]] of MODES.entries()) {
    const slave = f.lab.slaves[i]!;
    const r = await f.run(["join-slave", slave.name, "--yes", "-o", "json"], { ...o, timeoutMs: 60_000 });
    assert.equal(r.code, 0, `${mode}: ${r.stdout}${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).nodes[0].status, "joined", mode);
    assert.equal(slave.restarts, 1, `${mode}: ${slave.name} was joined (restarted)`);
    assert.deepEqual(backedUp(), [], `${mode}: no cloud_backup request reached any slave`);
    assert.doesNotMatch(slave.log.lines().join("\n"), /backed up to cloud/, mode);
  }
  const last = f.lab.slaves.at(-1)!;
  const withBackup = await f.run(["join-slave", last.name, "--yes", "--backup-to-cloud", "-o", "json"], { stdin: "open", env: { CI: "1" }, timeoutMs: 60_000 });
  assert.equal(withBackup.code, 0, withBackup.stdout + withBackup.stderr);
  assert.deepEqual(backedUp(), [last.name], "--backup-to-cloud backs up");
  assert.ok(JSON.parse(withBackup.stdout).nodes[0].steps.some((s: string) => /backed up to cloud/.test(s)));
});

test("a missing password is never asked for without a terminal, also with stdin open: exit 2, the variable named", async (t) => {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: "pw-never-asked" }, (inv) => {
    inv.defaults.credentials = { username: "fleet", passwordEnv: "SSF_CI_TEST_PW" };
  });
  const before = await writeMarks(f.lab);
  for (const [mode, o] of MODES) {
    const r = await f.run(["apply", "--yes", "--no-backup-to-cloud"], { ...o, env: { ...o.env, SSF_CI_TEST_PW: undefined }, timeoutMs: 60_000 });
    assert.equal(r.code, 2, `${mode}: ${r.stderr}`);
    assert.match(r.stderr, /SSF_CI_TEST_PW is not set/, mode);
    assert.doesNotMatch(r.stderr, /Password for/, `${mode}: no question`);
  }
  assert.equal(await writeMarks(f.lab), before);
});
