/**
 * `--shard` and `report merge` end to end: the built CLI against a lab, node state read back
 * through the admin endpoint. Two shards join every slave exactly once; apply --shard leaves
 * the master alone and says so; allow --shard is refused; the shards' JSON reports merge into
 * one report with every slave and the right exit code, also when partial, failed, an error
 * envelope or a duplicate is among them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { shardOf } from "../../src/fleet/shard.js";
import { runCli, jsonOf } from "../helpers/cli.js";
import { pointerOf, startFleet, writeMarks, type Fleet } from "../helpers/fleet.js";

const JOIN = ["join-slave", "--yes", "--no-backup-to-cloud"];

/** Runs the CLI in the fleet's folder with `-o json`, keeps stdout in FILE; returns the report. */
async function toFile(f: Fleet, file: string, args: string[]): Promise<{ code: number | null; report: any; stderr: string }> {
  const r = await f.run([...args, "-o", "json"]);
  writeFileSync(join(f.dir, file), r.stdout);
  return { code: r.code, report: jsonOf(r), stderr: r.stderr };
}

/** `report merge FILES...` in the fleet's folder (no inventory: merge reads files only). */
function merge(f: Fleet, args: string[]): ReturnType<typeof runCli> {
  return runCli(["report", "merge", ...args], { cwd: f.dir });
}

