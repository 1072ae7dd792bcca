/**
 * The XML reader against a conforming XML 1.0 parser: 30 documents that such a parser refuses
 * (each checked against expat) must throw XmlError saying what is wrong and where; well-formed
 * edge cases must still parse, to the tree a conforming parser builds.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { child, parseXml, textOf, XmlError } from "../../src/safesquid/xml.js";

/** [what is wrong, document, the message, "line:column" of the fault]. */
const MALFORMED: [string, string, RegExp, string][] = [
  ["mismatched closing tag", "<a><b></a>", /^expected <\/b> but found <\/a>/, "1:7"],
  ["element not closed", "<a>", /^element <a> is not closed/, "1:1"],
  ["text instead of a root element", "garbage", /^text before the root element/, "1:1"],
  ["two root elements", "<a></a><b></b>", /^content after the root element/, "1:8"],
  ["empty document", "", /^no root element/, "1:1"],
  ["repeated attribute", '<a x="1" x="2"/>', /^attribute "x" is repeated/, "1:11"],
  ["unknown entity", "<a>&nbsp;</a>", /^unknown entity &nbsp;/, "1:4"],
  ["bare ampersand", "<a>fish & chips</a>", /^a bare & must be written &amp;/, "1:9"],
  ["reference to U+0000", "<a>&#0;</a>", /^character reference &#0; is to U\+0000, which XML does not allow/, "1:4"],
  ["reference beyond Unicode", "<a>&#x110000;</a>", /^character reference &#x110000; is to no Unicode character/, "1:4"],
  ["unquoted attribute value", "<a x=1/>", /^attribute "x" needs a quoted value/, "1:6"],
  ["< in an attribute value", '<a x="<"/>', /^"<" in the value of attribute "x"/, "1:7"],
  ["unclosed void tag (an HTML error page)", "<html><body>Access Denied<br></body></html>", /^expected <\/br> but found <\/body>/, "1:30"],
  ["-- inside a comment", "<a><!-- a -- b --></a>", /^"--" inside a comment/, "1:11"],
  ["comment ending in --->", "<a><!-- a ---></a>", /^"--" inside a comment/, "1:11"],
  ["]]> in text", "<a>x ]]> y</a>", /^"]]>" in text/, "1:6"],
  ["raw U+0001 in text", "<a>\u0001</a>", /^character U\+0001 is not allowed in XML/, "1:4"],
  ["raw U+001F in an attribute value", '<a x="\u001f"/>', /^character U\+001F is not allowed in XML/, "1:7"],
  ["raw U+FFFF in a comment", "<a><!-- \uffff --></a>", /^character U\+FFFF is not allowed in XML/, "1:9"],
  ["lone surrogate in a CDATA section", "<a><![CDATA[\ud800]]></a>", /^character U\+D800 is not allowed in XML/, "1:13"],
  ["reference to U+0001", "<a>&#1;</a>", /^character reference &#1; is to U\+0001, which XML does not allow/, "1:4"],
  ["reference to a surrogate", "<a>&#xD800;</a>", /^character reference &#xD800; is to U\+D800, which XML does not allow/, "1:4"],
  ["reference to U+FFFE in an attribute", '<a x="&#xFFFE;"/>', /^character reference &#xFFFE; is to U\+FFFE, which XML does not allow/, "1:7"],
  ["reference to U+FFFF", "<a>&#65535;</a>", /^character reference &#65535; is to U\+FFFF, which XML does not allow/, "1:4"],
  ["XML declaration after whitespace", '\n<?xml version="1.0"?><a/>', /^an XML declaration is only allowed at the very start of the document/, "2:1"],
  ["two XML declarations", '<?xml version="1.0"?><?xml version="1.0"?><a/>', /^an XML declaration is only allowed at the very start/, "1:22"],
  ["XML declaration inside the root element", '<a><?xml version="1.0"?></a>', /^an XML declaration is only allowed at the very start/, "1:4"],
  ["XML declaration without a version", '<?xml encoding="UTF-8"?><a/>', /^malformed XML declaration/, "1:1"],
  ["processing instruction without a target", "<a><? x ?></a>", /^expected a processing instruction target/, "1:6"],
  ["U+00D7 (×) in an element name", "<a\u00d7b/>", /^character "×" \(U\+00D7\) cannot stand in the element name <a\.\.\.>/, "1:3"],
];

test("the malformed table holds 30 documents", () => assert.equal(MALFORMED.length, 30));

for (const [what, src, message, where] of MALFORMED) {
  test(`refuses malformed XML: ${what}`, () => {
    assert.throws(
      () => parseXml(src),
      (e: unknown) => {
        assert.ok(e instanceof XmlError, `an XmlError, not ${String(e)}`);
        assert.match(e.message, message);
        assert.equal(`${e.line}:${e.column}`, where);
        assert.ok(e.message.endsWith(`(line ${e.line}, column ${e.column})`), e.message);
        return true;
      },
    );
  });
}

const ALSO_MALFORMED: [string, string, RegExp][] = [
  ["no space between attributes", '<a x="1"y="2"/>', /expected a space before the attribute in <a>/],
  ["standalone neither yes nor no", '<?xml version="1.0" standalone="maybe"?><a/>', /malformed XML declaration/],
  ["declaration parts out of order", '<?xml encoding="UTF-8" version="1.0"?><a/>', /malformed XML declaration/],
  ["version other than 1.x", '<?xml version="2.0"?><a/>', /malformed XML declaration/],
  ["a reserved target in another case", '<?XML version="1.0"?><a/>', /target "XML" is reserved/],
  ["no space after a processing instruction target", '<a><?pi"data"?></a>', /expected a space after the processing instruction target "pi"/],
  ["/ not followed by > in a start tag", "<a/ >", /expected \/> to end the tag <a>/],
  ["unterminated CDATA section", "<a><![CDATA[x</a>", /unterminated CDATA section \(line 1, column 4\)/],
  ["unterminated comment", "<a><!-- x </a>", /unterminated comment \(line 1, column 4\)/],
  ["comment that is only <!--->", "<a><!---></a>", /unterminated comment/],
];
for (const [what, src, message] of ALSO_MALFORMED) {
  test(`refuses malformed XML: ${what}`, () => {
    assert.throws(() => parseXml(src), (e: unknown) => e instanceof XmlError && message.test(e.message));
  });
}

test("well-formed: CDATA with ]] inside, > in text, ]]> in an attribute value", () => {
  assert.equal(textOf(parseXml("<a><![CDATA[x]]y]]]></a>")), "x]]y]");
  assert.equal(textOf(parseXml("<a>1 > 0 ]] ></a>")), "1 > 0 ]] >");
  assert.equal(parseXml('<a x="]]>"/>').attrs.x, "]]>");
});

test("well-formed: attribute values with &#x0A; keep the line break", () => {
  assert.deepEqual(parseXml('<a x="1&#x0A;2" y=\'&#10;\'/>').attrs, { x: "1\n2", y: "\n" });
});

test("well-formed: processing instructions before, inside and after the root; xml-prefixed targets", () => {
  const root = parseXml('<?xml version="1.0"?><?pi some data?><?xml-stylesheet href="s.xsl"?><a><?x-y?>t<?pi  data ?></a><?after?>');
  assert.deepEqual(root, { name: "a", attrs: {}, children: ["t"] });
});

test("well-formed: comments with a single -, empty comments, comments around the root", () => {
  assert.deepEqual(parseXml("<!-- a - b --><a><!-- - --><!----></a><!-- x-y -->"), { name: "a", attrs: {}, children: [] });
});

test("well-formed: a byte order mark before the declaration, every declaration part", () => {
  assert.equal(parseXml('\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes" ?><a/>').name, "a");
  assert.equal(parseXml("<?xml version='1.1' encoding='ISO-8859-1'?>\n<a/>").name, "a");
  assert.equal(parseXml("\ufeff<a/>").name, "a");
});

test("well-formed: every kind of allowed character, raw and referenced", () => {
  const root = parseXml("<a>\ud835\udc9c&#x1F600;\t\u007f\ufffd&#9;&#xD7FF;&#xE000;&#xFFFD;&#x10FFFF;</a>");
  assert.equal(textOf(root), "\ud835\udc9c\u{1f600}\t\u007f\ufffd\t\ud7ff\ue000\ufffd\u{10ffff}");
});

test("well-formed: names beyond ASCII (XML 1.0 fifth edition), kept as written", () => {
  const root = parseXml('<café été="1"><a·b/><a-b.c_d:e/><\ud835\udc9c/></café>');
  assert.equal(root.name, "café");
  assert.deepEqual(root.attrs, { été: "1" });
  assert.ok(child(root, "a·b") && child(root, "a-b.c_d:e") && child(root, "\ud835\udc9c"));
});

test("layout whitespace between elements is dropped; text with them, and whitespace-only elements, are kept", () => {
  assert.deepEqual(parseXml("<a>\n  <b/>\n  x\n  <c/>\n</a>").children, [
    { name: "b", attrs: {}, children: [] },
    "\n  x\n  ",
    { name: "c", attrs: {}, children: [] },
  ]);
  assert.deepEqual(parseXml("<a>  </a>").children, ["  "]);
  assert.deepEqual(parseXml("<a> <!-- c --> </a>").children, ["  "]);
});
