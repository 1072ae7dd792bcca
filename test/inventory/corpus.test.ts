/**
 * The corpus of broken inventories (test/inventory/corpus/*.yaml): each file ends with
 * `# expect: LINE:COL PATH :: MESSAGE` lines, and the loader must report exactly those errors
 * (and `# expect-warning:` warnings), at exactly those places, all in one run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatIssue, loadInventory } from "../../src/inventory/load.js";
import type { InventoryIssue } from "../../src/inventory/types.js";

const DIR = fileURLToPath(new URL("./corpus/", import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

const shape = (i: InventoryIssue): string => `${i.line}:${i.column} ${i.path || "-"} :: ${i.message}`;

function expected(text: string, tag: "expect" | "expect-warning"): string[] {
  const re = new RegExp(`^# ${tag}: (.*)$`);
  return text.split("\n").flatMap((l) => re.exec(l)?.[1] ?? []);
}

test("the corpus holds at least 25 broken inventories, each with its expected errors", () => {
  assert.ok(files.length >= 25, `only ${files.length} corpus files`);
  for (const f of files) assert.ok(expected(readFileSync(DIR + f, "utf8"), "expect").length > 0, `${f} has no # expect: line`);
});

for (const f of files) {
  test(`corpus ${f}`, async () => {
    const text = readFileSync(DIR + f, "utf8");
    const r = await loadInventory(DIR + f);
    assert.equal(r.inventory, undefined, "a broken inventory gives no inventory");
    assert.deepEqual(r.errors.map(shape), expected(text, "expect"));
    assert.deepEqual(r.warnings.map(shape), expected(text, "expect-warning"));
    for (const e of r.errors) {
      // Every error names the file, line and column, and says what is accepted.
      assert.ok(formatIssue(e).startsWith(`${DIR + f}:${e.line}:${e.column}: `), formatIssue(e));
      assert.ok(e.accepted && e.accepted.length > 0, `no "accepted" part: ${formatIssue(e)}`);
      // A secret written by mistake is never echoed back.
      assert.doesNotMatch(formatIssue(e), /s3cret-value|hunter2/);
    }
  });
}
