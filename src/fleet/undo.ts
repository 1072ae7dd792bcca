/**
 * `undo [RUN]`: restores what one run changed, from its run record (docs/run-records.md).
 * Every node of the record is read first and judged (./undo-plan.ts): `planned`, `unchanged`
 * (already as before), `conflict` (changed since, in a way the record does not explain), or
 * `failed` (not in the inventory, another address, unreachable). Then the nodes are put back
 * in the reverse order of the run (an apply's slaves before its master; a second undo then
 * redoes in the run's own order), slaves side by side up to `concurrency`.
 */
import type { Inventory, NodeSpec } from "../inventory/types.js";
import { addressOf } from "./address.js";
import { mapLimit } from "./concurrency.js";
import type { RunFile } from "./record-read.js";
import { changesByNode } from "./record-read.js";
import type { NodeResult } from "./report.js";
import { errorInfo, startResult, warn } from "./results.js";
import type { FleetSession } from "./session.js";
import { noteVerdicts, restarts, statusOf, undoNode, verdicts, type UndoNodeOptions, type UndoWork } from "./undo-node.js";
import { describeChange, mergeChanges } from "./undo-plan.js";

export interface UndoOptions extends UndoNodeOptions {
  run: RunFile;
  concurrency: number;
  /** Only these slaves (--limit or names); undefined: every node of the run. */
  only?: ReadonlySet<string>;
}

/** A node of the run as the dry pass found it. */
export interface PlannedNode extends UndoWork {
  finish: () => NodeResult;
  /** Undoing it restarts it. */
  restarts: boolean;
  /** How long putting it back took (the report's time for the node, once it ran). */
  elapsedMs?: number;
}

export interface UndoPlan {
  /** The nodes in the inventory's order (the report's). */
  works: PlannedNode[];
  /** The same nodes in the order the run first touched them (undone in reverse). */
  order: PlannedNode[];
  notes: string[];
}

/** Reads every node of the run and judges it (a dry pass: nothing written). */
export async function planUndo(s: FleetSession, o: UndoOptions): Promise<UndoPlan> {
  const notes: string[] = [];
  const works: UndoPlan["works"] = [];
  s.progress.phase("undo: reading the nodes the run changed");
  for (const rec of changesByNode(o.run)) {
    const spec = nodeNamed(s.inventory, rec.node);
    if (o.only && !(spec?.role === "slave" && o.only.has(rec.node))) {
      notes.push(`${rec.node} is left as it is: ${rec.role === "master" ? "with --limit or slave names, a master's change is not undone" : "not selected"}`);
      continue;
    }
    // A node the inventory does not hold (or holds at another address) is reported, never written.
    const known = spec ?? { name: rec.node, role: rec.role, host: rec.address ?? "?", port: 0, transport: "proxy" as const, timeoutMs: 0 };
    const { result, finish } = startResult(known, "failed");
    const changes = mergeChanges(rec.changes);
    result.changes = changes.map(describeChange);
    works.push({ spec: known, changes, result, finish, restarts: false });
    if (!spec) result.error = { code: "USAGE", message: `${rec.node} is not in the inventory: nothing was written to it`, hint: "run undo with the inventory the run used" };
    else if (rec.address && rec.address !== addressOf(spec)) result.error = { code: "CONFLICT", message: `${rec.node} was ${rec.address} in the run, but is ${addressOf(spec)} in this inventory: nothing was written to it` };
  }
  // The report lists the master first, then the slaves in the inventory's order (nodes it does not know last).
  const rank = (name: string): number => {
    if (s.inventory.master.name === name) return -1;
    const i = s.inventory.slaves.findIndex((x) => x.name === name);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const byInventory = [...works].sort((a, b) => rank(a.spec.name) - rank(b.spec.name));
  await mapLimit(works, 16, async (w) => {
    if (w.result.error) return;
    try {
      const vs = await verdicts(s, w);
      w.result.status = statusOf(vs, o.force);
      w.restarts = restarts(w, vs, o.force);
      noteVerdicts(w.result, vs, o.force);
      if (w.changes.every((c) => c.kind === "restart")) warn(w.result, "the run only restarted it: a restart leaves nothing to put back");
    } catch (e) {
      w.result.status = "failed";
      w.result.error = errorInfo(e);
    }
    s.release(w.spec);
  });
  return { works: byInventory, order: works, notes };
}

/** The slaves undo would restart (for the question). */
export function restarting(plan: UndoPlan): string[] {
  return plan.works.filter((w) => w.result.status === "planned" && w.restarts).map((w) => w.spec.name);
}

/** Puts back the planned nodes, last touched first; returns every node's result, ordered as `reported` orders them. */
export async function runUndo(s: FleetSession, o: UndoOptions, plan: UndoPlan): Promise<NodeResult[]> {
  const todo = plan.order.filter((w) => w.result.status === "planned").reverse();
  // Slaves whose only changes are their parameters go side by side; a master (its allow row) alone.
  const batches: (typeof todo)[] = [];
  for (const w of todo) {
    const alone = w.changes.some((c) => c.kind === "allow-row");
    const last = batches.at(-1);
    if (!alone && last && !last[0]!.changes.some((c) => c.kind === "allow-row")) last.push(w);
    else batches.push([w]);
  }
  s.progress.phase("undo: putting the nodes back");
  for (const batch of batches) {
    await mapLimit(
      batch,
      o.concurrency,
      async (w) => {
        const t0 = performance.now();
        w.result.status = "failed";
        try {
          await undoNode(s, w, o);
        } catch (e) {
          w.result.status = "failed";
          w.result.error = errorInfo(e);
        }
        s.release(w.spec);
        w.elapsedMs = performance.now() - t0;
      },
      {
        signal: s.signal,
        onSkip: (w) => {
          w.result.status = "skipped";
          warn(w.result, "not started: the run was interrupted");
        },
      },
    );
  }
  return reported(plan);
}

/** The nodes' results in the inventory's order (the master first), with their own times once they ran. */
export function reported(plan: UndoPlan): NodeResult[] {
  return plan.works.map((w) => {
    const r = w.finish();
    if (w.elapsedMs !== undefined) r.durationMs = Math.round(w.elapsedMs);
    return r;
  });
}

function nodeNamed(inv: Inventory, name: string): NodeSpec | undefined {
  return inv.master.name === name ? inv.master : inv.slaves.find((x) => x.name === name);
}
