/** Run records read back: the runs of a folder, format checks (an old record is refused with a reason), RUN lookup. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changesByNode, findRun, listRuns, notUndoable, readRun } from "../../src/fleet/record-read.js";
import { RunRecord } from "../../src/fleet/record.js";

function folder(t: { after: (f: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-records-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("a record written now reads back: its changes per node in the run's order, secrets redacted", (t) => {
  const dir = folder(t);
  const rec = new RunRecord(dir, "apply", { inventory: "/x/fleet.yaml" }, () => ["hunter2"]);
  rec.write({ node: "hq", role: "master", address: "10.0.0.10:8080", action: "change", change: { kind: "restart" } });
  rec.write({ node: "pune-1", role: "slave", action: "change", change: { kind: "params", before: { MASTER_IP: "", MASTER_PORT: "" }, after: { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" }, restart: true } });
  rec.write({ node: "pune-1", action: "params-write", note: "password hunter2" });
  const path = join(dir, listRuns(dir)[0]!.file);
  assert.ok(!readFileSync(path, "utf8").includes("hunter2"));
  const run = readRun(path);
  assert.equal(run.header.record, 2);
  assert.equal(notUndoable(run), undefined);
  assert.deepEqual(changesByNode(run).map((n) => `${n.node}:${n.role}:${n.changes.length}`), ["hq:master:1", "pune-1:slave:1"]);
  const [summary] = listRuns(dir);
  assert.deepEqual({ command: summary!.command, nodes: summary!.nodes, writes: summary!.writes }, { command: "apply", nodes: ["hq", "pune-1"], writes: 1 });
});

test("a format-1 record (before undo existed) is listed but refused with a reason; a cut last line is tolerated", (t) => {
  const dir = folder(t);
  const old = [
    JSON.stringify({ at: "2025-11-26T10:00:00.000Z", tool: "safesquid-fleet 0.1.0", command: "join-slave", inventory: "/x/fleet.yaml" }),
    JSON.stringify({ at: "2025-11-26T10:00:01.000Z", node: "pune-1", action: "params-write", before: { MASTER_IP: "", MASTER_PORT: "" } }),
    '{"at": "2025-11-26T10:00:0',
  ].join("\n");
  writeFileSync(join(dir, "2025-11-26T10-00-00-000Z-join-slave-7.jsonl"), old);
  const run = readRun(join(dir, "2025-11-26T10-00-00-000Z-join-slave-7.jsonl"));
  assert.equal(run.unreadable, 1);
  assert.match(notUndoable(run) ?? "", /record format 1, which lacks the row places and snapshots undo needs; its before-values are in the file/);
  assert.equal(listRuns(dir)[0]!.notUndoable, notUndoable(run));
  writeFileSync(join(dir, "2025-11-27T10-00-00-000Z-bad-8.jsonl"), "not json\n{}\n");
  assert.match(listRuns(dir)[1]!.notUndoable ?? "", /not a run record/);
});

test("RUN is a path, a file name, or its unique start; without it, the newest run", (t) => {
  const dir = folder(t);
  for (const f of ["2025-11-26T10-00-00-000Z-apply-1.jsonl", "2025-11-27T10-00-00-000Z-undo-2.jsonl"]) writeFileSync(join(dir, f), "{}\n");
  assert.equal(findRun(dir, undefined, dir), join(dir, "2025-11-27T10-00-00-000Z-undo-2.jsonl"));
  assert.equal(findRun(dir, "2025-11-26", dir), join(dir, "2025-11-26T10-00-00-000Z-apply-1.jsonl"));
  assert.throws(() => findRun(dir, "2025-11-2", dir), /names 2 run records/);
  assert.throws(() => findRun(dir, "nothing", dir), /no run record "nothing"/);
  assert.throws(() => findRun(join(dir, "none"), undefined, dir), /no run records in .*nothing to undo/);
});
