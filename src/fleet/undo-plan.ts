/**
 * Deciding `undo` for one node (pure; docs/run-records.md "How undo decides"). A recorded
 * change knows the node's state before the run and as the run left it. The node now:
 *   - as the run left it  -> "undo": put the before-state back;
 *   - as before the run   -> "as-before": nothing to do (unchanged);
 *   - anything else       -> "conflict": it changed since, in a way the record does not
 *     explain; nothing is written without --force.
 * Startup parameters compare MASTER_IP / MASTER_PORT; the allow row compares the master's whole
 * access section (values and order, ids ignored), so an edit by someone else is seen too.
 */
import { sameValues } from "./allow-plan.js";
import { pointerLabel } from "./join-plan.js";
import { sameSnapshot, snapshotDiff, type AccessSnapshot } from "./access-snapshot.js";
import type { Change } from "./record.js";
import type { Report } from "./report.js";

export type ParamsChange = Extract<Change, { kind: "params" }>;
export type RowChange = Extract<Change, { kind: "allow-row" }>;
export type Verdict = { kind: "undo" } | { kind: "as-before" } | { kind: "conflict"; why: string };

/** One change per kind, in the order of first appearance: the first before-state, the last after-state. */
export function mergeChanges(changes: readonly Change[]): Change[] {
  const out: Change[] = [];
  for (const c of changes) {
    const i = out.findIndex((x) => x.kind === c.kind);
    if (i < 0) out.push(structuredClone(c));
    else if (c.kind === "params" && out[i]!.kind === "params") out[i] = { ...out[i], after: c.after, restart: out[i].restart || c.restart } as ParamsChange;
    else if (c.kind === "allow-row" && out[i]!.kind === "allow-row") {
      const first = out[i] as RowChange;
      out[i] = { ...first, after: c.after, access: { before: first.access.before, after: c.access.after } };
    }
  }
  return out;
}

/** The change that puts the node back: before and after swapped. */
export function inverse<C extends Change>(c: C): C {
  if (c.kind === "params") return { ...c, before: c.after, after: c.before };
  if (c.kind === "allow-row") return { ...c, before: c.after, after: c.before, access: { before: c.access.after, after: c.access.before } };
  return c;
}

const same = (a: Report["MasterPointer"], b: Report["MasterPointer"]): boolean => a.MASTER_IP === b.MASTER_IP && a.MASTER_PORT === b.MASTER_PORT;

/** Undo a startup-parameter change, given MASTER_IP / MASTER_PORT now? */
export function paramsVerdict(now: Report["MasterPointer"], c: ParamsChange): Verdict {
  if (same(now, c.before)) return { kind: "as-before" };
  if (same(now, c.after)) return { kind: "undo" };
  return { kind: "conflict", why: `MASTER_IP:MASTER_PORT is ${pointerLabel(now)} now; the run left ${pointerLabel(c.after)} (before it: ${pointerLabel(c.before)})` };
}

/** Undo an allow-row change, given the master's access section now? */
export function rowVerdict(now: AccessSnapshot, c: RowChange): Verdict {
  if (sameSnapshot(now, c.access.before)) return { kind: "as-before" };
  if (sameSnapshot(now, c.access.after)) return { kind: "undo" };
  return { kind: "conflict", why: `the access section changed since the run: ${snapshotDiff(now, c.access.after)}` };
}

/** A change in words, for the report. */
export function describeChange(c: Change): string {
  if (c.kind === "params") return `MASTER_IP:MASTER_PORT ${pointerLabel(c.before)} -> ${pointerLabel(c.after)}${c.restart ? ", restarted" : ", not restarted"}`;
  if (c.kind === "restart") return "restarted";
  if (!c.before && c.after) return `allow row added at row ${c.after.place + 1}`;
  if (c.before && !c.after) return `allow row removed from row ${c.before.place + 1}`;
  const moved = c.before && c.after && c.before.place !== c.after.place ? `, moved from row ${c.before.place + 1} to row ${c.after.place + 1}` : "";
  const edited = c.before && c.after && !sameValues(c.before.values, c.after.values) ? "allow row edited" : "allow row";
  return `${edited} (row ${(c.before?.place ?? 0) + 1})${moved}`;
}
