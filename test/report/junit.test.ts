import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunReport } from "../../src/fleet/report.js";
import { renderJunit, xmlClean } from "../../src/report/junit.js";
import { child, elements, parseXml, textOf, type XmlElement } from "../../src/safesquid/xml.js";
import { APPLY, APPLY_STOPPED, HOSTILE_REPORT, SAMPLES, VERIFY } from "./samples.js";

const num = (e: XmlElement, a: string): number => Number(e.attrs[a]);
const cases = (suite: XmlElement): XmlElement[] => elements(suite).filter((e) => e.name === "testcase");

/** Checks the totals on each suite and on the root against the testcases. */
function checkCounts(root: XmlElement): void {
  assert.equal(root.name, "testsuites");
  const sums = { tests: 0, failures: 0, skipped: 0 };
  for (const suite of elements(root)) {
    assert.equal(suite.name, "testsuite");
    const cs = cases(suite);
    const failures = cs.filter((c) => child(c, "failure")).length;
    const skipped = cs.filter((c) => child(c, "skipped")).length;
    assert.equal(num(suite, "tests"), cs.length, suite.attrs.name);
    assert.equal(num(suite, "failures"), failures);
    assert.equal(num(suite, "skipped"), skipped);
    assert.equal(num(suite, "errors"), 0);
    assert.match(suite.attrs.time!, /^\d+\.\d{3}$/);
    assert.match(suite.attrs.timestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    for (const c of cs) {
      assert.ok(c.attrs.classname && c.attrs.name, "classname and name");
      assert.match(c.attrs.time!, /^\d+\.\d{3}$/);
    }
    sums.tests += cs.length;
    sums.failures += failures;
    sums.skipped += skipped;
  }
  assert.deepEqual({ tests: num(root, "tests"), failures: num(root, "failures"), skipped: num(root, "skipped") }, sums);
  assert.equal(num(root, "errors"), 0);
}

for (const [name, report] of Object.entries(SAMPLES)) {
  test(`${name}: well-formed JUnit (the project's strict XML reader) with consistent totals`, () => {
    const xml = renderJunit(report);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
    checkCounts(parseXml(xml));
  });
}

test("verify: one suite, a testcase per slave and per section, failures with the reason, excluded skipped", () => {
  const root = parseXml(renderJunit(VERIFY));
  assert.equal(root.attrs.name, "safesquid-fleet verify");
  const [suite, ...more] = elements(root);
  assert.equal(more.length, 0);
  assert.equal(suite!.attrs.name, "verify");
  const all = cases(suite!);
  assert.equal(all.length, 5 + 4 + 3 + 3);
  const find = (cls: string, name: string): XmlElement => all.find((c) => c.attrs.classname === cls && c.attrs.name === name)!;
  assert.equal(child(find("pune-1", "joined and syncing"), "failure"), undefined);
  assert.equal(child(find("pune-1", "access"), "failure"), undefined);
  assert.equal(child(find("pune-1", "sslcert"), "skipped")!.attrs.message, "in NEVER_SYNC");
  const oos = child(find("pune-3", "access"), "failure")!;
  assert.equal(oos.attrs.type, "out_of_sync");
  assert.equal(oos.attrs.message, "access out of sync: differs from the master for 3m");
  const node = child(find("pune-3", "joined and syncing"), "failure")!;
  assert.match(node.attrs.message!, /^pune-3 out of sync: last sync failed: 407 from the master; out of sync: access$/);
  assert.match(textOf(child(find("pune-3", "joined and syncing"), "system-out")!), /warning: the master refuses pune-3/);
  assert.equal(child(find("pune-2", "access"), "failure")!.attrs.type, "pending");
  assert.equal(child(find("pune-4", "joined and syncing"), "failure")!.attrs.type, "not_joined");
  assert.equal(child(find("pune-5", "joined and syncing"), "failure")!.attrs.type, "unreachable");
  assert.deepEqual([num(root, "tests"), num(root, "failures"), num(root, "skipped")], [15, 6, 2]);
});

test("apply: one suite per phase; a rolled-back slave fails with its reason and next step", () => {
  const root = parseXml(renderJunit(APPLY));
  assert.deepEqual(elements(root).map((s) => s.attrs.name), ["apply: allow", "apply: join-slave", "apply: verify"]);
  const join = cases(elements(root)[1]!);
  const f = child(join.find((c) => c.attrs.classname === "pune-2")!, "failure")!;
  assert.equal(f.attrs.type, "rolled_back");
  assert.match(f.attrs.message!, /did not come back within 2m; previous values in effect again/);
  const stopped = parseXml(renderJunit(APPLY_STOPPED));
  const skipped = elements(stopped).slice(1).map((s) => child(cases(s)[0]!, "skipped")!.attrs.message);
  assert.deepEqual(skipped, ["stopped after allow: the master is not ready", "stopped after allow: the master is not ready"]);
  assert.match(textOf(child(cases(elements(stopped)[0]!)[0]!, "failure")!), /next: add 127\.0\.0\.1 to an allow row above/);
});

test("markup and control characters in names and reasons are escaped or removed", () => {
  const nasty = `a<b>&"c'\u0000\u0001\u001b[2J\u0085\u202e\ud800 x\nnext`;
  const r: RunReport = { ...VERIFY, nodes: [{ ...VERIFY.nodes[2]!, name: nasty, error: { code: "BAD_REPLY", message: nasty, hint: nasty } }] };
  const xml = renderJunit(r);
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0085\u202e]/.test(xml), "control characters left");
  const root = parseXml(xml);
  const c = cases(elements(root)[0]!)[0]!;
  assert.equal(c.attrs.classname, `a<b>&"c'[2J x\nnext`);
  assert.match(child(c, "failure")!.attrs.message!, /^a<b>&"c'\[2J x\nnext out of sync: a<b>/);
  checkCounts(root);
  const hostile = renderJunit(HOSTILE_REPORT);
  assert.ok(!hostile.includes("\u001b") && !hostile.includes("\u202e") && !hostile.includes("\u0007"));
});

test("xmlClean keeps ordinary text, tabs, line breaks and astral characters", () => {
  assert.equal(xmlClean("ok\ttab\nline\r\n😀 ü"), "ok\ttab\nline\r\n😀 ü");
  assert.equal(xmlClean("\ud83d"), "");
});
