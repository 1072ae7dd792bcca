/**
 * CI never waits (cli.md "Questions"): with stdin closed, with stdin an open pipe that never
 * sends anything, and with CI set, a join-slave or apply that would ask fails fast with exit 2,
 * names every flag that answers the questions (--yes, --backup-to-cloud / --no-backup-to-cloud,
 * --no-restart), in text and in -o json (a NEEDS_INPUT envelope), and touches nothing on the
 * nodes (asserted through the lab: no restarts, parameters, documents and saves unchanged).
 * The flags then run it unattended. The generous process deadline only stops a hung run.
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
      for (const flag of ["--yes", "--no-restart", "--backup-to-cloud", "--no-backup-to-cloud"]) assert.ok(text.stderr.includes(flag), `${mode}: names ${flag}\n${text.stderr}`);

      const json = await f.run([command, "-o", "json"], { ...o, timeoutMs: 60_000 });
      const doc = envelope(json, "NEEDS_INPUT", 2, `${mode} -o json`);
      assert.equal(doc.command, command);
      assert.match(doc.error.hint, /--yes.*--no-backup-to-cloud/);
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

test("--yes alone answers the cloud-backup question yes: each slave is backed up before its restart", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const r = await f.run(["join-slave", "--yes", "-o", "json"], { stdin: "open", env: { CI: "1" }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const n = JSON.parse(r.stdout).nodes[0];
  assert.ok(n.steps.some((s: string) => /backed up to cloud/.test(s)), JSON.stringify(n.steps));
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
