/**
 * The repository explains itself (docs/architecture.md "Principles"): comments in src/ and
 * test/ point into the repository's own docs/ (and README), never at files a person who clones
 * it does not have; and every pointer to a section of a docs/ page or of the README names a
 * file and a heading that exist, so the pointers stay true when the docs move.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs|js)$/.test(n) ? [p] : [];
  });
}

const sources = [...files(join(ROOT, "src")), ...files(join(ROOT, "test"))].map((p) => ({ file: relative(ROOT, p), text: readFileSync(p, "utf8") }));

// Built from pieces so this file does not match itself.
const OUTSIDE = new RegExp(["cli\\.md", "design\\.md", "admin" + "-endpoint", "\\bissue \\d", "\\.\\./shared"].join("|"));

test("no comment points outside the repository", () => {
  const found = sources.flatMap(({ file, text }) =>
    text.split("\n").flatMap((line, i) => (OUTSIDE.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(found, []);
});

/** The headings of a Markdown file, as their text. */
function headings(path: string): string[] {
  return readFileSync(join(ROOT, path), "utf8")
    .split("\n")
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#+ /, "").trim());
}

test("every docs/ and README pointer names a file and a heading that exist", () => {
  const bad: string[] = [];
  let checked = 0;
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/(docs\/[\w-]+\.md|README)\s+\\?"([^"\\\n]+)\\?"/g)) {
      const doc = m[1] === "README" ? "README.md" : m[1]!;
      let heads: string[];
      try {
        heads = headings(doc);
      } catch {
        bad.push(`${file}: ${doc} does not exist`);
        continue;
      }
      checked++;
      // A heading matches when it starts with the name (backticks aside) and the name ends a word there.
      const name = m[2]!.replace(/`/g, "");
      const named = (h: string): boolean => {
        const plain = h.replace(/`/g, "");
        return plain.startsWith(name) && !/[\p{L}\p{N}]/u.test(plain.charAt(name.length));
      };
      if (!heads.some(named)) bad.push(`${file}: ${doc} has no heading "${m[2]}"`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(checked > 50, `pointers were found (${checked})`);
});
