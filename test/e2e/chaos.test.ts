/**
 * A seeded chaos test: a lab of slaves where every admin request has a small chance of each
 * fault an emulated node can inject (refuse connections, a delay past the tool's timeout, 503,
 * a reset before or after the handler ran, a lost reply, a restart that never comes back, and
 * a master that denies a slave's sync), running `apply`, `verify` and `undo` (of the apply) on
 * the built CLI. After every run the invariants are checked from the nodes' own state (their
 * files and what is in effect), never from the tool's word:
 *
 * - every slave is joined (the master's address written and in effect), rolled back to the
 *   before-values the run record holds, skipped with nothing written, or failed with a state
 *   that matches what is on the node (the `left` pointer it reports, and never a value the run
 *   did not mean to write);
 * - the master has exactly one managed allow row, running and saved, when allow succeeded (at
 *   most one otherwise);
 * - no write reached a node without a run-record entry for that node before it (the emulator's
 *   captured requests against the record's times), every startup-parameter write its own entry;
 * - the report's status for each node matches the node (verify's in_sync / not_joined / ...);
 * - undo: every node the apply changed is restored to the before-values its record holds (and
 *   in effect), found unchanged (as before), a conflict (neither before nor after), or failed
 *   with its before- or its after-values and nothing else; the master's managed rows are as
 *   before the apply when restored, and never two.
 *
 * Small and fixed by default (`npm test`); SAFESQUID_CHAOS_SEED, _SLAVES, _ROUNDS and _RATE make
 * it another run or a larger one (npm run bench runs a larger one). A failure names its seed.
 * No timing is asserted: the deadlines only stop a hung run.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CapturedRequest } from "../../src/emulator/capture.js";
import type { ChaosKind } from "../../src/emulator/faults.js";
import type { EmulatedNode } from "../../src/emulator/node.js";
import { valuesOf } from "../../src/emulator/params.js";
import { splitList } from "../../src/safesquid/access.js";
import { parsePolicy, readAccess } from "../../src/safesquid/policy.js";
import { startFleet, type Fleet } from "../helpers/fleet.js";
import { oneReport } from "../cli/helpers.js";

const SEED = Number(process.env.SAFESQUID_CHAOS_SEED || 20261201);
const SLAVES = Number(process.env.SAFESQUID_CHAOS_SLAVES || 20);
const ROUNDS = Number(process.env.SAFESQUID_CHAOS_ROUNDS || 1);
/** The chance of each kind of fault per request. */
const RATE = Number(process.env.SAFESQUID_CHAOS_RATE || 0.008);

const RATES: Partial<Record<ChaosKind, number>> = {
  refuse: RATE,
  delay: RATE,
  error: RATE,
  resetBefore: RATE,
  resetAfter: RATE,
  lostReply: RATE,
  // Drawn on restart requests only (a few per slave), and on slaves' sync fetches only.
  neverReturn: RATE * 5,
  denySync: RATE * 2,
};

type Pointer = string;
const TOOL = "127.0.0.1";

function pointerOf(values: Map<string, string>): Pointer {
  return `${values.get("MASTER_IP") ?? ""}:${values.get("MASTER_PORT") ?? ""}`;
}
const fileOf = (n: EmulatedNode): Pointer => pointerOf(valuesOf(n.fileParams()));
const effectiveOf = (n: EmulatedNode): Pointer => pointerOf(n.effectiveParams());
const label = (p: { MASTER_IP: string; MASTER_PORT: string }): Pointer => `${p.MASTER_IP}:${p.MASTER_PORT}`;

/** The admin writes the tool sent to a node (captured at its socket), with their kind. */
function writesOf(n: EmulatedNode, from: number, to: number): { at: number; kind: string }[] {
  const out: { at: number; kind: string }[] = [];
  for (const c of n.captured) {
    if (c.remote !== TOOL || c.at < from || c.at > to) continue;
    const kind = writeKind(c);
    if (kind) out.push({ at: c.at, kind });
  }
  return out;
}

function writeKind(c: CapturedRequest): string | undefined {
  const p = new Map(c.params);
  const handler = p.get("handler");
  if (handler === "safesquid_params") return p.has("no_of_params") ? "params" : undefined;
  if (handler === "configuration" || handler === "save" || handler === "safesquid_restart" || handler === "cloud_backup") return handler;
  return undefined;
}

