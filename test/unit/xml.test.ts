import { test } from "node:test";
import assert from "node:assert/strict";
import { child, elements, escapeXml, parseXml, textOf, toXml, XmlError } from "../../src/safesquid/xml.js";
import { VENDOR_DOCUMENTS, vendorFixture } from "../helpers/fixtures.js";

test("parses elements, attributes, entities and numeric references", () => {
  const root = parseXml(`<?xml version="1.0" ?>\n<a x="&quot;8080&quot;" y='1&#x41;'><c>x&#x0A;y &amp; &lt; &apos;q&apos; &#65;</c><e/><![CDATA[<b>&amp;]]><!-- note --></a>`);
  assert.equal(root.name, "a");
  assert.deepEqual(root.attrs, { x: '"8080"', y: "1A" });
  assert.equal(textOf(child(root, "c")!), "x\ny & < 'q' A");
  assert.deepEqual(child(root, "e"), { name: "e", attrs: {}, children: [] });
  assert.equal(textOf(root), "<b>&amp;");
  assert.equal(elements(root).length, 2);
});

// Malformed documents (the 30 a conforming parser refuses) are in xml-malformed.test.ts.
test("refuses a DTD (well-formed, but no external entities or entity bombs are ever read)", () => {
  const src = '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
  assert.throws(() => parseXml(src), (e: unknown) => e instanceof XmlError && /DTDs are not accepted/.test(e.message));
  assert.throws(() => parseXml("<a><!DOCTYPE a></a>"), /declarations are not accepted inside elements/);
});

test("reports the line and column of an error", () => {
  try {
    parseXml("<a>\n  <b>\n  </c>\n</a>");
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof XmlError);
    assert.equal(e.line, 3);
    assert.equal(e.column, 3);
  }
});

test("refuses absurd nesting instead of overflowing the stack", () => {
  assert.throws(() => parseXml("<a>".repeat(5000) + "</a>".repeat(5000)), /nested too deeply/);
});

test("escapes the way the vendor's files do", () => {
  assert.equal(escapeXml(`a&b<c>"d"'e'\nf`), "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;&#x0A;f");
});

test("writes and re-reads to the same tree", () => {
  const src = `<r><s id="1"><t>x &amp; "y"\nz</t><u a="1&#x0A;2"/></s></r>`;
  const a = parseXml(src);
  const b = parseXml(toXml(a, { indent: "  ", declaration: true }));
  assert.deepEqual(b, a);
  assert.deepEqual(parseXml(toXml(a)), a);
});

for (const rel of VENDOR_DOCUMENTS) {
  test(`reads the vendor document ${rel} and writes it back losslessly`, (t) => {
    const text = vendorFixture(t, rel);
    if (text === undefined) return;
    const root = parseXml(text);
    assert.equal(root.name, "safesquid");
    assert.ok(elements(root).length >= 25, "about 30 sections");
    const again = parseXml(toXml(root, { indent: "    ", declaration: true }));
    assert.deepEqual(again, root);
  });
}

test("reads the vendor's access section definitions (the F0..F15 template)", (t) => {
  const text = vendorFixture(t, "safesquid-2023.1011/sections-access.xml");
  if (text === undefined) return;
  const root = parseXml(text);
  const entry = child(child(child(root, "access")!, "template")!, "entry")!;
  assert.deepEqual(
    elements(entry).map((e) => `${e.attrs.n}:${e.name}`),
    ["enabled", "comment", "profile_tracing", "ldap_profiles", "profiles", "interface", "ip", "pamauth", "username", "password", "access", "bypass", "ifusername", "ifpassword", "add_user_groups", "max_concurrency"].map((n, i) => `${i}:${n}`),
  );
});

