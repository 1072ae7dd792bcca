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

const BAD: [string, string, RegExp][] = [
  ["mismatched close", "<a><b></a>", /expected <\/b> but found <\/a>.*line 1, column 7/],
  ["unclosed", "<a>", /not closed/],
  ["text only", "garbage", /text before the root/],
  ["two roots", "<a></a><b></b>", /content after the root/],
  ["empty", "", /no root element/],
  ["repeated attribute", '<a x="1" x="2"/>', /repeated/],
  ["DTD", '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', /DTDs are not accepted/],
  ["unknown entity", "<a>&nbsp;</a>", /unknown entity/],
  ["bare ampersand", "<a>fish & chips</a>", /bare &/],
  ["bad char ref", "<a>&#0;</a>", /bad character reference/],
  ["unquoted attribute", "<a x=1/>", /quoted value/],
  ["lt in attribute", '<a x="<"/>', /"<" in the value/],
  ["html error page", "<html><body>Access Denied<br></body></html>", /expected <\/br> but found <\/body>/],
];
for (const [name, src, re] of BAD) {
  test(`refuses malformed XML: ${name}`, () => {
    assert.throws(() => parseXml(src), (e: unknown) => e instanceof XmlError && re.test(e.message));
  });
}

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

