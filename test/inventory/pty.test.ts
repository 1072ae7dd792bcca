/**
 * `inventory init` in a real pseudo-terminal (tmux): the questions appear, a refused answer
 * shows why, the keys typed build a file that validates. Skipped, with a message, where tmux
 * is not installed. Needs the built CLI (`npm run build`).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadInventory } from "../../src/inventory/load.js";
import { assertBuilt } from "../helpers/cli.js";
import { tempDir } from "./helpers.js";

const BIN = fileURLToPath(new URL("../../bin/safesquid-fleet.js", import.meta.url));
const HAVE_TMUX = spawnSync("tmux", ["-V"]).status === 0;

/** A tmux server of our own (its own socket), running one command in a 120x40 pane. */
function pane(t: TestContext, name: string, command: string): { keys: (...k: string[]) => void; screen: () => string; waitFor: (re: RegExp) => Promise<string> } {
  const socket = `ssf-inv-${process.pid}-${name}`;
  const tmux = (...args: string[]): string => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "40", command);
  t.after(() => spawnSync("tmux", ["-L", socket, "kill-server"]));
  const screen = (): string => tmux("capture-pane", "-p", "-t", "t");
  return {
    keys: (...k) => void tmux("send-keys", "-t", "t", ...k),
    screen,
    // Polls the screen until the text appears (a deadline, not a timing assertion).
    waitFor: async (re) => {
      for (let i = 0; i < 300; i++) {
        const s = screen();
        if (re.test(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`${re} never appeared; the screen:\n${screen()}`);
    },
  };
}

const run = (dir: string, file: string): string =>
  `cd ${JSON.stringify(dir)} && env -u CI NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inventory init -i ${file}; echo EXIT=$?; sleep 120`;

test("inventory init in a real terminal: type the answers, get a file that validates", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal test needs it");
  assertBuilt();
  const dir = tempDir(t);
  const p = pane(t, "init", run(dir, "fleet.yaml"));
  await p.waitFor(/\? Master address \(IP address or host name\):/);
  p.keys("10.0.0.0/24", "Enter");
  await p.waitFor(/"10\.0\.0\.0\/24" is a network \(CIDR\), not a host/);
  p.keys("C-u");
  p.keys("10.0.0.10", "Enter");
  await p.waitFor(/\? Master proxy port:/);
  p.keys("Enter");
  await p.waitFor(/\? Master name \(for reports\):/);
  p.keys("hq", "Enter");
  await p.waitFor(/\? Do the slaves reach the master at 10\.0\.0\.10, port 8080\?/);
  p.keys("Enter");
  await p.waitFor(/\? How do you want to enter the slaves\?/);
  p.keys("Enter");
  await p.waitFor(/\? Slave 1 address/);
  p.keys("10.0.1.11", "Enter");
  await p.waitFor(/\? Slave 1 name:/);
  p.keys("pune-1", "Enter");
  await p.waitFor(/\? Slave 2 address \(IP address or host name; empty to finish\):/);
  p.keys("Enter");
  await p.waitFor(/\? Do the nodes ask the tool for a login/);
  p.keys("y", "Enter");
  await p.waitFor(/\? User name the tool logs in with:/);
  p.keys("Enter");
  await p.waitFor(/\? Where will the password come from\?/);
  p.keys("Enter");
  await p.waitFor(/\? Name of the environment variable/);
  p.keys("FLEET_PW", "Enter");
  const screen = await p.waitFor(/EXIT=\d+/);
  assert.match(screen, /wrote fleet\.yaml: 1 master, 1 slave\nnext: safesquid-fleet inventory validate -i fleet\.yaml\nEXIT=0/);
  const r = await loadInventory(join(dir, "fleet.yaml"));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.inventory!.slaves.map((s) => [s.name, s.host]), [["pune-1", "10.0.1.11"]]);
  assert.deepEqual(r.inventory!.master.credentials?.password, { kind: "env", name: "FLEET_PW" });
});

test("inventory init in a real terminal: an existing file is kept when the user presses Enter (No)", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal test needs it");
  const dir = tempDir(t);
  writeFileSync(join(dir, "fleet.yaml"), "keep me\n");
  const p = pane(t, "keep", run(dir, "fleet.yaml"));
  await p.waitFor(/\? fleet\.yaml already exists\. Overwrite it\? \(y\/N\)/);
  p.keys("Enter");
  const screen = await p.waitFor(/EXIT=\d+/);
  assert.match(screen, /left fleet\.yaml as it was; nothing written\nEXIT=0/);
  assert.equal(readFileSync(join(dir, "fleet.yaml"), "utf8"), "keep me\n");
});

test("inventory init in a real terminal: Ctrl-C at a question cancels cleanly (exit 130), nothing written", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal test needs it");
  const dir = tempDir(t);
  const p = pane(t, "cancel", run(dir, "fleet.yaml"));
  await p.waitFor(/\? Master address/);
  p.keys("C-c");
  const screen = await p.waitFor(/EXIT=\d+/);
  assert.match(screen, /error: cancelled; nothing was written\nEXIT=130/);
  assert.equal(existsSync(join(dir, "fleet.yaml")), false);
});

test("inventory init in a real terminal: a pasted list says every bad line at once, and takes HOST PORT lines", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal test needs it");
  const dir = tempDir(t);
  // The "editor": the first time it writes a list with two bad lines, the second time a good one.
  const editor = join(dir, "editor.sh");
  writeFileSync(
    editor,
    `#!/bin/sh\nif [ -e ${JSON.stringify(join(dir, "once"))} ]; then printf '10.0.1.11 3128\\npune-2 10.0.1.12\\n' > "$1"; else touch ${JSON.stringify(join(dir, "once"))}; printf '10.0.1.11 3128\\nb 10.0.1.0/24\\npune-2 10.0.1.12\\nc 10.0.1.13 99999\\n' > "$1"; fi\n`,
    { mode: 0o755 },
  );
  const command = `cd ${JSON.stringify(dir)} && env -u CI NO_COLOR=1 EDITOR=${JSON.stringify(editor)} VISUAL=${JSON.stringify(editor)} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inventory init -i fleet.yaml; echo EXIT=$?; sleep 120`;
  const p = pane(t, "paste", command);
  await p.waitFor(/\? Master address \(IP address or host name\):/);
  p.keys("10.0.0.10", "Enter");
  await p.waitFor(/\? Master proxy port:/);
  p.keys("Enter");
  await p.waitFor(/\? Master name \(for reports\):/);
  p.keys("hq", "Enter");
  await p.waitFor(/\? Do the slaves reach the master/);
  p.keys("Enter");
  await p.waitFor(/\? How do you want to enter the slaves\?/);
  p.keys("Down", "Enter");
  await p.waitFor(/\? Slaves \(your editor opens/);
  p.keys("Enter");
  const refused = await p.waitFor(/line 4: a port is a whole number/);
  assert.match(refused, /2 problems:\s+line 2: "10\.0\.1\.0\/24" is a network \(CIDR\), not a host\s+line 4: a port is a whole number from 1 to 65535/);
  p.keys("Enter");
  await p.waitFor(/\? Do the nodes ask the tool for a login/);
  p.keys("Enter");
  const screen = await p.waitFor(/EXIT=\d+/);
  assert.match(screen, /wrote fleet\.yaml: 1 master, 2 slaves\n/);
  const r = await loadInventory(join(dir, "fleet.yaml"));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.inventory!.slaves.map((s) => [s.name, s.host, s.port]), [["slave-1", "10.0.1.11", 3128], ["pune-2", "10.0.1.12", 8080]]);
});
