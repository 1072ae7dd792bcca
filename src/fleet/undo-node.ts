/**
 * `undo` on one node: read what it holds now, decide per recorded change (./undo-plan.ts),
 * and put back what the run changed, in the reverse order of the run. Every write goes through
 * the same code as the commands that made it (the whole parameter list read back; the allow
 * row found by content, placed, saved, read back), and is recorded as a change of this run, so
 * an undo can itself be undone.
 */
import { FleetError } from "../errors.js";
import type { NodeSpec } from "../inventory/types.js";
import { paramValues } from "../safesquid/params.js";
import { sameSnapshot, snapshotDiff, snapshotOf, transformed } from "./access-snapshot.js";
import { liveAccess } from "./allow-write.js";
import { pointerLabel, pointerOf } from "./join-plan.js";
import { pointTo } from "./params-write.js";
import type { Change } from "./record.js";
import type { NodeResult } from "./report.js";
import { restartAndSettle, saveFirst, settledText, type NodeStep } from "./restart-node.js";
import { step, warn } from "./results.js";
import { changeRow } from "./row-change.js";
import type { FleetSession } from "./session.js";
import { inverse, paramsVerdict, rowVerdict, type ParamsChange, type RowChange, type Verdict } from "./undo-plan.js";

/** One node of the run being undone. */
export interface UndoWork {
  spec: NodeSpec;
  /** Its recorded changes, merged per kind, in the order of the run. */
  changes: Change[];
  result: NodeResult;
}

export interface UndoNodeOptions {
  force: boolean;
  restartTimeoutMs: number;
}

/** The verdict on each change, from the node as it is now. */
export async function verdicts(s: FleetSession, w: UndoWork): Promise<Verdict[]> {
  const c = s.client(w.spec);
  const out: Verdict[] = [];
  for (const ch of w.changes) {
    if (ch.kind === "params") out.push(paramsVerdict(pointerOf(await c.readParams()), ch));
    else if (ch.kind === "allow-row") out.push(rowVerdict(snapshotOf(await liveAccess(c)), ch));
    else out.push({ kind: "as-before" });
  }
  return out;
}

/** The node's status from its verdicts: conflict (unless forced), planned, or unchanged. */
export function statusOf(vs: readonly Verdict[], force: boolean): "conflict" | "planned" | "unchanged" {
  if (vs.some((v) => v.kind === "conflict")) return force ? "planned" : "conflict";
  return vs.some((v) => v.kind === "undo") ? "planned" : "unchanged";
}

/** Would undoing this node restart it? */
export function restarts(w: UndoWork, vs: readonly Verdict[], force: boolean): boolean {
  return w.changes.some((c, i) => c.kind === "params" && c.restart && (vs[i]!.kind === "undo" || (vs[i]!.kind === "conflict" && force)));
}

/** Undoes the node's changes, last first; sets the result's status. */
export async function undoNode(s: FleetSession, w: UndoWork, o: UndoNodeOptions): Promise<void> {
  const vs = await verdicts(s, w);
  const status = statusOf(vs, o.force);
  noteVerdicts(w.result, vs, o.force);
  if (status !== "planned") {
    w.result.status = status;
    return;
  }
  const n: NodeStep = { s, c: s.client(w.spec), slave: w.spec, result: w.result };
  for (let i = w.changes.length - 1; i >= 0; i--) {
    const ch = w.changes[i]!;
    if (vs[i]!.kind === "as-before") continue;
    if (ch.kind === "params") await undoParams(n, ch, o);
    else if (ch.kind === "allow-row") await undoRow(n, ch);
  }
  w.result.status = "restored";
}

/** A conflict is the node's error, or with --force a warning. */
export function noteVerdicts(r: NodeResult, vs: readonly Verdict[], force: boolean): void {
  for (const v of vs) {
    if (v.kind !== "conflict") continue;
    if (force) warn(r, `${v.why} (--force: put back anyway)`);
    else r.error = { code: "CONFLICT", message: `${r.name} changed since the run, in a way the run record does not explain: ${v.why}; nothing was written`, hint: "look at the node; `safesquid-fleet undo --force` puts the run's before-values back anyway" };
  }
}

/** MASTER_IP / MASTER_PORT back as before the run; restarted (and watched) where the run restarted. */
async function undoParams(n: NodeStep, ch: ParamsChange, o: UndoNodeOptions): Promise<void> {
  const { s, c, slave, result } = n;
  const params = await c.readParams();
  const back: ParamsChange = { ...ch, before: pointerOf(params), after: ch.before };
  result.current = back.before;
  result.planned = back.after;
  s.recordChange(slave, back);
  if (ch.restart) await saveFirst(n);
  await pointTo(n, back.after, `MASTER_IP / MASTER_PORT ${pointerLabel(back.after)} written back`);
  if (!ch.restart) {
    warn(result, `the run did not restart ${slave.name}, so neither did undo; if it was restarted since, restart it (safesquid-fleet restart ${slave.name})`);
    return;
  }
  const r = await restartAndSettle(n, { pointer: back.after, values: paramValues(params), restartTimeoutMs: o.restartTimeoutMs, standAlone: "quiet" });
  const what = settledText(r, pointerLabel(back.after));
  if (r.kind === "no-answer" || r.kind === "silent" || r.kind === "still-syncing") {
    throw new FleetError(r.kind === "no-answer" ? "UNREACHABLE" : "SYNC_FAILED", `${slave.name}: MASTER_IP / MASTER_PORT ${pointerLabel(back.after)} are written back, but ${what}`, { node: slave.name, hint: "check the node; the run record of this undo holds what it wrote" });
  }
  step(result, what);
  if (r.kind !== "synced" && r.kind !== "quiet") warn(result, `${slave.name} is back as before the run, but ${what}`);
}

/** The master's allow row back as before the run (values and place, or removed, or added back). */
async function undoRow(n: NodeStep, ch: RowChange): Promise<void> {
  const { s, c, slave, result } = n;
  const live = snapshotOf(await liveAccess(c));
  const back = inverse(ch);
  // What the section will be: the recorded before-state, or (forced) the live one with the row put back.
  const expected = sameSnapshot(live, ch.access.after) ? ch.access.before : transformed(live, back.before, back.after);
  s.recordChange(slave, { ...back, access: { before: live, after: expected } });
  const { back: read } = await changeRow({ s, c, master: slave, result, userGroup: ch.userGroup, from: back.before, to: back.after });
  if (!sameSnapshot(read, expected)) throw new FleetError("CONFLICT", `read back after the save, the master's access rows are not as before the run: ${snapshotDiff(read, expected)}`, { node: slave.name });
  step(result, "access rows read back as before the run");
}
