/**
 * Exit code 1 of the built CLI in every output mode (text on a pipe, -o json, -o junit): a
 * slave that is unreachable (join-slave, verify and apply fail; allow, which touches only the
 * master, succeeds) and a master that is unreachable (every fleet command fails, and -o json
 * still prints exactly one schema-valid document). See modes.test.ts for 0 and 3.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet } from "../helpers/fleet.js";
import { allModes, assertNoEscapes, JOIN, oneReport, PIPE } from "./helpers.js";

test("an unreachable slave: exit 1 for join-slave, verify and apply in every mode; allow (the master only) exits 0", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  await f.lab.slaves[1]!.faults.refuseConnections();
  const verify = await allModes(f, ["verify"], 1, { junit: true });
  assert.deepEqual(verify.report.nodes.map((n: any) => n.status), ["not_joined", "unreachable"]);
  assert.match(verify.text.stdout, /slave-2 .*refused the connection/);
  assert.ok(verify.xml!.cases.some((c) => c.classname === "slave-2" && c.failure && /unreachable/.test(c.failure)));

  const dry = await allModes(f, ["join-slave", "--dry-run", "--detailed-exitcode"], 1);
  assert.deepEqual(dry.report.nodes.map((n: any) => n.status), ["planned", "failed"], "a failure outweighs 3");

  // (each mode runs the command again: the text run made the change, json finds it done)
  const allow = await allModes(f, ["allow"], 0);
  assert.match(allow.text.stdout, /✓ updated/);
  assert.equal(allow.report.nodes[0].status, "unchanged");

  const join = await allModes(f, ["join-slave", ...JOIN], 1);
  assert.equal(join.report.nodes[1].error.code, "UNREACHABLE");
  assert.match(join.text.stdout, /Needs attention/);

  const apply = await allModes(f, ["apply", ...JOIN, "--wait", "2s"], 1, { junit: true });
  assert.deepEqual(apply.report.nodes.map((n: any) => `${n.name}:${n.status}`), ["master:unchanged", "slave-1:in_sync", "slave-2:unreachable"]);
  assert.ok(apply.xml!.failures >= 2, "slave-2 fails in join-slave and in verify");
});

test("an unreachable master: every fleet command exits 1, -o json still prints exactly one document", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  await f.lab.master.faults.refuseConnections();
  for (const c of [["verify"], ["allow"], ["join-slave", ...JOIN], ["apply", ...JOIN]]) {
    const text = await f.run(c, PIPE);
    assert.equal(text.code, 1, `${c[0]}: ${text.stderr}`);
    assertNoEscapes(text);
    assert.match(text.stdout + text.stderr, /master .*refused the connection/);
    const json = await f.run([...c, "-o", "json"], PIPE);
    assert.equal(json.code, 1);
    const doc = oneReport(json, c[0]);
    assert.equal(doc.ok, false);
    assert.match(JSON.stringify(doc), /UNREACHABLE/);
  }
  const j = await f.run(["verify", "-o", "junit"], PIPE);
  assert.equal(j.code, 1);
});