interface Entry {
  at: string;
  node: string;
  action: string;
  before?: any;
  change?: { kind: string; before: any; after: any; restart?: boolean };
}

function recordOf(f: Fleet, path: string | undefined): Entry[] {
  if (!path) return [];
  return readFileSync(join(f.dir, path), "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as Entry);
}

/** No write without a record entry for its node before it; each params write and restart with its own. */
function checkRecordFirst(f: Fleet, entries: Entry[], from: number, to: number): void {
  for (const n of f.lab.nodes) {
    const mine = entries.filter((e) => e.node === n.name).map((e) => ({ ...e, ms: Date.parse(e.at) }));
    const count = (actions: string[], t: number): number => mine.filter((e) => actions.includes(e.action) && e.ms <= t).length;
    const writes = writesOf(n, from, to);
    for (const [i, w] of writes.entries()) {
      assert.ok(mine.some((e) => e.ms <= w.at), `${n.name}: a ${w.kind} write reached the node with no run-record entry before it`);
      const sofar = writes.slice(0, i + 1);
      if (w.kind === "params") assert.ok(count(["params-write"], w.at) >= sofar.filter((x) => x.kind === "params").length, `${n.name}: a startup-parameter write without its own params-write entry before it`);
      if (w.kind === "safesquid_restart") assert.ok(count(["restart", "rollback"], w.at) >= sofar.filter((x) => x.kind === "safesquid_restart").length, `${n.name}: a restart without a restart or rollback entry before it`);
    }
  }
}

/** The master's managed rows: exactly one, running and saved, when allow succeeded; never more. */
function checkMaster(f: Fleet, allow: any): void {
  const group = (a: ReturnType<typeof readAccess>): number => a.allow.filter((r) => splitList(r.values.add_user_groups).includes("PROXY_SLAVES")).length;
  const running = group(f.lab.master.policy.access());
  const saved = group(readAccess(parsePolicy(f.lab.master.folder.readConfig())));
  if (allow && (allow.status === "updated" || allow.status === "unchanged")) {
    assert.equal(running, 1, `allow ${allow.status}: one managed row running`);
    assert.equal(saved, 1, `allow ${allow.status}: one managed row saved`);
  } else {
    assert.ok(running <= 1 && saved <= 1, `never two managed rows (running ${running}, saved ${saved}); allow: ${JSON.stringify(allow?.error)}`);
  }
}

/** A slave's join outcome against what is on it. */
function checkJoin(n: EmulatedNode, j: any, target: Pointer, before: Pointer, entries: Entry[]): void {
  const file = fileOf(n);
  const what = `${n.name} ${j.status} (${j.error?.code ?? ""} ${j.error?.message ?? ""}; node ${n.status}, file ${file}, in effect ${effectiveOf(n)})`;
  const recorded = entries.find((e) => e.node === n.name && e.action === "params-write")?.before;
  switch (j.status) {
    case "joined":
    case "unchanged":
      assert.equal(file, target, `${what}: its parameters name the master`);
      assert.equal(effectiveOf(n), target, `${what}: in effect`);
      break;
    case "rolled_back":
      assert.ok(recorded, `${what}: the record holds its before-values`);
      assert.equal(file, label(recorded), `${what}: rolled back to the recorded before-values`);
      assert.equal(effectiveOf(n), label(recorded), `${what}: and they are in effect`);
      assert.equal(j.rollback?.restored, true, what);
      break;
    case "skipped":
      assert.equal(file, before, `${what}: nothing written`);
      assert.equal(entries.filter((e) => e.node === n.name).length, 0, `${what}: no record entry`);
      break;
    case "failed":
      if (j.left) assert.equal(file, label(j.left), `${what}: the report says it was left with ${label(j.left)}`);
      assert.ok(file === before || file === target, `${what}: nothing but its old or its new values`);
      break;
    default:
      assert.fail(`${what}: unexpected status`);
  }
}

/** A slave's undo outcome against what is on it; `change` is the apply's params change for it. */
function checkUndo(n: EmulatedNode, u: any, change: NonNullable<Entry["change"]>): void {
  const file = fileOf(n);
  const before = label(change.before);
  const after = label(change.after);
  const what = `${n.name} undo ${u.status} (${u.error?.code ?? ""} ${u.error?.message ?? ""}; apply changed ${before} -> ${after}; node ${n.status}, file ${file}, in effect ${effectiveOf(n)})`;
  switch (u.status) {
    case "restored":
      assert.equal(file, before, `${what}: its recorded before-values are back`);
      if (change.restart) assert.equal(effectiveOf(n), before, `${what}: and in effect`);
      break;
    case "unchanged":
      assert.equal(file, before, `${what}: already as before`);
      break;
    case "conflict":
      assert.ok(file !== before && file !== after, `${what}: a conflict is neither the before nor the after`);
      break;
    case "failed":
      assert.ok(file === before || file === after, `${what}: nothing but its before- or its after-values`);
      break;
    default:
      assert.fail(`${what}: unexpected status`);
  }
}

/** The master's managed rows after undo: as before the apply when restored or unchanged; never two. */
function checkUndoMaster(f: Fleet, u: any, change: NonNullable<Entry["change"]>): void {
  const group = (a: ReturnType<typeof readAccess>): number => a.allow.filter((r) => splitList(r.values.add_user_groups).includes("PROXY_SLAVES")).length;
  const running = group(f.lab.master.policy.access());
  const saved = group(readAccess(parsePolicy(f.lab.master.folder.readConfig())));
  const what = `master undo ${u.status} (${u.error?.code ?? ""} ${u.error?.message ?? ""}; running ${running}, saved ${saved})`;
  if (u.status === "restored" || u.status === "unchanged") {
    const was = change.before ? 1 : 0;
    assert.equal(running, was, `${what}: managed rows running as before the apply`);
    assert.equal(saved, was, `${what}: and saved`);
  } else {
    assert.ok(running <= 1 && saved <= 1, `${what}: never two managed rows`);
  }
}

/** A slave's verify status against what is on it. */
function checkVerify(n: EmulatedNode, v: any, target: Pointer): void {
  const joinedHere = fileOf(n) === target && effectiveOf(n) === target;
  const what = `${n.name} verify ${v.status} (node ${n.status}, file ${fileOf(n)}, in effect ${effectiveOf(n)}; reported ${JSON.stringify(v)})`;
  if (n.status === "dead") assert.equal(v.status, "unreachable", `${what}: a node that is gone can only be unreachable`);
  switch (v.status) {
    case "in_sync":
    case "out_of_sync":
    case "pending":
      assert.ok(joinedHere, `${what}: joined to this master, values in effect`);
      break;
    case "not_joined":
      assert.ok(!joinedHere, `${what}: not joined`);
      break;
    case "unreachable":
      assert.ok(v.error?.code, `${what}: says why`);
      break;
    default:
      assert.fail(`${what}: unexpected status`);
  }
}

async function round(t: TestContext, f: Fleet, r: number, target: Pointer): Promise<void> {
  const before = new Map(f.lab.slaves.map((s) => [s.name, fileOf(s)]));
  const from = Date.now();
  const apply = await f.run(["apply", "--yes", "--concurrency", "4", "--restart-timeout", "8s", "--wait", "20s", "-o", "json"], { timeoutMs: 170_000 });
  const to = Date.now();
  const report = oneReport(apply, `round ${r}: apply`);
  const entries = recordOf(f, report.runRecord);
  const byName = new Map<string, any>(report.nodes.map((n: any) => [n.name, n]));
  t.diagnostic(`round ${r}: apply exit ${apply.code}: ${JSON.stringify(report.summary)}; joins ${JSON.stringify(tally(report.nodes.filter((n: any) => n.role === "slave").map((n: any) => n.join?.status ?? n.status)))}; faults drawn so far ${JSON.stringify(draws(f))}`);

  for (const n of report.nodes) {
    const j = n.join ?? n;
    if (j.status === "failed" || j.status === "rolled_back") t.diagnostic(`round ${r}: ${n.name} ${j.status}: ${j.error?.code} ${j.error?.message ?? j.rollback?.reason}`);
  }
  checkRecordFirst(f, entries, from, to);
  checkMaster(f, byName.get(f.lab.master.name));
  for (const s of f.lab.slaves) {
    const n = byName.get(s.name);
    assert.ok(n, `${s.name} is in the report`);
    checkJoin(s, n.join ?? n, target, before.get(s.name)!, entries);
    if (n.join) checkVerify(s, n, target);
  }

  const verify = await f.run(["verify", "-o", "json"], { timeoutMs: 170_000 });
  const v = oneReport(verify, `round ${r}: verify`);
  t.diagnostic(`round ${r}: verify exit ${verify.code}: ${JSON.stringify(v.summary)}`);
  for (const s of f.lab.slaves) checkVerify(s, v.nodes.find((n: any) => n.name === s.name), target);

  // Undo the apply: every node it changed, judged from the apply's own record.
  if (!report.runRecord) return;
  const uFrom = Date.now();
  const undo = await f.run(["undo", report.runRecord, "--yes", "--concurrency", "4", "--restart-timeout", "8s", "-o", "json"], { timeoutMs: 170_000 });
  const uTo = Date.now();
  const u = oneReport(undo, `round ${r}: undo`);
  t.diagnostic(`round ${r}: undo exit ${undo.code}: ${JSON.stringify(tally(u.nodes.map((n: any) => n.status)))}`);
  for (const n of u.nodes) if (n.status !== "restored" && n.status !== "unchanged") t.diagnostic(`round ${r}: undo ${n.name} ${n.status}: ${n.error?.code} ${n.error?.message ?? ""}`);
  checkRecordFirst(f, recordOf(f, u.runRecord), uFrom, uTo);
  const changed = new Map<string, NonNullable<Entry["change"]>>();
  for (const e of entries) {
    if (e.action !== "change" || !e.change) continue;
    // As undo merges them: the first before-state, the last after-state.
    const key = `${e.node}/${e.change.kind}`;
    const had = changed.get(key);
    changed.set(key, had ? { ...had, after: e.change.after, restart: had.restart || e.change.restart } : e.change);
  }
  for (const s of f.lab.slaves) {
    const change = changed.get(`${s.name}/params`);
    const n = u.nodes.find((x: any) => x.name === s.name);
    if (!change) {
      assert.equal(n, undefined, `${s.name}: the apply changed nothing on it, so undo has nothing to do there`);
      continue;
    }
    assert.ok(n, `${s.name} is in the undo report`);
    checkUndo(s, n, change);
  }
  const row = changed.get(`${f.lab.master.name}/allow-row`);
  const m = u.nodes.find((x: any) => x.name === f.lab.master.name);
  if (row && m) checkUndoMaster(f, m, row);
}

function tally(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

function draws(f: Fleet): Record<string, number> {
  return tally(f.lab.nodes.flatMap((n) => n.faults.chaosDraws.map((d) => d.kind)));
}

test(`chaos: ${SLAVES} slaves, every request a small chance of each fault (seed ${SEED}, ${ROUNDS} round(s)); invariants from the nodes' own state`, async (t) => {
  const f = await startFleet(t, { slaves: SLAVES, capture: true }, (inv) => {
    inv.defaults.timeout = "1s";
  });
  const target = `${f.lab.master.host}:${f.lab.port}`;
  f.lab.nodes.forEach((n, i) => n.faults.chaos({ seed: SEED * 1009 + i, rates: RATES, toolAddresses: [TOOL], delayMs: 1500, refuseMs: 300 }));
  t.diagnostic(`replay with SAFESQUID_CHAOS_SEED=${SEED} SAFESQUID_CHAOS_SLAVES=${SLAVES} SAFESQUID_CHAOS_ROUNDS=${ROUNDS} SAFESQUID_CHAOS_RATE=${RATE}`);
  try {
    for (let r = 1; r <= ROUNDS; r++) await round(t, f, r, target);
  } catch (e) {
    const err = e as Error;
    err.message = `chaos seed ${SEED} (replay: SAFESQUID_CHAOS_SEED=${SEED} SAFESQUID_CHAOS_SLAVES=${SLAVES} SAFESQUID_CHAOS_ROUNDS=${ROUNDS} SAFESQUID_CHAOS_RATE=${RATE}): ${err.message}`;
    throw err;
  } finally {
    for (const n of f.lab.nodes) n.faults.chaos(undefined);
  }
});
