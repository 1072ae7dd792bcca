/**
 * Every fleet command of the built CLI in every output mode, against a lab, with exit codes
 * exactly as the README says: text on a pipe (the report on stdout, progress on stderr, not one
 * escape code), -o json (exactly one schema-valid document on stdout, stderr silent), -o junit
 * (verify and apply: well-formed, counts right), and 0 / 3 per command: a fresh fleet (changes
 * pending), the same fleet after apply (all as it should be). Exit 1 is failures.test.ts's,
 * colour colour.test.ts's. The fleet behaviours themselves are test/e2e's; these files cover
 * the modes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet, writeMarks } from "../helpers/fleet.js";
import { allModes, JOIN, junit, PIPE } from "./helpers.js";

test("a fresh fleet: dry runs exit 0, or 3 with --detailed-exitcode; verify exits 1; nothing is written", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const fresh = await writeMarks(f.lab);

  const verify = await allModes(f, ["verify"], 1, { junit: true });
  assert.deepEqual(verify.report.nodes.map((n: any) => n.status), ["not_joined", "not_joined"]);
  assert.match(verify.text.stdout, /not joined/);
  assert.match(verify.text.stderr, /^verify: reading the master master$/m, "progress lines on stderr");
  assert.ok(verify.xml!.failures >= 2, "each not-joined slave is a failure");
  assert.ok(verify.xml!.cases.some((c) => c.classname === "slave-1" && c.failure && /not joined/.test(c.failure)));
  assert.equal(verify.xml!.tests, verify.report.nodes.reduce((n: number, x: any) => n + 1 + x.sections.length, 0), "one testcase per slave and per section");

  for (const c of ["join-slave", "allow", "apply"]) {
    const dry = await allModes(f, [c, "--dry-run"], 0, { junit: c === "apply" });
    assert.equal(dry.report.dryRun, true);
    assert.equal(dry.report.changes, true, c);
    assert.match(dry.text.stdout, /dry run: nothing was changed/);
    const detailed = await allModes(f, [c, "--dry-run", "--detailed-exitcode"], 3, { junit: c === "apply" });
    assert.equal(detailed.report.exitCode, 3);
    assert.equal(detailed.report.ok, true, "3 is not a failure");
  }
  const planned = await allModes(f, ["apply", "--dry-run", "--detailed-exitcode"], 3, { junit: true });
  assert.deepEqual(planned.xml!.cases.map((c) => `${c.suite}/${c.classname}/${c.name}`), [
    "apply: allow/master/allow row",
    "apply: join-slave/slave-1/join-slave",
    "apply: join-slave/slave-2/join-slave",
    "apply: verify/apply/verify",
  ]);
  assert.equal(planned.xml!.skipped, 1, "verify is skipped in a dry run");
  assert.equal(await writeMarks(f.lab), fresh, "no dry run wrote anything");
});

test("after apply every command exits 0 in every mode; --detailed-exitcode too (nothing would change)", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const applied = await f.run(["apply", ...JOIN, "-o", "junit", "--wait", "30s"], PIPE);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const xml = junit(applied.stdout);
  assert.equal(xml.failures, 0);
  assert.deepEqual([...new Set(xml.cases.map((c) => c.suite))], ["apply: allow", "apply: join-slave", "apply: verify"]);
  assert.equal(applied.stderr, "", "-o junit: stderr silent");

  const before = await writeMarks(f.lab);
  const verify = await allModes(f, ["verify"], 0, { junit: true });
  assert.deepEqual(verify.report.nodes.map((n: any) => n.status), ["in_sync", "in_sync"]);
  assert.equal(verify.xml!.failures, 0);
  assert.equal(verify.xml!.skipped, 2, "cache (NEVER_SYNC) is skipped on each slave");
  for (const c of ["join-slave", "allow", "apply"]) {
    const r = await allModes(f, [c, ...(c === "allow" ? [] : JOIN)], 0, { junit: c === "apply" });
    assert.equal(r.report.ok, true);
    assert.equal(r.report.runRecord, undefined, `${c}: nothing written, no run record`);
    const dry = await allModes(f, [c, "--dry-run", "--detailed-exitcode"], 0);
    assert.equal(dry.report.changes, false, c);
  }
  assert.equal(await writeMarks(f.lab), before, "second runs write nothing");
});


test("a reader that goes away (`| head`, `| true`): no stack trace, the exit code is the run's", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  for (const o of ["text", "json", "junit"]) {
    // stdout is closed before the report is written: the write meets EPIPE.
    const r = await f.run(["verify", "-o", o], { ...PIPE, onSpawn: (child) => child.stdout?.destroy() });
    assert.equal(r.signal, null, o);
    assert.equal(r.code, 1, `${o}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\.js:\d+/, `${o}: no stack trace`);
  }
});
