/**
 * The README's commands, run as written: the first screen's two commands exist as scripts,
 * `npm run demo`'s script completes, and the five-minute tour works line by line against the
 * lab it starts, with the exit codes its comments promise. (`npm run demo` itself rebuilds
 * dist/, which would race the other test files, so its script is run after npm test's build.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, jsonOf, runCli } from "../helpers/cli.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");

test("the first screen gives the install+demo and the test commands, and both scripts exist", () => {
  const first = README.split("\n").slice(0, 15).join("\n");
  assert.match(first, /npm ci && npm run demo/);
  assert.match(first, /npm test/);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  assert.ok(pkg.scripts.demo.endsWith("node examples/demo.mjs"));
  assert.ok(pkg.scripts.test);
  assert.match(readFileSync(join(ROOT, ".ci/run"), "utf8"), /npm ci[\s\S]*npm test/);
});

test("npm run demo's script runs the whole job against a lab and exits 0", async () => {
  const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const c = spawn(process.execPath, [join(ROOT, "examples/demo.mjs")], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let err = "";
    c.stderr.on("data", (d) => (err += d));
    c.on("exit", (code) => resolve({ code, err }));
  });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /done: every slave joined and in sync/);
});

/** The tour's code blocks: the lab line, then the commands (a comment line continues the one above). */
function tour(): { lab: string[]; commands: { args: string[]; comment: string }[] } {
  const section = README.slice(README.indexOf("## A five-minute tour"), README.indexOf("## Commands"));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const labLine = blocks[0]!.trim().replace(/^node bin\/safesquid-fleet\.js /, "");
  const commands: { args: string[]; comment: string }[] = [];
  for (const line of blocks[1]!.split("\n")) {
    if (/^\s+#/.test(line)) {
      commands.at(-1)!.comment += " " + line.trim().slice(1).trim();
      continue;
    }
    const m = /^safesquid-fleet (.*?)\s*(?:#\s*(.*))?$/.exec(line.trim());
    if (m) commands.push({ args: m[1]!.split(/\s+/), comment: m[2] ?? "" });
  }
  return { lab: labLine.split(/\s+/), commands };
}

test("the five-minute tour, line by line, against the lab it starts", async (t) => {
  const { lab, commands } = tour();
  assert.deepEqual(lab.slice(0, 1), ["lab"]);
  assert.equal(commands.length, 8, "the tour's commands");
  const dir = mkdtempSync(join(tmpdir(), "safesquid-readme-"));
  // Exactly as written: its --port 0 picks a port free on every address, so it never collides.
  assert.ok(lab.includes("--port") && lab[lab.indexOf("--port") + 1] === "0");
  const child = spawn(process.execPath, [BIN, ...lab], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let labErr = "";
  child.stderr.on("data", (d) => (labErr += d));
  t.after(async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 30_000;
  while (!existsSync(join(dir, "lab.yaml"))) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `the lab did not start: ${labErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // What each line's comment promises: 0, except verify before the slaves are joined and synced.
  const expected = [0, 1, 0, 0, 1, 0, 0, 0];
  let last = "";
  for (const [i, c] of commands.entries()) {
    const r = await runCli(c.args, { cwd: dir, timeoutMs: 90_000 });
    assert.equal(r.code, expected[i], `safesquid-fleet ${c.args.join(" ")}  # ${c.comment}\n${r.stdout}\n${r.stderr}`);
    last = r.stdout;
  }
  const report = jsonOf({ code: 0, signal: null, stdout: last, stderr: "" });
  assert.equal(report.nodes[0].status, "unchanged", "the tour's last line: a second run changes nothing");
  for (const n of report.nodes.slice(1)) assert.equal(n.join.status, "unchanged");
});
