/**
 * The interactive paths of the built CLI in a real pseudo-terminal (a tmux pane of its own):
 * the restart confirmation listing the slaves (yes: joined; no: cancelled, exit 130, nothing
 * touched), the "Backup current configuration to cloud?" question, a spinner that animates
 * and is cleared, Ctrl-C at a question and during a run (exit 130, a clean terminal: no
 * spinner left, the cursor shown; the report says what was done; the run record holds the
 * previous values), a missing password asked with hidden input, CI set on a terminal (nothing
 * asked), and a terminal with 0 columns (ora's 100%-CPU trap: the run must finish).
 * Skipped, with a message, only where tmux is not installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pointerOf, startFleet, writeMarks } from "../helpers/fleet.js";
import { until } from "../helpers/lab.js";
import { oneReport, pane, paneReady, runRecords } from "./helpers.js";

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const SPINNER_LINE = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*$/m;


test("at a terminal: the restart question lists the slaves, yes then the backup question, a spinner that turns and is cleared; joined", async (t) => {
  if (!paneReady(t)) return;
  // A restart keeps each slave down long enough to watch the spinner turn.
  const f = await startFleet(t, { slaves: 2, restartDowntimeMs: 1500 });
  await f.run(["allow"]);
  const p = pane(t, ["join-slave", "-i", f.inventory], { cwd: f.dir, env: { NO_COLOR: "" } });
  const asked = await p.waitFor(/Restart 2 slaves now\? \(y\/N\)/);
  assert.match(asked, /These slaves will restart; proxy traffic through each stops while it restarts:\n {2}slave-1, slave-2\n/);
  assert.equal(f.lab.slaves[0]!.restarts, 0, "nothing restarted before the answer");
  p.keys("y", "Enter");
  await p.waitFor(/Backup current configuration to cloud\? \(y\/N\)/);
  p.keys("Enter"); // the default: no

  // The spinner turns: two different frames on screen while the slaves restart.
  const frames = new Set<string>();
  await until(() => {
    const m = SPINNER_LINE.exec(p.screen());
    if (m) frames.add(m[0][0]!);
    return frames.size >= 2;
  }, "two spinner frames", 60_000);

  assert.equal(await p.exitCode(), 0, p.screen());
  const screen = p.screen();
  assert.match(screen, /✔ Restart 2 slaves now\? Yes/);
  assert.match(screen, /✔ Backup current configuration to cloud\? No/);
  assert.match(screen, /slave-1 .*✓ joined/);
  assert.match(screen, /✓ 2 joined/);
  assert.doesNotMatch(screen, SPINNER, "the spinner was cleared");
  assert.ok(p.cursorVisible(), "the cursor is shown again");
  assert.ok(p.terminalRestored(), "the terminal's modes are as they were");
  assert.match(p.screen(true), /\u001b\[3\dm/, "colour on a terminal (NO_COLOR unset)");
  for (const s of f.lab.slaves) assert.equal(s.restarts, 1);
});

test("at a terminal: answering no cancels (exit 130), nothing touched", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 2 });
  const before = await writeMarks(f.lab);
  const p = pane(t, ["join-slave", "-i", f.inventory], { cwd: f.dir });
  await p.waitFor(/Restart 2 slaves now\? \(y\/N\)/);
  p.keys("n", "Enter");
  assert.equal(await p.exitCode(), 130);
  assert.match(p.screen(), /error: cancelled: no slave was restarted and nothing was changed\nTTY=restored\nEXIT=130/);
  assert.doesNotMatch(p.screen(true), /\u001b\[3\dm/, "NO_COLOR=1: no colour at a terminal either");
  assert.equal(await writeMarks(f.lab), before);
  assert.deepEqual(runRecords(f.dir), []);
});

test("at a terminal, -o json into a file: the questions on the terminal, the document alone in the file; backup yes backs up (apply)", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 1 });
  const out = join(f.dir, "report.json");
  const p = pane(t, ["apply", "-i", f.inventory, "-o", "json"], { cwd: f.dir, stdoutTo: out });
  await p.waitFor(/Restart 1 slave now\? \(y\/N\)/);
  p.keys("y", "Enter");
  await p.waitFor(/Backup current configuration to cloud\? \(y\/N\)/);
  p.keys("y", "Enter");
  assert.equal(await p.exitCode(), 0, p.screen());
  const text = readFileSync(out, "utf8");
  const doc = oneReport({ code: 0, signal: null, stdout: text, stderr: "" }, "apply -o json > report.json");
  assert.equal(doc.command, "apply");
  assert.doesNotMatch(text, /Restart|Backup/, "no question in the document");
  assert.doesNotMatch(p.screen(), SPINNER, "-o json: no spinner");
  const records = runRecords(f.dir);
  assert.ok(records[0]!.entries.some((e) => e.node === "slave-1" && e.action === "cloud-backup"), "backed up to cloud");
});

for (const at of ["the restart question", "the backup question"] as const) {
  test(`at a terminal: Ctrl-C at ${at} stops cleanly (exit 130, cursor shown), nothing touched`, async (t) => {
    if (!paneReady(t)) return;
    const f = await startFleet(t, { slaves: 1 });
    const before = await writeMarks(f.lab);
    const p = pane(t, ["join-slave", "-i", f.inventory], { cwd: f.dir });
    await p.waitFor(/Restart 1 slave now\? \(y\/N\)/);
    if (at === "the backup question") {
      p.keys("y", "Enter");
      await p.waitFor(/Backup current configuration to cloud\? \(y\/N\)/);
    }
    p.keys("C-c");
    assert.equal(await p.exitCode(), 130, p.screen());
    assert.match(p.screen(), /error: (stopped at a question \(Ctrl-C or input closed\); nothing more was done|interrupted.*)\n/);
    assert.ok(p.cursorVisible(), "the cursor is shown again");
    assert.ok(p.terminalRestored(), "echo and line editing are back (no raw mode left behind)");
    assert.equal(await writeMarks(f.lab), before, "nothing touched");
    assert.equal(await pointerOf(f.lab, f.lab.slaves[0]!), ":");
  });
}

test("at a terminal: Ctrl-C during the run: exit 130, the spinner cleared, each slave mid-change named with what was done; the run record has the previous values", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 2, restartDowntimeMs: 60_000 });
  const p = pane(t, ["join-slave", "-i", f.inventory, "--yes", "--no-backup-to-cloud"], { cwd: f.dir });
  await until(() => f.lab.slaves.every((s) => s.restarts >= 1), "both slaves restarting", 60_000);
  await p.waitFor(SPINNER_LINE);
  p.keys("C-c");
  assert.equal(await p.exitCode(), 130, p.screen());
  const screen = p.screen();
  assert.doesNotMatch(screen, SPINNER, "the spinner was cleared");
  assert.ok(p.cursorVisible(), "the cursor is shown again");
  assert.ok(p.terminalRestored(), "the terminal's modes are as they were");
  // The report fits the pane: no line wider than its 120 columns (the terminal would break it mid-word).
  const report = screen.slice(screen.indexOf("join-slave  ·"));
  assert.doesNotMatch(report, /[a-z]\n[a-z]/, `no line broken by the terminal:\n${report}`);
  assert.match(screen, /✗ interrupted before the run finished: 2 failed/);
  const unwrapped = screen.replace(/\n {11}/g, " ");
  for (const name of ["slave-1", "slave-2"]) {
    assert.match(unwrapped, new RegExp(`${name} +✗ failed: interrupted while restarting with MASTER_IP=\\S+, MASTER_PORT=\\d+; not observed after the interrupt`));
    assert.match(unwrapped, new RegExp(`next: run \`safesquid-fleet verify ${name} -i \\S+\` to see where it stands`));
  }
  assert.doesNotMatch(screen, /^interrupted: join-slave stopped/m, "stdout is the terminal: no second summary on stderr");
  assert.match(screen, /done: configuration saved, MASTER_IP \/ MASTER_PORT written \(read back\), restarted/);
  assert.match(screen, /run record \(previous values\): \.safesquid-fleet\/runs\//);
  const [record] = runRecords(f.dir);
  for (const name of ["slave-1", "slave-2"]) {
    assert.deepEqual(record!.entries.find((e) => e.node === name && e.action === "params-write")?.before, { MASTER_IP: "", MASTER_PORT: "" });
  }
});

test("at a terminal: a missing password is asked with hidden input, then the run goes on", async (t) => {
  if (!paneReady(t)) return;
  const password = "typed-Secret-9";
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password }, (inv) => {
    inv.defaults.credentials = { username: "fleet", passwordEnv: "SSF_PTY_TEST_PW" };
  });
  const p = pane(t, ["verify", "-i", f.inventory], { cwd: f.dir });
  await p.waitFor(/Password for fleet on master \(environment variable SSF_PTY_TEST_PW is not set\):/);
  p.keys("-l", password);
  p.keys("Enter");
  assert.equal(await p.exitCode(), 1, p.screen()); // not joined: 1, but the master and slave were read
  const screen = p.screen();
  assert.match(screen, /slave-1 .*not joined/);
  assert.ok(!screen.includes(password), "the password was not echoed");
  assert.ok(p.terminalRestored(), "echo is back after the hidden input");
});

test("at a terminal with CI set: nothing is asked, exit 2 naming the flags", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 1 });
  const p = pane(t, ["join-slave", "-i", f.inventory], { cwd: f.dir, env: { CI: "true" } });
  assert.equal(await p.exitCode(), 2, p.screen());
  const screen = p.screen();
  assert.doesNotMatch(screen, /\(y\/N\)/);
  assert.match(screen, /CI is set, so nothing is asked/);
  assert.match(screen, /--yes/);
  assert.equal(f.lab.slaves[0]!.restarts, 0);
  // No spinner in CI either: plain progress lines on the terminal.
  const v = pane(t, ["verify", "-i", f.inventory], { cwd: f.dir, env: { CI: "true" } });
  assert.equal(await v.exitCode(), 1, v.screen());
  assert.match(v.screen(), /^verify: reading the slaves$/m);
  assert.doesNotMatch(v.screen(), SPINNER);
});

test("a terminal with 0 columns: no spinner (ora would spin at 100% CPU), the run finishes", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 1 });
  const p = pane(t, ["join-slave", "-i", f.inventory, "--yes", "--no-backup-to-cloud"], { cwd: f.dir, before: "stty cols 0 rows 0" });
  assert.equal(await p.exitCode(120_000), 0, p.screen());
  const screen = p.screen();
  assert.match(screen, /join-slave: joining the slaves/, "plain progress lines instead");
  // Joined, but the master refuses it until allow runs: the recap is not green and says so.
  assert.match(screen, /! 1 joined, 1 needs allow/);
  assert.doesNotMatch(screen, SPINNER);
});
