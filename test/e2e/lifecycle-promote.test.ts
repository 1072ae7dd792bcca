/**
 * `promote`, end to end: with the master stopped, a slave becomes the master; every remaining
 * slave ends joined to it (MASTER_IP / MASTER_PORT read through the admin endpoint) and in sync
 * (section digests equal to the new master's); the report says what could not be checked, and
 * the inventory written by --write-inventory names the new master.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { digestsOf, pointerOf, startFleet } from "../helpers/fleet.js";
import { runCli } from "../helpers/cli.js";
import { paramsOf } from "../helpers/node-state.js";

test("promote with the master stopped: every remaining slave joined to the new master and in sync", async (t) => {
  const f = await startFleet(t, { slaves: 3 });
  const { lab } = f;
  assert.equal((await f.json(["apply", "--yes", "--no-backup-to-cloud"])).r.code, 0);
  await lab.master.stop();
  const [promoted, ...rest] = lab.slaves;
  const target = `${promoted!.host}:${lab.port}`;

  const dry = await f.json(["promote", "slave-1", "--dry-run"]);
  assert.equal(dry.r.code, 0, dry.r.stdout);
  assert.equal(dry.report.nodes[0].status, "planned");
  assert.match(dry.report.nodes[0].warnings.join(" "), /old master master does not answer.*could not check/);
  assert.equal(await pointerOf(lab, promoted!), `${lab.master.host}:${lab.port}`, "a dry run writes nothing");

  const inventory = join(f.dir, "promoted.yaml");
  const { r, report } = await f.json(["promote", "slave-1", "--yes", "--write-inventory", inventory]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(report.nodes[0].name, "slave-1");
  assert.equal(report.nodes[0].role, "master");
  assert.equal(report.nodes[0].status, "promoted");
  assert.deepEqual(report.nodes.slice(1).map((n: any) => `${n.name}:${n.status}:${n.join.status}`), ["slave-2:in_sync:joined", "slave-3:in_sync:joined"]);
  assert.deepEqual(report.inventoryChange.master, { from: "master", to: "slave-1" });

  // The nodes, read through the admin endpoint.
  const params = await paramsOf(lab, promoted!);
  assert.equal(`${params.get("MASTER_IP")}:${params.get("MASTER_PORT")}`, ":", "the new master is stand-alone");
  const master = await digestsOf(lab, promoted!);
  for (const s of rest) {
    assert.equal(await pointerOf(lab, s), target, `${s.name} points at the new master`);
    assert.equal(s.effectiveParams().get("MASTER_IP"), promoted!.host, `${s.name}: in effect`);
    const d = await digestsOf(lab, s);
    for (const [name, digest] of master) if (name !== "cache") assert.equal(d.get(name), digest, `${s.name} ${name} equals the new master's`);
  }

  // The written inventory names the new master, and verify against it is all in sync.
  const inv = parse(readFileSync(inventory, "utf8"));
  assert.equal(inv.master.name, "slave-1");
  assert.deepEqual(inv.slaves.map((s: any) => s.name), ["slave-2", "slave-3"]);
  const v = await runCli(["verify", "-i", inventory, "-o", "json"], { cwd: f.dir });
  assert.equal(v.code, 0, v.stdout);
});
