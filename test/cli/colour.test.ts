/**
 * Colour of the built CLI (docs/output.md "Colour": only on a terminal; NO_COLOR and --no-color are
 * honoured): none on a pipe, FORCE_COLOR=1 colours a pipe, a non-empty NO_COLOR and --no-color
 * (before or after the command) win over FORCE_COLOR, an empty NO_COLOR counts as unset; error
 * messages follow the same rules; -o json and -o junit are never coloured. (At a terminal:
 * pty.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CliResult } from "../helpers/cli.js";
import { startFleet } from "../helpers/fleet.js";
import { assertNoEscapes } from "./helpers.js";

test("colour: none on a pipe; FORCE_COLOR=1 colours a pipe; NO_COLOR (non-empty) and --no-color win over it; json and junit never", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const has = (r: CliResult): boolean => /\u001b\[/.test(r.stdout);
  const cases: [string, string[], NodeJS.ProcessEnv, boolean][] = [
    ["a pipe", [], {}, false],
    ["FORCE_COLOR=1", [], { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=0", [], { FORCE_COLOR: "0" }, false],
    ["NO_COLOR=1 FORCE_COLOR=1", [], { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
    ["NO_COLOR= (empty: not set, per no-color.org) FORCE_COLOR=1", [], { NO_COLOR: "", FORCE_COLOR: "1" }, true],
    ["--no-color FORCE_COLOR=1", ["--no-color"], { FORCE_COLOR: "1" }, false],
    ["--no-color before the command, FORCE_COLOR=1", ["--no-color", "@"], { FORCE_COLOR: "1" }, false],
  ];
  for (const [what, extra, env, coloured] of cases) {
    const args = extra.includes("@") ? ["--no-color", "verify"] : ["verify", ...extra];
    const r = await f.run(args, { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, ...env } });
    assert.equal(r.code, 1, `${what}: ${r.stderr}`);
    assert.equal(has(r), coloured, `${what}: ${coloured ? "coloured" : "no escape codes"}\n${JSON.stringify(r.stdout.slice(0, 300))}`);
    if (!coloured) assertNoEscapes(r, what);
    // Every status is a word too, so nothing depends on colour.
    assert.match(r.stdout.replace(/\u001b\[[0-9;]*m/g, ""), /slave-1 .*not joined/);
  }
  // An error message is coloured the same way (stderr), and never the json document.
  const err = await f.run(["join-slave"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
  assert.equal(err.code, 2);
  assert.match(err.stderr, /\u001b\[31merror: /);
  const plain = await f.run(["join-slave"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
  assert.match(plain.stderr, /^error: /m);
  assertNoEscapes(plain);
  for (const o of ["json", "junit"]) {
    const r = await f.run(["verify", "-o", o], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    assertNoEscapes(r, `-o ${o} with FORCE_COLOR`);
  }
  const j = await f.run(["join-slave", "-o", "json"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
  assert.doesNotMatch(j.stdout, /\u001b/, "an error envelope is never coloured");
});