test("join-slave --shard 1/2 and 2/2 join every slave exactly once; verify shards merge into one report", async (t) => {
  const f = await startFleet(t, { slaves: 4 });
  const { lab } = f;
  assert.equal((await f.json(["allow"])).r.code, 0);

  const one = await toFile(f, "join-1.json", [...JOIN, "--shard", "1/2"]);
  const two = await toFile(f, "join-2.json", [...JOIN, "--shard", "2/2"]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.deepEqual(one.report.shard, { index: 1, count: 2 });
  assert.deepEqual(two.report.shard, { index: 2, count: 2 });
  const names = [...one.report.nodes, ...two.report.nodes].map((n: any) => n.name).sort();
  assert.deepEqual(names, ["slave-1", "slave-2", "slave-3", "slave-4"], "every slave in exactly one shard");
  for (const n of one.report.nodes) assert.equal(shardOf(n.name, 2), 1);
  for (const n of [...one.report.nodes, ...two.report.nodes]) assert.equal(n.status, "joined");
  for (const s of lab.slaves) {
    assert.equal(await pointerOf(lab, s), `${lab.master.host}:${lab.port}`, `${s.name} points at the master`);
    assert.equal(s.restarts, 1, `${s.name} restarted once: joined by one shard only`);
  }

  // The join reports merge too; then verify, sharded three ways (shard 1/3 holds no slave here).
  const joined = await merge(f, ["join-1.json", "join-2.json", "-o", "json"]);
  assert.equal(joined.code, 0, joined.stderr);
  assert.deepEqual(jsonOf(joined).summary, { joined: 4 });
  const verifies = [];
  for (const i of [1, 2, 3]) verifies.push(await toFile(f, `verify-${i}.json`, ["verify", "--wait", "20s", "--shard", `${i}/3`]));
  assert.deepEqual(verifies[0]!.report.nodes, []);
  assert.match(verifies[0]!.report.notes.join("\n"), /shard 1\/3 holds none of the 4 selected slave\(s\)/);
  // In text, the empty shard and a merge of it alone say why there is no slave: no --limit was given.
  const emptyText = await f.run(["verify", "--shard", "1/3"]);
  assert.match(emptyText.stdout, /\n {2}no slaves: shard 1\/3 holds none of the selected slaves\n/);
  const emptyMerge = await merge(f, ["verify-1.json"]);
  assert.match(emptyMerge.stdout, /\n {2}no slaves: the merged reports hold none \(1 of 3 shards\)\n/);
  for (const r of [emptyText, emptyMerge]) assert.doesNotMatch(r.stdout, /--limit/);
  const all = await merge(f, ["verify-3.json", "verify-1.json", "verify-2.json", "-o", "json"]);
  assert.equal(all.code, 0, all.stdout + all.stderr);
  const report = jsonOf(all);
  assert.equal(report.command, "verify");
  assert.deepEqual(report.nodes.map((n: any) => `${n.name}:${n.status}`), ["slave-1:in_sync", "slave-2:in_sync", "slave-3:in_sync", "slave-4:in_sync"]);
  assert.deepEqual(report.merged.missing, []);
  assert.equal(report.shard, undefined);

  const junit = await merge(f, ["verify-1.json", "verify-2.json", "verify-3.json", "-o", "junit"]);
  assert.equal(junit.code, 0);
  assert.match(junit.stdout, /<testsuite name="verify" tests="\d+" failures="0"/);
  assert.match(junit.stdout, /<testcase classname="report merge" name="shard 3\/3"/);
  const text = await merge(f, ["verify-1.json", "verify-2.json", "verify-3.json"]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /merged 3 of 3 shards/);
  assert.match(text.stdout, /4 in sync/);

  // Partial: shard 2/3 missing. A duplicate of shard 3 counts once. An error envelope fails the run.
  const partial = await merge(f, ["verify-1.json", "verify-3.json", "verify-3.json", `${f.dir}/verify-3.json`]);
  assert.equal(partial.code, 1, partial.stdout);
  assert.match(partial.stdout, /no report for shard 2\/3: its slaves are not in this report/);
  const env = await toFile(f, "verify-2-failed.json", ["verify", "--shard", "2/3", "--timeout", "bogus"]);
  assert.equal(env.code, 2);
  assert.equal(env.report.error.code, "USAGE");
  const stopped = await merge(f, ["verify-1.json", "verify-2-failed.json", "verify-3.json", "-o", "json"]);
  assert.equal(stopped.code, 1);
  assert.deepEqual(jsonOf(stopped).merged.failed.map((x: any) => x.file), ["verify-2-failed.json"]);
  assert.deepEqual(jsonOf(stopped).merged.missing, [2]);
  // Mixed commands are refused (exit 2), naming the files.
  const mixed = await merge(f, ["join-1.json", "verify-2.json"]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /join-1\.json and verify-2\.json are not shards of one run: their command differs/);
});

test("allow --shard is refused; apply --shard joins and verifies its shard only, leaves the master alone and says so", async (t) => {
  const f = await startFleet(t, { slaves: 4 });
  const { lab } = f;
  const fresh = await writeMarks(lab);
  const refused = await f.run(["allow", "--shard", "1/2"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /allow does not take --shard: it changes the master once for the whole fleet/);
  assert.match(refused.stderr, /run `safesquid-fleet allow` once \(without --shard\) before the sharded/);
  const bad = await f.json(["verify", "--shard", "3/2"]);
  assert.equal(bad.r.code, 2);
  assert.match(bad.report.error.message, /--shard.*I must be 1\.\.2/);
  assert.equal(await writeMarks(lab), fresh, "nothing touched");

  assert.equal((await f.json(["allow"])).r.code, 0);
  const masterBefore = (await writeMarks(lab)).split("\n")[0];
  const a = await toFile(f, "apply-2.json", ["apply", "--yes", "--no-backup-to-cloud", "--wait", "20s", "--shard", "2/2"]);
  assert.equal(a.code, 0, JSON.stringify(a.report, null, 1));
  assert.deepEqual(a.report.phases.map((p: any) => p.command), ["join-slave", "verify"], "no allow phase");
  assert.ok(a.report.notes.some((n: string) => /join-slave and verify only: under --shard, allow runs once on the master/.test(n)));
  assert.ok(!a.report.nodes.some((n: any) => n.role === "master"));
  assert.deepEqual(a.report.nodes.map((n: any) => n.name).sort(), ["slave-1", "slave-2", "slave-3"]);
  assert.equal((await writeMarks(lab)).split("\n")[0], masterBefore, "the master was not written");
  assert.equal(lab.node("slave-4").restarts, 0, "a slave of the other shard was not touched");
  const prune = await f.run(["apply", "--yes", "--shard", "1/2", "--prune"]);
  assert.equal(prune.code, 2);
  assert.match(prune.stderr, /--prune goes with allow, which apply --shard does not run/);

  // Shard 1 never ran: the merge names it and fails; once it has run, the merge is whole.
  const half = await merge(f, ["apply-2.json", "-o", "junit"]);
  assert.equal(half.code, 1);
  assert.match(half.stdout, /<failure message="no report for shard 1\/2" type="missing">/);
  assert.equal((await toFile(f, "apply-1.json", ["apply", "--yes", "--no-backup-to-cloud", "--wait", "20s", "--shard", "1/2"])).code, 0);
  const whole = await merge(f, ["apply-1.json", "apply-2.json", "-o", "json"]);
  assert.equal(whole.code, 0, whole.stdout);
  const r = jsonOf(whole);
  assert.deepEqual(r.phases.map((p: any) => [p.command, p.nodes.length, p.ok]), [["join-slave", 4, true], ["verify", 4, true]]);
  assert.deepEqual(r.nodes.map((n: any) => `${n.name}:${n.join.status}:${n.status}`), ["slave-1:joined:in_sync", "slave-2:joined:in_sync", "slave-3:joined:in_sync", "slave-4:joined:in_sync"]);
});
