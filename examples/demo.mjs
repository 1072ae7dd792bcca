#!/usr/bin/env node
// `npm run demo`: the whole job against an emulated fleet on this machine, start to finish.
// Starts `safesquid-fleet lab` (a master and three slaves on loopback addresses, a free port),
// runs `apply` on it (allow, join-slave, verify --wait), runs `apply` again to show that a
// second run changes nothing, undoes the first apply from its run record (every node as before)
// and undoes the undo (the apply again), verifies, then stops the lab. Exit code: the first
// that failed, else 0.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/safesquid-fleet.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "safesquid-fleet-demo-"));
const inventory = join(dir, "fleet.yaml");
const say = (text) => process.stderr.write(`\n\x1b[1m» ${text}\x1b[0m\n`.replace(/\x1b\[[0-9;]*m/g, process.stderr.isTTY && !process.env.NO_COLOR ? "$&" : ""));

function run(args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "inherit", "inherit"], cwd: dir, ...opts });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

say("starting an emulated fleet: safesquid-fleet lab --slaves 3 --port 0 --write-inventory fleet.yaml");
const lab = spawn(process.execPath, [bin, "lab", "--slaves", "3", "--port", "0", "--write-inventory", inventory], { stdio: ["ignore", "ignore", "pipe"], cwd: dir });
let labErr = "";
lab.stderr.on("data", (d) => (labErr += d));
const labExit = new Promise((resolve) => lab.on("exit", (code) => resolve(code)));

let code = 1;
try {
  const deadline = Date.now() + 30_000;
  while (!existsSync(inventory)) {
    if (lab.exitCode !== null || Date.now() > deadline) throw new Error(`the lab did not start:\n${labErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stderr.write(labErr.split("\n").filter((l) => !/press Ctrl-C|^next:|^try:/.test(l)).join("\n") + "\n");

  say("what would change: safesquid-fleet apply -i fleet.yaml --dry-run");
  await run(["apply", "-i", inventory, "--dry-run"]);

  say("the whole job: safesquid-fleet apply -i fleet.yaml --yes   (--yes never backs up to the vendor's cloud)");
  code = await run(["apply", "-i", inventory, "--yes"]);

  say("again: a second run changes nothing");
  await run(["apply", "-i", inventory, "--yes", "--quiet"]);

  say("the runs that changed something: safesquid-fleet undo --list");
  await run(["undo", "--list"]);
  say("undo the apply (slaves stand-alone again, the master's allow row as before): safesquid-fleet undo -i fleet.yaml --yes");
  const undo = await run(["undo", "-i", inventory, "--yes", "--quiet"]);
  say("undo the undo (the apply again): safesquid-fleet undo -i fleet.yaml --yes");
  const redo = await run(["undo", "-i", inventory, "--yes", "--quiet"]);
  const verify = await run(["verify", "-i", inventory, "--wait", "30s", "--quiet"]);
  code = [code, undo, redo, verify].find((c) => c !== 0) ?? 0;
  say(code === 0 ? "done: every slave joined and in sync (exit code 0)" : `the demo exited with ${code}`);
} catch (e) {
  process.stderr.write(`demo: ${e.message}\n`);
} finally {
  lab.kill("SIGTERM");
  await labExit;
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = code;
