/**
 * The README and docs/ link to each other: every relative link names a file that exists, and
 * every #anchor a heading in that file (GitHub's slugs: lower case, punctuation dropped,
 * spaces to hyphens). Links to the web are not followed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ROOT } from "../helpers/cli.js";

function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[`*_~]/g, "").replace(/[^\w\- ]/g, "").replace(/ /g, "-");
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((m) => slug(m[1]!)));
}

test("every relative link and anchor in README.md and docs/*.md resolves", () => {
  const files = [join(ROOT, "README.md"), ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join(ROOT, "docs", f))];
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [path, frag] = target.split("#") as [string, string | undefined];
      const dest = path === "" ? file : join(dirname(file), path);
      const where = `${relative(ROOT, file)}: (${target})`;
      if (!existsSync(dest)) broken.push(`${where}: no such file`);
      else if (frag !== undefined && dest.endsWith(".md") && !anchors(dest).has(frag)) broken.push(`${where}: no heading #${frag}`);
    }
  }
  assert.deepEqual(broken, []);
});
