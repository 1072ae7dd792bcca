import { test } from "node:test";
import assert from "node:assert/strict";
import { splitAtWidth, table, truncate, visibleWidth, wrapText } from "../../src/report/table.js";
import { formatCall } from "../../src/report/verbose.js";

const clusters = (s: string): string[] => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].map((g) => g.segment);

// [what, text, printed width]
const WIDTHS: [string, string, number][] = [
  ["ASCII", "pune-1", 6],
  ["colour codes are not counted", "\x1b[32m✓ joined\x1b[39m", 8],
  ["combining acute accent (e + U+0301)", "cafe\u0301", 4],
  ["stacked combining marks", "Z\u0324\u0308", 1],
  ["Devanagari with vowel signs (कि ता ब)", "किताब", 5],
  ["emoji ZWJ sequence (woman technologist)", "👩‍💻", 2],
  ["emoji ZWJ family of four", "👨‍👩‍👧‍👦", 2],
  ["flag (two regional indicators)", "🇮🇳", 2],
  ["zero-width space", "a\u200Bb", 2],
  ["zero-width joiner and word joiner alone", "\u200D\u2060", 0],
  ["CJK ideographs", "日本語", 6],
  ["Hangul syllables", "한국", 4],
  ["fullwidth Latin", "ＡＢ", 4],
];
for (const [what, text, width] of WIDTHS) {
  test(`visibleWidth: ${what} is ${width} column(s)`, () => assert.equal(visibleWidth(text), width));
}

test("table: columns line up after cells in every script", () => {
  const names = ["pune-1", "cafe\u0301", "किताब", "👩‍💻 ops", "a\u200Bb", "日本語", "🇮🇳 mumbai"];
  const lines = table(names.map((n) => [n, "|"]), { indent: 0 });
  const widest = Math.max(...names.map(visibleWidth));
  for (const line of lines) assert.equal(visibleWidth(line.slice(0, line.lastIndexOf("|"))), widest + 2, JSON.stringify(line));
});

test("truncate: cuts to the width with an ellipsis, never inside a grapheme cluster", () => {
  assert.equal(truncate("pune-1 restarting", 8, "…"), "pune-1 …");
  assert.equal(truncate("pune-1", 8, "…"), "pune-1");
  assert.equal(truncate("abcdefghij", 6, "..."), "abc...");
  for (const [text, width] of [
    ["cafe\u0301 cafe\u0301", 4], // é is e + U+0301: the mark stays with its e
    ["नमस्ते दुनिया", 3], // स्ते is one cluster (conjunct with a virama)
    ["👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 5],
    ["🇮🇳🇮🇳🇮🇳", 4],
    ["日本語のテキスト", 6],
  ] as const) {
    const out = truncate(text, width, "…");
    assert.ok(out.endsWith("…"), out);
    assert.ok(visibleWidth(out) <= width, `${out} fits ${width}`);
    const kept = out.slice(0, -1);
    assert.deepEqual(clusters(kept), clusters(text).slice(0, clusters(kept).length), `${JSON.stringify(out)} keeps whole clusters`);
  }
});

test("splitAtWidth: the head fits, head + rest is the text, a wide character that does not fit moves on", () => {
  assert.deepEqual(splitAtWidth("日本語", 3), ["日", "本語"]);
  assert.deepEqual(splitAtWidth("cafe\u0301s", 4), ["cafe\u0301", "s"]);
  assert.deepEqual(splitAtWidth("👩‍💻x", 1), ["", "👩‍💻x"]);
  assert.deepEqual(splitAtWidth("short", 10), ["short", ""]);
});

test("wrapText: a word longer than the line is cut between clusters, by width", () => {
  const word = "👩‍💻".repeat(6);
  const lines = wrapText(word, 8).split("\n");
  assert.deepEqual(lines, ["👩‍💻".repeat(4), "👩‍💻".repeat(2)]);
  assert.equal(wrapText("日本語日本語", 8).split("\n").map(visibleWidth).join(","), "8,4");
});

test("verbose lines align node names by printed width", () => {
  const a = formatCall({ node: "日本", handler: "conf_xml", status: 200, ms: 12, attempt: 1 }, 6);
  const b = formatCall({ node: "pune", handler: "conf_xml", status: 200, ms: 12, attempt: 1 }, 6);
  assert.equal(visibleWidth(a.slice(0, a.indexOf("conf_xml"))), visibleWidth(b.slice(0, b.indexOf("conf_xml"))));
});
