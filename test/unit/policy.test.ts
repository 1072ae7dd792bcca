import { test } from "node:test";
import assert from "node:assert/strict";
import { canonical, entries, formatPolicy, maxId, parsePolicy, PolicyShapeError, sectionDigest, sectionDigests, sections } from "../../src/safesquid/policy.js";
import { child } from "../../src/safesquid/xml.js";
import { VENDOR_DOCUMENTS, vendorFixture } from "../helpers/fixtures.js";

const A = `<safesquid><access><policy>DENY</policy><allow id="1"><enabled>TRUE</enabled><ip>10.0.0.1</ip></allow><allow id="3"><enabled>FALSE</enabled></allow></access><cache><enabled>FALSE</enabled></cache></safesquid>`;
const A_RENUMBERED_REFORMATTED = `<?xml version="1.0" ?>
<safesquid>
  <access>
    <policy>DENY</policy>
    <allow id="41">
      <enabled>TRUE</enabled>
      <ip>10.0.0.1</ip>
    </allow>
    <allow id="17"><enabled>FALSE</enabled></allow>
  </access>
  <cache><enabled>FALSE</enabled></cache>
</safesquid>`;

test("sections compare equal when only ids and formatting differ", () => {
  const a = parsePolicy(A);
  const b = parsePolicy(A_RENUMBERED_REFORMATTED);
  assert.equal(sectionDigest(child(a, "access")!), sectionDigest(child(b, "access")!));
  assert.deepEqual(sectionDigests(a), sectionDigests(b));
});

test("row order, text and attributes are meaning: any change shows", () => {
  const a = parsePolicy(A);
  const swapped = parsePolicy(A.replace(/<allow id="1">(.*?)<\/allow><allow id="3">(.*?)<\/allow>/, '<allow id="3">$2</allow><allow id="1">$1</allow>'));
  assert.notEqual(sectionDigest(child(a, "access")!), sectionDigest(child(swapped, "access")!));
  const spaced = parsePolicy(A.replace("<ip>10.0.0.1</ip>", "<ip>10.0.0.1 </ip>"));
  assert.notEqual(canonical(child(a, "access")!), canonical(child(spaced, "access")!));
  const attr = parsePolicy(A.replace("<policy>", '<policy active="true">'));
  assert.notEqual(canonical(child(a, "access")!), canonical(child(attr, "access")!));
});

test("a document that is not <safesquid> is refused", () => {
  assert.throws(() => parsePolicy("<html><body>Access Denied</body></html>"), PolicyShapeError);
});

for (const rel of VENDOR_DOCUMENTS) {
  test(`vendor document ${rel}: sections, entries, ids, stable digests`, (t) => {
    const text = vendorFixture(t, rel);
    if (text === undefined) return;
    const root = parsePolicy(text);
    const names = sections(root).map((s) => s.name);
    for (const n of ["access", "cache", "network", "profiles", "sslcert"]) assert.ok(names.includes(n), `section ${n}`);
    assert.ok(entries(child(root, "access")!, "allow").length >= 5);
    assert.ok(maxId(root) > 0);
    const again = parsePolicy(formatPolicy(root));
    assert.deepEqual(sectionDigests(again), sectionDigests(root));
  });
}
