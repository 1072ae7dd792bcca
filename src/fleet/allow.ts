/**
 * `allow` on the master: read, plan (./allow-plan.ts), write the one managed row, move it
 * into place, read back, save, read back again. Idempotent: a run with nothing to change
 * makes no write at all. A failure after a write undoes what was written (the edits are not
 * saved yet) and says so.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { evaluateAccess } from "../safesquid/access.js";
import { redactRow, snapshotOf } from "./access-snapshot.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { describeRow, planAllow, planIsNoop, type AllowInput, type AllowPlan } from "./allow-plan.js";
import { indexOf, liveAccess, placeRow, restoreRows, writeRow } from "./allow-write.js";
import type { NodeResult } from "./report.js";
import { errorInfo, rowSummary, startResult, step, warn } from "./results.js";
import type { FleetSession } from "./session.js";

export interface AllowOptions {
  /** The slaves to let in (after --limit). */
  slaves: SlaveSpec[];
  dryRun: boolean;
  prune: boolean;
}

/** Runs `allow`; never throws for the master's own failures (they are in the result). */
export async function runAllow(s: FleetSession, o: AllowOptions): Promise<NodeResult> {
  const master = s.inventory.master;
  const { result, finish } = startResult(master, o.dryRun ? "planned" : "updated");
  const c = s.client(master);
  s.progress.phase(`allow: reading the master's access rows (${master.name})`);
  try {
    const input = await allowInput(s, c, o, result);
    const plan = planAllow(input);
    for (const w of plan.warnings) warn(result, w);
    report(result, plan);
    if (plan.blockers.length) {
      const lock = plan.blockers.some((b) => b.kind === "LOCKOUT");
      throw new FleetError(lock ? "LOCKOUT" : "CONFLICT", plan.blockers.map((b) => b.message).join("; "), { node: master.name });
    }
    if (planIsNoop(plan)) {
      result.status = "unchanged";
      return finish();
    }
    if (o.dryRun) return finish();
    await execute(s, c, input, plan, result);
    result.status = "updated";
  } catch (e) {
    result.status = "failed";
    result.error = errorInfo(e);
  }
  return finish();
}

/** Reads the master and resolves the slaves' addresses into the planner's input. */
async function allowInput(s: FleetSession, c: SafeSquidClient, o: AllowOptions, result: NodeResult): Promise<AllowInput> {
  const access = await liveAccess(c);
  const known: AllowInput["known"] = [];
  const slaves: AllowInput["slaves"] = [];
  for (const sl of s.inventory.slaves) {
    try {
      const address = await s.slaveAddress(sl);
      known.push({ name: sl.name, address });
      if (o.slaves.includes(sl)) slaves.push({ name: sl.name, address });
    } catch (e) {
      if (o.slaves.includes(sl)) warn(result, `${sl.name}: ${(e as Error).message}; it was not added to the allow row`);
    }
  }
  const pointer = await s.masterPointer();
  return {
    access,
    slaves,
    known,
    userGroup: s.inventory.allowList.userGroup,
    masterListen: `${pointer.ip}:${s.inventory.master.port}`,
    tool: toolRequest(c),
    prune: o.prune,
  };
}

/** The tool as the master sees it (its address, and credentials when it sends them). */
export function toolRequest(c: SafeSquidClient): AllowInput["tool"] {
  const creds = c.transport.credentialsInUse;
  return {
    ip: c.transport.localAddress ?? "127.0.0.1",
    ...(creds ? { username: creds.username, password: creds.password.reveal() } : {}),
  };
}

function report(result: NodeResult, plan: AllowPlan): void {
  const moves: string[] = [];
  if (plan.move) {
    const m = plan.move;
    moves.push(m.direction === "top" ? `move to the top, above ${describeRow(m.above)}` : `move up ${m.count} (to row ${plan.toIndex + 1}), above ${describeRow(m.above)}`);
  }
  result.row = {
    ...(plan.existing ? { before: rowSummary(plan.existing.values, plan.fromIndex, plan.existing.id) } : {}),
    after: rowSummary(plan.after, plan.toIndex, plan.existing?.id),
    moves,
    writes: 0,
  };
}

async function execute(s: FleetSession, c: SafeSquidClient, input: AllowInput, plan: AllowPlan, result: NodeResult): Promise<void> {
  const master = c.node.name;
  const row = result.row!;
  let unsaved = false;
  try {
    s.progress.phase(`allow: writing the slaves' row on ${master}`);
    s.recordChange(s.inventory.master, {
      kind: "allow-row",
      userGroup: input.userGroup,
      before: plan.existing ? { values: redactRow(plan.existing.values), place: plan.fromIndex } : null,
      after: { values: redactRow(plan.after), place: plan.toIndex },
      access: { before: snapshotOf(input.access), after: snapshotOf(plan.result) },
    });
    if (plan.action !== "none") {
      const entry = plan.action === "add" ? { action: "row-add", after: redactRow(plan.after) } : { action: "row-edit", before: redactRow(plan.existing!.values), after: redactRow(plan.after) };
      s.record.write({ node: master, ...entry });
      unsaved = true;
      const note = await writeRow(c, input, plan, (t) => s.checked(master, t));
      row.writes++;
      if (note) step(result, note);
      step(result, plan.action === "add" ? "row added (read back)" : "row updated (read back)");
    }
    const at = indexOf(await liveAccess(c), plan.after, input.userGroup);
    if (at !== plan.toIndex) {
      s.record.write({ node: master, action: "row-shift", note: `from row ${at + 1} to row ${plan.toIndex + 1}` });
      unsaved = true;
      row.writes += await placeRow(c, plan.after, input.userGroup, plan.toIndex);
      s.checked(master, `the slaves' row: read back at row ${plan.toIndex + 1}`);
      step(result, `row moved to row ${plan.toIndex + 1} (read back)`);
    }
    await readBack(c, input, "before saving");
    s.checked(master, "before saving: re-planned on the live access rows, nothing left to do; this tool still gets in");
    s.record.write({ node: master, action: "save" });
    await c.save();
    s.checked(master, 'save: the node answered "File saved"');
    row.writes++;
    unsaved = false; // saved: the running configuration is the new one for good
    step(result, "saved");
    await readBack(c, input, "after saving");
    s.checked(master, "after saving: re-planned on the live access rows, nothing left to do");
    step(result, "read back");
  } catch (e) {
    if (unsaved) {
      const restored = await restoreRows(c, input, plan);
      warn(result, restored ? "the unsaved changes to the master were undone (read back: its access rows are as before)" : "the master may hold unsaved changes from this run: restart it without saving, or check its allow list (the run record has the row as it was)");
    }
    throw e;
  }
}

/** Proves the change: re-planning on the live document must find nothing to do, and the tool must still get in. */
async function readBack(c: SafeSquidClient, input: AllowInput, when: string): Promise<void> {
  const access = await liveAccess(c);
  const again = planAllow({ ...input, access });
  if (!planIsNoop(again) || again.blockers.length) {
    throw new FleetError("CONFLICT", `read-back ${when} does not show the row in place on the master`, {
      node: c.node.name,
      hint: "someone may be editing the master's allow list at the same time; run allow again",
    });
  }
  const tool = evaluateAccess(access, toolRequest(c), () => true);
  if (tool.kind !== "allow") throw new FleetError("LOCKOUT", `after the change the master would refuse this tool (${tool.kind})`, { node: c.node.name });
}
