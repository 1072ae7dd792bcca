/**
 * The password question in a real pseudo-terminal (a tmux pane of its own), through the one
 * prompt adapter (src/report/ask.ts): no colour with NO_COLOR, a masked answer, and Ctrl-C at
 * it is a clean stop (exit 130, nothing contacted, the terminal restored). The inventory's
 * nodes are never reached: the question comes before any node is touched. Skipped, with a
 * message, only where tmux is not installed. A typed password a node refuses is asked again
 * (three tries in all); the last refusal stops the run with exit 2 and a hint about the typed
 * password, not about the inventory's password source.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { HAVE_TMUX, offlineInventory, pane } from "./helpers.js";
import { assertBuilt } from "../helpers/cli.js";
import { startFleet, writeMarks } from "../helpers/fleet.js";

const CREDENTIALS = "  credentials: {username: fleet, passwordEnv: SSF_PTY_UNSET_PW}\n";

test("at a terminal: the password question has no colour under NO_COLOR, masks the answer, and Ctrl-C stops cleanly", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal tests need it");
  assertBuilt();
  const inv = offlineInventory(t);
  writeFileSync(inv.file, readFileSync(inv.file, "utf8").replace("defaults:\n", `defaults:\n${CREDENTIALS}`));
  const p = pane(t, ["verify", "-i", inv.file], { cwd: inv.dir, env: { NO_COLOR: "1" } });
  await p.waitFor(/Password for fleet on hq \(environment variable SSF_PTY_UNSET_PW is not set\):/);
  p.keys("-l", "abc");
  await p.waitFor(/not set\): \*\*\*/);
  const coloured = p.screen(true).split("\n").filter((l) => l.includes("Password for"));
  assert.equal(coloured.length, 1);
  assert.doesNotMatch(coloured[0]!, /\u001b\[[0-9;]*m/, "no colour in the question");
  p.keys("C-c");
  assert.equal(await p.exitCode(), 130, p.screen());
  assert.doesNotMatch(p.screen(), /abc/, "the typed characters were never shown");
  assert.ok(p.terminalRestored(), "echo is back after the hidden input");
});

const RIGHT = "the-right-one";

/** A lab whose nodes make the tool log in, with an inventory whose password variable is unset: it is asked for. */
async function loginLab(t: import("node:test").TestContext) {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: RIGHT }, (inv) => {
    inv.defaults.credentials = { username: "fleet", passwordEnv: "SSF_PTY_UNSET_PW" };
  });
  return f;
}

test("at a terminal: a typed password the master refuses is asked again; three refusals stop the run with exit 2, and the hint speaks of the typed password", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal tests need it");
  assertBuilt();
  const f = await loginLab(t);
  const before = await writeMarks(f.lab);
  const p = pane(t, ["allow", "-i", f.inventory], { cwd: f.dir, cols: 80 });
  await p.waitFor(/Password for fleet on master \(environment variable SSF_PTY_UNSET_PW/);
  p.keys("-l", "wrong-1");
  p.keys("Enter");
  await p.waitFor(/Password for fleet on master \(not accepted; try 2 of 3\):/);
  p.keys("-l", "wrong-2");
  p.keys("Enter");
  await p.waitFor(/Password for fleet on master \(not accepted; try 3 of 3\):/);
  p.keys("-l", "wrong-3");
  p.keys("Enter");
  assert.equal(await p.exitCode(), 2, p.screen());
  const screen = p.screen();
  assert.match(screen, /rejected the tool's credentials/);
  assert.match(screen.replace(/\s+/g, " "), /the password typed at the question/);
  assert.doesNotMatch(screen, /password source in the inventory/);
  assert.doesNotMatch(screen, /wrong-\d/, "the typed characters were never shown");
  assert.ok(p.terminalRestored());
  assert.equal(await writeMarks(f.lab), before, "nothing written");
});

test("at a terminal: after a refused typed password, the right one typed again lets the run go on", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal tests need it");
  assertBuilt();
  const f = await loginLab(t);
  const p = pane(t, ["allow", "--dry-run", "-i", f.inventory], { cwd: f.dir, cols: 80 });
  await p.waitFor(/Password for fleet on master \(environment variable SSF_PTY_UNSET_PW/);
  p.keys("-l", "wrong-1");
  p.keys("Enter");
  await p.waitFor(/Password for fleet on master \(not accepted; try 2 of 3\):/);
  p.keys("-l", RIGHT);
  p.keys("Enter");
  const code = await p.exitCode();
  assert.notEqual(code, 2, p.screen());
  assert.doesNotMatch(p.screen(), /rejected the tool's credentials|try 3 of 3/);
});
