/**
 * `report merge` rules on hand-built shard reports (src/fleet/merge.ts): complete, partial,
 * failed, error envelope, duplicate, mixed; apply's phases; exit codes; files that are not
 * reports. The merged document must match the published schema.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { FleetError } from "../../src/errors.js";
import { mergeReports, type MergePart } from "../../src/fleet/merge.js";
import { readParts } from "../../src/fleet/merge-read.js";
import { summarize, type ExitCode, type NodeResult, type Report, type RunReport } from "../../src/fleet/report.js";
import { renderJson } from "../../src/report/json.js";

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL("../../examples/report.schema.json", import.meta.url), "utf8")) as object);

const slave = (name: string, status: NodeResult["status"] = "in_sync"): NodeResult => ({ name, role: "slave", address: `10.0.1.1:8080`, status, durationMs: 10 });

function shard(index: number, count: number, nodes: NodeResult[], extra: Partial<RunReport> = {}): RunReport {
  const exitCode = nodes.some((n) => !["in_sync", "joined", "unchanged", "planned"].includes(n.status)) ? 1 : 0;
  return {
    schemaVersion: 1,
    command: "verify",
    ok: exitCode === 0,
    exitCode,
    dryRun: false,
    changes: false,
    interrupted: false,
    startedAt: `2025-11-26T10:00:0${index}.000Z`,
    finishedAt: `2025-11-26T10:00:1${index}.000Z`,
    durationMs: 10_000,
    inventory: "/srv/fleet.yaml",
    master: { name: "hq", address: "10.0.0.10:8080" },
    shard: { index, count },
    nodes,
    summary: summarize(nodes),
    ...extra,
  };
}

const part = (file: string, report: RunReport): MergePart => ({ file, report });
const envelope = (file: string, code = "CREDENTIALS", command = "verify"): MergePart => ({
  file,
  envelope: { schemaVersion: 1, command, ok: false, exitCode: 2, nodes: [], error: { code, message: "SAFESQUID_PASSWORD is not set", hint: "export it" } } as Report["ErrorEnvelope"],
});

function merged(parts: MergePart[]): RunReport {
  const r = mergeReports(parts);
  assert.ok(validate(JSON.parse(renderJson(r))), ajv.errorsText(validate.errors));
  return r;
}

function refused(parts: MergePart[], re: RegExp): void {
  assert.throws(() => mergeReports(parts), (e: unknown) => e instanceof FleetError && e.code === "USAGE" && re.test(e.message), String(re));
}

test("complete: every shard's slaves in one report, by name; exit 0; where each part came from", () => {
  const r = merged([part("b.json", shard(2, 2, [slave("slave-10"), slave("slave-2")])), part("a.json", shard(1, 2, [slave("slave-1"), slave("slave-3")]))]);
  assert.deepEqual(r.nodes.map((n) => n.name), ["slave-1", "slave-2", "slave-3", "slave-10"]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.ok, true);
  assert.equal(r.shard, undefined);
  assert.deepEqual(r.summary, { in_sync: 4 });
  assert.deepEqual(r.merged, { count: 2, missing: [], failed: [], shards: [{ index: 1, file: "a.json", exitCode: 0, nodes: 2 }, { index: 2, file: "b.json", exitCode: 0, nodes: 2 }] });
  assert.equal(r.startedAt, "2025-11-26T10:00:01.000Z");
  assert.equal(r.finishedAt, "2025-11-26T10:00:12.000Z");
  assert.equal(r.durationMs, 11_000);
  assert.match(r.notes![0]!, /merged 2 of 2 shard report\(s\) of verify/);
});

test("partial: a shard with no report is named and fails the merge (exit 1)", () => {
  const r = merged([part("a.json", shard(1, 3, [slave("slave-1")])), part("c.json", shard(3, 3, [slave("slave-3")]))]);
  assert.equal(r.exitCode, 1);
  assert.equal(r.ok, false);
  assert.deepEqual(r.merged!.missing, [2]);
  assert.ok(r.notes!.some((n) => /no report for shard 2\/3/.test(n)), r.notes!.join("\n"));
});

test("failed: a shard whose slaves failed fails the merge, its nodes carry the reasons", () => {
  const bad = { ...slave("slave-2", "unreachable"), error: { code: "UNREACHABLE" as const, message: "slave-2 refused the connection" } };
  const r = merged([part("a.json", shard(1, 2, [slave("slave-1")])), part("b.json", shard(2, 2, [bad]))]);
  assert.equal(r.exitCode, 1);
  assert.deepEqual(r.summary, { in_sync: 1, unreachable: 1 });
  assert.equal(r.nodes[1]!.error!.message, "slave-2 refused the connection");
});

test("error envelope: the shard that stopped is named with its error; the merge fails (exit 1)", () => {
  const r = merged([part("a.json", shard(1, 2, [slave("slave-1")])), envelope("b.json")]);
  assert.equal(r.exitCode, 1);
  assert.deepEqual(r.merged!.missing, [2]);
  assert.deepEqual(r.merged!.failed, [{ file: "b.json", error: { code: "CREDENTIALS", message: "SAFESQUID_PASSWORD is not set", hint: "export it" } }]);
  assert.ok(r.notes!.some((n) => /b\.json: a shard stopped with an error \(CREDENTIALS\)/.test(n)));
  // an interrupted shard makes the whole run interrupted
  assert.equal(mergeReports([part("a.json", shard(1, 2, [slave("slave-1")])), envelope("b.json", "INTERRUPTED")]).exitCode, 130);
  // nothing but envelopes: there is no report to merge
  assert.throws(() => mergeReports([envelope("a.json"), envelope("b.json")]), (e: unknown) => e instanceof FleetError && e.code === "SHARD_FAILED" && e.details.length === 2);
});

test("duplicates: the same report twice counts once; two different runs of one shard, or one slave in two shards, are refused", () => {
  const one = shard(1, 2, [slave("slave-1")]);
  const r = merged([part("a.json", one), part("copy/a.json", structuredClone(one)), part("b.json", shard(2, 2, [slave("slave-2")]))]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.nodes.length, 2);
  assert.ok(r.notes!.some((n) => /copy\/a\.json is the same report as a\.json \(shard 1\/2\): counted once/.test(n)));
  refused([part("a.json", one), part("rerun.json", shard(1, 2, [slave("slave-1", "out_of_sync")]))], /a\.json and rerun\.json are two different runs of shard 1\/2/);
  refused([part("a.json", one), part("b.json", shard(2, 2, [slave("slave-1")]))], /slave-1 is in shard 1\/2 \(a\.json\) and in shard 2\/2 \(b\.json\)/);
});

test("mixed runs are refused (exit 2): command, inventory, master, shard count, dry run, no shard at all", () => {
  const a = part("a.json", shard(1, 2, [slave("slave-1")]));
  const b = (extra: Partial<RunReport>): MergePart => part("b.json", shard(2, 2, [slave("slave-2")], extra));
  refused([a, b({ command: "join-slave" })], /their command differs/);
  refused([a, b({ inventory: "/srv/other.yaml" })], /their inventory differs \(fleet\.yaml \/ other\.yaml\)/);
  assert.equal(mergeReports([a, b({ inventory: "/home/runner-2/_work/fleet.yaml" })]).exitCode, 0, "the same file checked out elsewhere");
  refused([a, b({ master: { name: "hq2", address: "10.0.0.11:8080" } })], /their master differs/);
  refused([a, b({ shard: { index: 2, count: 3 } })], /their shard count differs/);
  refused([a, b({ dryRun: true })], /their dry-run mode differs/);
  const { shard: _s, ...unsharded } = shard(2, 2, [slave("slave-2")]);
  refused([a, part("full.json", unsharded as RunReport)], /full\.json is not a shard's report/);
  refused([a, envelope("e.json", "CREDENTIALS", "apply")], /e\.json is an error envelope of apply, the reports are of verify/);
  assert.equal(mergeReports([a, envelope("e.json", "USAGE", "")]).exitCode, 1, "an envelope of an unknown command is taken");
});

test("dry runs: changes in any shard; --detailed-exitcode as the shards used it (exit 3)", () => {
  const dry = (i: number, exitCode: ExitCode, changes: boolean): MergePart => part(`${i}.json`, shard(i, 2, [slave(`slave-${i}`, changes ? "planned" : "unchanged")], { command: "join-slave", dryRun: true, changes, exitCode }));
  const detailed = merged([dry(1, 3, true), dry(2, 0, false)]);
  assert.equal(detailed.changes, true);
  assert.equal(detailed.exitCode, 3);
  assert.equal(detailed.ok, true);
  assert.equal(merged([dry(1, 0, true), dry(2, 0, false)]).exitCode, 0, "without --detailed-exitcode in the shards");
  // Each shard's plan names its own restarts: the merged plan names them all, in the report's order.
  const plan = (restart: string[]) => ({ restart, concurrency: 2, noRestart: false, confirm: "yes" as const, cloudBackup: "no" as const });
  const withPlan = (i: number, names: string[]): MergePart =>
    part(`${i}.json`, shard(i, 2, names.map((n) => slave(n, "planned")), { command: "join-slave", dryRun: true, changes: true, plan: plan(names) }));
  assert.deepEqual(merged([withPlan(2, ["pune-2"]), withPlan(1, ["pune-1", "pune-3"])]).plan, plan(["pune-1", "pune-2", "pune-3"]));
});

const phase = (command: Report["Phase"]["command"], nodes: NodeResult[], rest: Partial<Report["Phase"]> = {}): Report["Phase"] => ({ command, ok: true, durationMs: 100, nodes, ...rest });

test("apply: the shards' join-slave and verify phases are joined per phase; a phase skipped in one shard only fails", () => {
  const applyShard = (i: number, verify: Report["Phase"]): RunReport =>
    shard(i, 2, verify.nodes, { command: "apply", phases: [phase("join-slave", [slave(`slave-${i}`, "joined")]), verify], notes: ["join-slave and verify only: under --shard, allow runs once on the master before the shards (safesquid-fleet allow)"] });
  const ok = merged([part("1.json", applyShard(1, phase("verify", [slave("slave-1")]))), part("2.json", applyShard(2, phase("verify", [slave("slave-2")])))]);
  assert.equal(ok.exitCode, 0);
  assert.deepEqual(ok.phases!.map((p) => [p.command, p.ok, p.nodes.map((n) => n.name).join(",")]), [["join-slave", true, "slave-1,slave-2"], ["verify", true, "slave-1,slave-2"]]);
  assert.equal(ok.notes!.filter((n) => /allow runs once/.test(n)).length, 1, "shard notes once");

  const half = merged([part("1.json", applyShard(1, phase("verify", [slave("slave-1")]))), part("2.json", applyShard(2, phase("verify", [], { ok: false, skipped: "not run: interrupted" })))]);
  assert.equal(half.phases![1]!.ok, false);
  assert.equal(half.phases![1]!.skipped, undefined);
  assert.equal(half.exitCode, 1);
  assert.ok(half.notes!.some((n) => n === "shard 2/2: verify skipped: not run: interrupted"));

  const dry = (i: number): RunReport => ({ ...applyShard(i, phase("verify", [], { ok: false, skipped: "not run in a dry run (nothing was changed to verify)" })), nodes: [], dryRun: true });
  const both = merged([part("1.json", dry(1)), part("2.json", dry(2))]);
  assert.equal(both.phases![1]!.skipped, "not run in a dry run (nothing was changed to verify)");
  assert.equal(both.exitCode, 0);
});

test("files: unreadable, empty, not JSON, not a report, a folder: exit 2 naming the file; the same path twice counts once", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-merge-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => (writeFileSync(join(dir, name), text), name);
  const good = write("good.json", renderJson(shard(1, 1, [slave("slave-1")])));
  mkdirSync(join(dir, "folder.json"));
  const cases: [string, RegExp][] = [
    ["missing.json", /^missing\.json: no such file$/],
    [write("empty.json", "\n"), /^empty\.json: is empty/],
    [write("xml.json", "<testsuites/>"), /^xml\.json: is not JSON/],
    [write("other.json", '{"hello": 1}'), /^other\.json: is not a safesquid-fleet report \(\/ must have required property/],
    [write("bad-status.json", renderJson(shard(1, 1, [slave("slave-1", "done" as NodeResult["status"])]))), /^bad-status\.json: is not a safesquid-fleet report \(\/nodes\/0\/status must be equal to one of the allowed values\)/],
    [write("bad-envelope.json", '{"error": {}}'), /^bad-envelope\.json: is not a safesquid-fleet error envelope/],
    ["folder.json", /^folder\.json: is a folder/],
  ];
  for (const [file, re] of cases) {
    await assert.rejects(readParts([good, file], dir), (e: unknown) => e instanceof FleetError && e.code === "USAGE" && re.test(e.message), file);
  }
  const parts = await readParts([good, join(dir, good), `./${good}`], dir);
  assert.equal(parts.length, 1);
});
