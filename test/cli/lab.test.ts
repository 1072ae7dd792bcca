/**
 * `safesquid-fleet lab` from the BUILT CLI in the modes the other commands are tested in (its
 * behaviour is test/emulator/lab-cli.test.ts's): on a pipe nothing goes to stdout and the
 * summary on stderr has no escape codes (also with FORCE_COLOR under NO_COLOR); the password of
 * a --require-login lab is never printed; SIGINT and SIGTERM stop it cleanly with exit 0 (that
 * is how a lab is meant to end); with stdin open it does not read it.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runCli, type CliResult } from "../helpers/cli.js";
import { randomBase, until } from "../helpers/lab.js";
import { assertNoEscapes, tempDir } from "./helpers.js";

/** Starts the built CLI's lab, waits for its inventory, sends `signal`, returns how it ended. */
async function labUntil(t: TestContext, signal: NodeJS.Signals, extra: string[], env: NodeJS.ProcessEnv = {}, atStart: (inventory: string) => void = () => {}): Promise<{ r: CliResult; inventory: string; stderrAtStart: string }> {
  const dir = tempDir(t);
  const inventory = join(dir, "lab.yaml");
  let err = "";
  let stderrAtStart = "";
  const r = await runCli(["lab", "--slaves", "2", "--port", "0", "--base-address", randomBase(), "--write-inventory", inventory, ...extra], {
    cwd: dir,
    stdin: "open",
    env: { SAFESQUID_LAB_PASSWORD: undefined, ...env },
    timeoutMs: 60_000,
    onSpawn: (child) => {
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      void until(() => existsSync(inventory) && err.includes("press Ctrl-C to stop the lab"), "the lab's summary", 30_000).then(() => {
        stderrAtStart = err;
        atStart(inventory);
        child.kill(signal);
      });
    },
  });
  return { r, inventory, stderrAtStart };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`lab on a pipe: summary on stderr, nothing on stdout, no escape codes; ${signal} stops it with exit 0`, async (t) => {
    const { r, inventory, stderrAtStart } = await labUntil(t, signal, [], { NO_COLOR: "1", FORCE_COLOR: "1" });
    assert.equal(r.signal, null);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assertNoEscapes(r, "lab");
    assert.match(stderrAtStart, /^lab: 1 master and 2 slaves/m);
    assert.match(stderrAtStart, /^next: safesquid-fleet apply -i /m);
    assert.match(r.stderr, /stopping the lab\.\.\.\nlab stopped\n$/);
    assert.equal((parse(readFileSync(inventory, "utf8")) as { slaves: unknown[] }).slaves.length, 2);
  });
}

test("lab --require-login: the generated password is never printed; --quiet leaves stderr empty", async (t) => {
  let password = "";
  const { r } = await labUntil(t, "SIGTERM", ["--require-login"], {}, (inventory) => {
    const doc = parse(readFileSync(inventory, "utf8")) as { defaults: { credentials: { passwordFile: string } } };
    password = readFileSync(doc.defaults.credentials.passwordFile, "utf8").trim();
  });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(password.length >= 12);
  assert.ok(!r.stdout.includes(password) && !r.stderr.includes(password), "the password is never printed");
  const quiet = await labUntilQuiet(t);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stdout + quiet.stderr, "", "--quiet: the lab says nothing (it writes its inventory)");
});

async function labUntilQuiet(t: TestContext): Promise<CliResult> {
  const dir = tempDir(t);
  const inventory = join(dir, "lab.yaml");
  return runCli(["--quiet", "lab", "--slaves", "1", "--port", "0", "--base-address", randomBase(), "--write-inventory", inventory], {
    cwd: dir,
    timeoutMs: 60_000,
    onSpawn: (child) => void until(() => existsSync(inventory), "the inventory", 30_000).then(() => child.kill("SIGINT")),
  });
}
