/**
 * The checked-inventory cache (src/inventory/parse-cache.ts): loadInventory keeps the result of a
 * valid inventory in the build's folder and returns it for the same input, never for another
 * text, path or options, never for an invalid inventory; a damaged entry is a miss; at most
 * MAX_ENTRIES are kept. In-process (the folder is offered the way dist/bundle/boot.js offers it);
 * the end-to-end half (the built CLI, SAFESQUID_FLEET_NO_CACHE) is test/cli/compile-cache.test.ts.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadInventory } from "../../src/inventory/load.js";
import { MAX_ENTRIES } from "../../src/inventory/parse-cache.js";
import { minimal, tempDir } from "./helpers.js";

const OFFER = Symbol.for("safesquid-fleet.inventory-cache");

/** Offers `dir` as the build's folder for the test's duration (as boot.js does), and returns it. */
function offered(t: TestContext): { dir: string; work: string } {
  const root = tempDir(t);
  const dir = join(root, "cache");
  const work = join(root, "work");
  mkdirSync(dir);
  mkdirSync(work);
  (globalThis as Record<symbol, unknown>)[OFFER] = () => dir;
  t.after(() => delete (globalThis as Record<symbol, unknown>)[OFFER]);
  return { dir, work };
}

const entries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith(".json"));

/** Rewrites the one entry's kept result: a load that returns the change read the entry. */
function renameKeptMaster(dir: string, name: string): void {
  const [only] = entries(dir);
  const file = join(dir, only!);
  const entry = JSON.parse(readFileSync(file, "utf8"));
  entry.result.inventory.master.name = name;
  writeFileSync(file, JSON.stringify(entry));
}

test("a valid inventory is kept and the same input is answered from the entry, warnings too", async (t) => {
  const { dir, work } = offered(t);
  writeFileSync(join(work, "a.yaml"), minimal("sync: {sections: [acces]}\n"));
  const first = await loadInventory("a.yaml", { cwd: work });
  assert.ok(first.inventory);
  assert.equal(first.warnings.length, 1, "the misspelt section is a warning");
  assert.equal(entries(dir).length, 1);
  const again = await loadInventory("a.yaml", { cwd: work });
  assert.deepEqual(again, first);
  renameKeptMaster(dir, "from-the-cache");
  const third = await loadInventory("a.yaml", { cwd: work });
  assert.equal(third.inventory?.master.name, "from-the-cache", "the entry was used");
});

test("another text, path or option is checked anew; an invalid inventory is never kept", async (t) => {
  const { dir, work } = offered(t);
  writeFileSync(join(work, "a.yaml"), minimal());
  await loadInventory("a.yaml", { cwd: work });
  renameKeptMaster(dir, "from-the-cache");
  writeFileSync(join(work, "b.yaml"), minimal());
  assert.equal((await loadInventory("b.yaml", { cwd: work })).inventory?.master.name, "hq", "the same text at another path");
  assert.equal((await loadInventory("a.yaml", { cwd: work, maxAliasCount: 5 })).inventory?.master.name, "hq", "other options");
  writeFileSync(join(work, "a.yaml"), minimal() + "# edited\n");
  assert.equal((await loadInventory("a.yaml", { cwd: work })).inventory?.master.name, "hq", "an edited file");

  const before = entries(dir).length;
  writeFileSync(join(work, "bad.yaml"), minimal("bogus: 1\n"));
  const bad = await loadInventory("bad.yaml", { cwd: work });
  assert.equal(bad.inventory, undefined);
  assert.ok(bad.errors.length > 0);
  assert.equal(entries(dir).length, before, "nothing kept for an invalid inventory");
  assert.deepEqual(await loadInventory("bad.yaml", { cwd: work }), bad, "and its errors are the same the next time");
});

test("a damaged entry is a miss and is replaced; at most MAX_ENTRIES are kept", async (t) => {
  const { dir, work } = offered(t);
  writeFileSync(join(work, "a.yaml"), minimal());
  const first = await loadInventory("a.yaml", { cwd: work });
  const [only] = entries(dir);
  writeFileSync(join(dir, only!), "{ not json");
  assert.deepEqual(await loadInventory("a.yaml", { cwd: work }), first);
  assert.doesNotThrow(() => JSON.parse(readFileSync(join(dir, only!), "utf8")), "rewritten");

  for (let i = 0; i < MAX_ENTRIES + 4; i++) {
    writeFileSync(join(work, `n${i}.yaml`), minimal());
    await loadInventory(`n${i}.yaml`, { cwd: work });
  }
  assert.equal(entries(dir).length, MAX_ENTRIES);
  assert.deepEqual(readdirSync(dir).filter((n) => !n.endsWith(".json")), [], "no temporary file left");
});

test("without a folder offered (run from the sources) nothing is kept", async (t) => {
  const work = tempDir(t);
  writeFileSync(join(work, "a.yaml"), minimal());
  assert.ok((await loadInventory("a.yaml", { cwd: work })).inventory);
  assert.deepEqual(readdirSync(work), ["a.yaml"]);
});
