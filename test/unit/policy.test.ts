import { test } from "node:test";
import assert from "node:assert/strict";
import { canonical, entries, formatPolicy, maxId, parsePolicy, PolicyShapeError, sectionDigest, sectionDigests, sections } from "../../src/safesquid/policy.js";
import { child, type XmlElement } from "../../src/safesquid/xml.js";
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

test("canonical text: each attribute value and text as JSON.stringify writes it, whatever it holds", () => {
  // The definition, written the plain way: the fast path must give the same text.
  const plain = (e: XmlElement): string => {
    const parts: string[] = ["<", e.name];
    for (const k of Object.keys(e.attrs).sort()) if (k !== "id") parts.push(" ", k, "=", JSON.stringify(e.attrs[k]));
    parts.push(">");
    const hasElements = e.children.some((c) => typeof c !== "string");
    for (const c of e.children) if (typeof c !== "string") parts.push(plain(c));
    else if (!hasElements || c.trim() !== "") parts.push(JSON.stringify(c));
    parts.push("</", e.name, ">");
    return parts.join("");
  };
  const values = ["plain", 'say "hi"', "back\\slash", "tab\tnew\nline", "\u0001", "caf\u00e9 \u{1F600}", "\ud800 lone", "</x>", "", " "];
  for (const v of values) {
    const e: XmlElement = { name: "s", attrs: { z: v, id: "7", a: v }, children: [{ name: "f", attrs: {}, children: [v] }, { name: "g", attrs: { b: v }, children: [] }] };
    assert.equal(canonical(e), plain(e), JSON.stringify(v));
    assert.equal(canonical({ name: "t", attrs: {}, children: [v] }), plain({ name: "t", attrs: {}, children: [v] }), JSON.stringify(v));
  }
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
