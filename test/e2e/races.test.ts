/**
 * Two runs at once, end to end on the built CLI. On one machine the inventory's lock stops the
 * second writing run (exit 2, naming the holder) and lets a read-only verify through. On two
 * machines (two working folders: no shared lock) two `allow` runs against a master that
 * answers in ~150 ms end with exactly one managed row, running and saved, and each exit code
 * says why. The master's state is read from the node itself (admin endpoint and saved file).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeRowForm, splitList, type AccessSection } from "../../src/safesquid/access.js";
import { admin } from "../helpers/admin.js";
import { parsePolicy, readAccess } from "../../src/safesquid/policy.js";
import { accessOf, startFleet } from "../helpers/fleet.js";
import { until } from "../helpers/lab.js";

const GROUP = "PROXY_SLAVES";
const managed = (a: AccessSection): number => a.allow.filter((r) => splitList(r.values.add_user_groups).includes(GROUP)).length;

test("two allow runs at once from two machines (no shared lock): one managed row, running and saved; both exit codes explained", async (t) => {
  const f = await startFleet(t, { slaves: 2, capture: true });
  f.lab.master.faults.delayReplies(150);
  // The second machine: its own working folder, so its own run records and lock.
  const other = mkdtempSync(join(tmpdir(), "safesquid-e2e-other-"));
  t.after(() => rmSync(other, { recursive: true, force: true }));
  const runs = await Promise.all([f.json(["allow"]), f.json(["allow"], { cwd: other })]);

  for (const { r, report } of runs) {
    const master = report.nodes[0];
    t.diagnostic(`exit ${r.code}: ${master.status}; ${(master.steps ?? []).join(", ")}${master.error ? `; ${master.error.code}: ${master.error.message}` : ""}`);
    if (r.code === 0) {
      assert.ok(["updated", "unchanged"].includes(master.status), JSON.stringify(master));
    } else {
      // The one way a run may lose the race: it saw the other run change the rows under it, said so, and what to do.
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(master.error.code, "CONFLICT", JSON.stringify(master.error));
      assert.match(master.error.hint, /run allow again/);
    }
  }
  assert.ok(runs.some((x) => x.r.code === 0), `at least one run succeeded:\n${runs.map((x) => x.r.stdout + x.r.stderr).join("\n---\n")}`);
  assert.equal(managed(await accessOf(f.lab)), 1, "one managed row in the running configuration");
  assert.equal(managed(readAccess(parsePolicy(f.lab.master.folder.readConfig()))), 1, "one managed row in the saved config.xml");

  // Both runs added their row: then one of them saw the other's and removed it, and said so.
  const adds = f.lab.master.captured.filter((c) => c.params.some(([k, v]) => k === "action" && v === "add")).length;
  if (adds === 2) {
    const said = runs.map((x) => JSON.stringify(x.report.nodes[0].steps ?? []) + JSON.stringify(x.report.nodes[0].warnings ?? [])).join("\n");
    assert.match(said, /more row carrying PROXY_SLAVES removed \(read back\)/, said);
  }

  // A third run finds one row and nothing to do.
  const third = await f.json(["allow"]);
  assert.equal(third.r.code, 0, third.r.stderr);
  assert.equal(third.report.nodes[0].status, "unchanged");
});

test("duplicate managed rows: verify and allow --dry-run report them; allow keeps one, read back and saved", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  assert.equal((await f.json(["allow"])).r.code, 0);
  // A copy of the row made by hand: a second identical row, added through the admin endpoint.
  const row = (await accessOf(f.lab)).allow.find((r) => splitList(r.values.add_user_groups).includes(GROUP))!;
  const form: [string, string][] = [...encodeRowForm(row.values), ["handler", "configuration"], ["section", "access"], ["subsection", "allow"], ["action", "add"]];
  const added = await admin(f.lab.master, form, { localAddress: "127.0.0.1" });
  assert.equal(added.status, 200);
  assert.doesNotMatch(added.body, /<error/);
  assert.equal(managed(await accessOf(f.lab)), 2);

  const v = await f.json(["verify"]);
  assert.match(JSON.stringify(v.report.notes ?? []), /the master has 2 allow rows carrying PROXY_SLAVES .*run `safesquid-fleet allow -i \S+` to keep one/);
  const dry = await f.json(["allow", "--dry-run", "--detailed-exitcode"]);
  assert.equal(dry.r.code, 3, "a dry run sees a change to make");
  assert.equal(dry.report.nodes[0].status, "planned");
  assert.match(dry.report.nodes[0].warnings.join("\n"), /2 allow rows carrying PROXY_SLAVES .*allow keeps row \d+ and removes the others/);
  assert.equal(managed(await accessOf(f.lab)), 2, "the dry run wrote nothing");

  const fix = await f.json(["allow"]);
  assert.equal(fix.r.code, 0, fix.r.stdout + fix.r.stderr);
  assert.equal(fix.report.nodes[0].status, "updated");
  assert.match(fix.report.nodes[0].steps.join(", "), /1 more row carrying PROXY_SLAVES removed \(read back\), .*saved/);
  assert.equal(managed(await accessOf(f.lab)), 1);
  assert.equal(managed(readAccess(parsePolicy(f.lab.master.folder.readConfig()))), 1);
  const again = await f.json(["verify"]);
  assert.equal(again.report.notes, undefined, "no note once one row is left");
});

test("one machine: a second writing run while the first holds the inventory's lock exits 2 naming it; verify is not blocked", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  f.lab.master.faults.delayReplies(400);
  const runs = join(f.dir, ".safesquid-fleet", "runs");
  const lockFile = (): string | undefined => (existsSync(runs) ? readdirSync(runs).find((n) => n.endsWith(".lock")) : undefined);
  let second: Awaited<ReturnType<typeof f.json>> | undefined;
  let reading: Awaited<ReturnType<typeof f.json>> | undefined;
  const first = f.json(["allow"], {
    onSpawn: (child) => {
      void until(() => lockFile() !== undefined, "the first run's lock", 60_000).then(async () => {
        [second, reading] = await Promise.all([f.json(["join-slave", "--yes"]), f.json(["verify"])]);
        void child;
      });
    },
  });
  const one = await first;
  await until(() => second !== undefined && reading !== undefined, "the second runs", 60_000);
  assert.equal(one.r.code, 0, one.r.stderr);
  assert.equal(second!.r.code, 2, second!.r.stdout + second!.r.stderr);
  assert.equal(second!.report.error.code, "LOCKED");
  assert.match(second!.report.error.message, /another safesquid-fleet run is changing this fleet: pid \d+, `safesquid-fleet allow -o json -i \S+fleet\.yaml`, started .* ago/);
  assert.match(second!.report.error.hint, /--lock-timeout/);
  assert.equal(f.lab.slaves[0]!.restarts, 0, "the locked-out run touched nothing");
  assert.notEqual(reading!.report.error?.code, "LOCKED", "verify does not take the lock");
  assert.equal(lockFile(), undefined, "the lock is released when the run ends");

  // With --lock-timeout, a run waits for the holder and then goes ahead. The waiting run starts
  // only once the holder has its lock (started together, either could take it first).
  const holder = f.json(["allow"]);
  await until(() => lockFile() !== undefined, "the holder's lock", 60_000);
  const waiting = f.json(["allow", "--lock-timeout", "2m"]);
  const [h, w] = await Promise.all([holder, waiting]);
  f.lab.master.faults.delayReplies(0);
  assert.equal(h.r.code, 0, h.r.stderr);
  assert.equal(w.r.code, 0, w.r.stderr);
});
