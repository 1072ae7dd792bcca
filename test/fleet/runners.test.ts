/**
 * The runners in-process (no spawned CLI): a FleetSession over a lab, as `openRun` builds it,
 * and `runAllow` / `runJoin` called directly. A lost reply to a write is settled by reading
 * back (no second write), a slave that cannot reach the master is rolled back with its previous
 * values in effect again, and an interrupted run leaves slaves not started skipped.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { stringify } from "yaml";
import type { Lab } from "../../src/emulator/lab.js";
import { parseInventory } from "../../src/inventory/parse.js";
import type { Inventory } from "../../src/inventory/types.js";
import { runAllow } from "../../src/fleet/allow.js";
import { masterFacts, runJoin, type JoinOptions } from "../../src/fleet/join.js";
import { RunRecord } from "../../src/fleet/record.js";
import { FleetSession } from "../../src/fleet/session.js";
import { accessOf } from "../helpers/fleet.js";
import { startTestLab } from "../helpers/lab.js";

/** The lab's inventory, parsed as a command would load it; `edit` may change it first. */
function inventoryOf(t: TestContext, lab: Lab, edit?: (inv: any) => void): { inventory: Inventory; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "ssf-runners-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inv = JSON.parse(JSON.stringify(lab.inventory()));
  edit?.(inv);
  const r = parseInventory(stringify(inv), join(dir, "fleet.yaml"));
  assert.deepEqual(r.errors, []);
  return { inventory: r.inventory!, dir };
}

/** A session over the lab, as openRun builds it (no credentials: the lab asks for none). */
function sessionOf(t: TestContext, lab: Lab, o: { edit?: (inv: any) => void; signal?: AbortSignal } = {}): { s: FleetSession; record: RunRecord } {
  const { inventory, dir } = inventoryOf(t, lab, o.edit);
  const record = new RunRecord(join(dir, "runs"), "join-slave", { inventory: inventory.file });
  const s = new FleetSession({
    inventory,
    signal: o.signal ?? new AbortController().signal,
    record,
    credentials: async () => undefined,
    resolve: async (host) => host,
    timeoutMs: 5000,
  });
  t.after(() => s.close());
  return { s, record };
}

function joinOptions(s: FleetSession, over: Partial<JoinOptions> = {}): JoinOptions {
  return { slaves: s.inventory.slaves, dryRun: false, restart: true, backupToCloud: false, concurrency: 2, restartTimeoutMs: 20_000, move: false, ...over };
}

test("allow in-process: the reply to the row write is lost; reading back finds the row, written once", async (t) => {
  const lab = await startTestLab(t, { slaves: 2 });
  await lab.waitUntilAnswering();
  const { s } = sessionOf(t, lab);
  lab.master.faults.dropMidReply({ handlers: ["configuration"], times: 1 });
  const r = await runAllow(s, { slaves: s.inventory.slaves, dryRun: false, prune: false });
  assert.equal(r.status, "updated", JSON.stringify(r));
  const rows = (await accessOf(lab)).allow.filter((x) => (x.values.add_user_groups ?? "").includes("PROXY_SLAVES"));
  assert.equal(rows.length, 1, "exactly one managed row: the write was not sent again blindly");
});

test("join in-process: a slave that cannot reach the master is rolled back, its previous values in effect again", async (t) => {
  const lab = await startTestLab(t, { slaves: 1 });
  await lab.waitUntilAnswering();
  const dead = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const { s, record } = sessionOf(t, lab, { edit: (inv) => (inv.master.advertise = { ip: inv.master.host, port: dead }) });
  const [n] = await runJoin(s, joinOptions(s), await masterFacts(s));
  assert.equal(n!.status, "rolled_back", JSON.stringify(n));
  assert.equal(n!.rollback?.restored, true);
  assert.equal(lab.slaves[0]!.effectiveParams().get("MASTER_IP"), "", "stand-alone again");
  assert.ok(record.location(process.cwd()), "the previous values were recorded before the write");
});

test("join in-process: interrupted before any slave starts, every slave is skipped and nothing is written", async (t) => {
  const lab = await startTestLab(t, { slaves: 2 });
  await lab.waitUntilAnswering();
  const ac = new AbortController();
  const { s, record } = sessionOf(t, lab, { signal: ac.signal });
  const facts = await masterFacts(s);
  ac.abort();
  const nodes = await runJoin(s, joinOptions(s), facts);
  assert.deepEqual(nodes.map((n) => n.status), ["skipped", "skipped"], JSON.stringify(nodes));
  assert.equal(record.location(process.cwd()), undefined, "no write, so no run record");
  assert.deepEqual(lab.slaves.map((x) => x.restarts), [0, 0]);
});
