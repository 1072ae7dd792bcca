/** The lookup order and loadInventoryOrFail, the one call every fleet command makes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeFor, FleetError } from "../../src/errors.js";
import { findInventory, loadInventoryOrFail } from "../../src/inventory/find.js";
import { minimal, tempDir } from "./helpers.js";

test("findInventory: the flag, else SAFESQUID_FLEET_INVENTORY, else ./safesquid-fleet.yaml", () => {
  assert.deepEqual(findInventory("a.yaml", { SAFESQUID_FLEET_INVENTORY: "b.yaml" }, "/srv"), { file: "a.yaml", path: "/srv/a.yaml", source: "flag" });
  assert.deepEqual(findInventory(undefined, { SAFESQUID_FLEET_INVENTORY: "/etc/b.yaml" }, "/srv"), { file: "/etc/b.yaml", path: "/etc/b.yaml", source: "env" });
  assert.deepEqual(findInventory(undefined, { SAFESQUID_FLEET_INVENTORY: "" }, "/srv"), { file: "safesquid-fleet.yaml", path: "/srv/safesquid-fleet.yaml", source: "default" });
});

async function fails(p: Promise<unknown>): Promise<FleetError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof FleetError);
    return e;
  }
  assert.fail("no error");
}

test("loadInventoryOrFail: the inventory, with its warnings printed", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "safesquid-fleet.yaml"), minimal("sync: {sections: [acces]}\n"));
  const warned: string[] = [];
  const inv = await loadInventoryOrFail({ env: {}, cwd: dir, printer: { warn: (m) => warned.push(m) } }, undefined);
  assert.equal(inv.master.name, "hq");
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /^safesquid-fleet\.yaml:8:19: "acces" is not a section SafeSquid 2023\.10 knows/);
});

test("loadInventoryOrFail: errors stop the command (INVENTORY, exit 2) with every error as a detail", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "inv.yaml"), minimal("  - {name: pune-1, host: 10.0.1.0/24, port: 0}\n"));
  const e = await fails(loadInventoryOrFail({ env: {}, cwd: dir, printer: { warn: () => {} } }, "inv.yaml"));
  assert.equal(e.code, "INVENTORY");
  assert.equal(exitCodeFor(e.code), 2);
  assert.equal(e.message, "inv.yaml: 3 errors in the inventory; nothing was touched");
  const want = [["inv.yaml:8:12: ", "(slaves[1].name)"], ["inv.yaml:8:26: ", "(slaves[1].host)"], ["inv.yaml:8:45: ", "(slaves[1].port)"]];
  assert.equal(e.details.length, want.length);
  e.details.forEach((d, i) => assert.ok(d.startsWith(want[i]![0]!) && d.includes(want[i]![1]!), d));
  assert.equal(e.hint, "fix them, then check with: safesquid-fleet inventory validate -i inv.yaml");
});

test("loadInventoryOrFail: no inventory found says where it looked and what to do", async (t) => {
  const dir = tempDir(t);
  const viaEnv = await fails(loadInventoryOrFail({ env: { SAFESQUID_FLEET_INVENTORY: "fleet/prod.yaml" }, cwd: dir, printer: { warn: () => {} } }, undefined));
  assert.equal(viaEnv.code, "INVENTORY");
  assert.equal(viaEnv.message, "no inventory: fleet/prod.yaml does not exist (from SAFESQUID_FLEET_INVENTORY)");
  assert.match(viaEnv.hint ?? "", /safesquid-fleet inventory init/);
});
