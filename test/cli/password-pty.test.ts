/**
 * The password question in a real pseudo-terminal (a tmux pane of its own), through the one
 * prompt adapter (src/report/ask.ts): no colour with NO_COLOR, a masked answer, and Ctrl-C at
 * it is a clean stop (exit 130, nothing contacted, the terminal restored). The inventory's
 * nodes are never reached: the question comes before any node is touched. Skipped, with a
 * message, only where tmux is not installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { HAVE_TMUX, offlineInventory, pane } from "./helpers.js";
import { assertBuilt } from "../helpers/cli.js";

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
