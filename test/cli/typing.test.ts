/**
 * The command line as people type it, on the built CLI, no lab needed: the `-o=json`,
 * `--output=json`, `-ojson` and `-o json` forms all mean the same; a mistyped command or slave
 * name gets "did you mean" by edit distance, not only for a difference of case.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../helpers/cli.js";
import { envelope, offlineInventory } from "./helpers.js";
import { didYouMean, editDistance, nearest } from "../../src/util/suggest.js";

test("-o=json, --output=json, -ojson and -o json are the same option", async (t) => {
  const { file } = offlineInventory(t);
  for (const form of [["-o=json"], ["--output=json"], ["-ojson"], ["-o", "json"]]) {
    // A --limit naming no slave stops before any node is contacted: the error envelope shows JSON was chosen.
    const r = await runCli(["verify", "-i", file, ...form, "--limit", "nope"]);
    const doc = envelope(r, "USAGE", 2, form.join(" "));
    assert.match(doc.error.message, /no slave is named "nope"/);
  }
  const valid = await runCli(["inventory", "validate", "-i", file, "-o=json"]);
  assert.equal(valid.code, 0, valid.stderr);
  assert.equal(JSON.parse(valid.stdout).ok, true);
  // A wrong value is named as typed, without the "=".
  const bad = await runCli(["verify", "-i", file, "-o=xml"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--output must be one of text, json, junit, prometheus, nagios, not "xml"/);
  // After "--" nothing is rewritten: `-o=json` there is a slave name (and no slave has it).
  const after = await runCli(["verify", "-i", file, "--", "-o=json"]);
  assert.equal(after.code, 2);
  assert.match(after.stderr, /no slave is named "-o=json"/);
});

test("a mistyped slave name: did you mean the nearest names (edit distance), in text and JSON", async (t) => {
  const { file } = offlineInventory(t, "  - name: mumbai-1\n    host: 192.0.2.13\n");
  const r = await runCli(["verify", "-i", file, "pune1"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^error: no slave is named "pune1" \(did you mean "pune-1"\?\)\n {2}slaves in \S+: pune-1, pune-2, mumbai-1\n$/);
  const typo = await runCli(["join-slave", "-i", file, "--limit", "mumbia-1", "-o", "json"]);
  const doc = envelope(typo, "USAGE", 2, "mumbia-1");
  assert.match(doc.error.message, /no slave is named "mumbia-1" \(did you mean "mumbai-1"\?\)/);
  const far = await runCli(["verify", "-i", file, "--limit", "chennai"]);
  assert.match(far.stderr, /no slave is named "chennai"\n/, "nothing near: no guess");
});

test("a mistyped command: did you mean the nearest command", async () => {
  for (const [typed, meant] of [["aply", "apply"], ["joinslave", "join-slave"], ["verfy", "verify"], ["alow", "allow"]] as const) {
    const r = await runCli([typed]);
    assert.equal(r.code, 2, typed);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, new RegExp(`^error: unknown command '${typed}'\\n\\(Did you mean ${meant}\\?\\)\\n`), typed);
  }
  const sub = await runCli(["inventory", "valdate"]);
  assert.match(sub.stderr, /\(Did you mean validate\?\)/);
});

test("nearest: at most a third of the characters differ; ties are all named", () => {
  assert.equal(editDistance("slav-1", "slave-1"), 1);
  assert.equal(editDistance("pnue-1", "pune-1"), 1, "a swap is one edit");
  assert.deepEqual(nearest("slav-1", ["slave-1", "slave-2", "master"]), ["slave-1"]);
  assert.deepEqual(nearest("SLAVE-1", ["slave-1"]), ["slave-1"], "case is ignored");
  assert.deepEqual(nearest("slave-3", ["slave-1", "slave-2"]), ["slave-1", "slave-2"]);
  assert.deepEqual(nearest("ab", ["xy"]), []);
  assert.deepEqual(nearest("chennai", ["pune-1", "pune-2"]), []);
  assert.equal(didYouMean("slave-3", ["slave-1", "slave-2"]), ' (did you mean "slave-1" or "slave-2"?)');
  assert.equal(didYouMean("x", []), "");
});
