/**
 * `allow` on the master: read, plan (./allow-plan.ts), write the one managed row, move it
 * into place, read back, save, read back again. Idempotent: a run with nothing to change
 * makes no write at all. A failure after a write undoes what was written (the edits are not
 * saved yet) and says so.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { evaluateAccess, type AccessSection } from "../safesquid/access.js";
import { redactRow, sameSnapshot, snapshotOf } from "./access-snapshot.js";
import type { Change } from "./record.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { describeRow, planAllow, planIsNoop, type AllowInput, type AllowPlan } from "./allow-plan.js";
import { indexOf, liveAccess, placeRow, removeDuplicates, restoreRows, writeRow } from "./allow-write.js";
import type { NodeResult } from "./report.js";
import { errorInfo, rowSummary, startResult, step, warn } from "./results.js";
import { interruptedError, isInterrupt, nowDoing } from "./node-progress.js";
import type { FleetSession } from "./session.js";

export interface AllowOptions {
  /** The slaves to let in (after --limit). */
  slaves: SlaveSpec[];
  dryRun: boolean;
  prune: boolean;
  /**
   * Asked once the change is planned and before anything is written, with the master's
   * result so far (the row before and after, the moves); false: nothing is written and the
   * run stops as cancelled (INTERRUPTED). Absent: no question.
   */
  confirm?: (planned: NodeResult) => Promise<boolean>;
}

/** Runs `allow`; never throws for the master's own failures (they are in the result). */
export async function runAllow(s: FleetSession, o: AllowOptions): Promise<NodeResult> {
  const master = s.inventory.master;
  const { result, finish } = startResult(master, o.dryRun ? "planned" : "updated");
  const c = s.client(master);
  s.progress.phase(`allow: reading the master's access rows (${master.name})`);
  let declined = false;
  let stopped: unknown;
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
    // The question's own stop (Ctrl-C there, no terminal) is the run's, not the master's failure.
    const yes = o.confirm ? await o.confirm(result).catch((e: unknown) => Promise.reject((stopped = e))) : true;
    if (!yes) declined = true;
    else await execute(s, c, input, plan, result);
    result.status = "updated";
  } catch (e) {
    if (stopped !== undefined && e === stopped) throw e;
    result.status = "failed";
    result.error = isInterrupt(e) ? interruptedError(s, result, "allow") : errorInfo(e);
  }
  if (declined) throw new FleetError("INTERRUPTED", `cancelled: the access rows of the master ${master.name} were not changed`);
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
  for (const d of plan.duplicates) moves.push(`remove ${describeRow(d.row, d.index)}: another row carrying the same user group`);
  if (plan.move) {
    const m = plan.move;
    moves.push(m.direction === "top" ? `move to the top, above ${describeRow(m.above)}` : `move up ${m.count} (to row ${plan.toIndex + 1}), above ${describeRow(m.above)}`);
  }
  result.row = {
    ...(plan.existing ? { before: rowSummary(plan.existing.values, plan.foundAt ?? plan.fromIndex, plan.existing.id) } : {}),
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
    const change: Extract<Change, { kind: "allow-row" }> = {
      kind: "allow-row",
      userGroup: input.userGroup,
      before: plan.existing ? { values: redactRow(plan.existing.values), place: plan.fromIndex } : null,
      after: { values: redactRow(plan.after), place: plan.toIndex },
      // Rows carrying the user group beyond the managed one are removed (row-delete lines) and
      // never put back: the before-section is recorded without them, as the row's place is.
      access: { before: snapshotOf(withoutDuplicates(input.access, plan)), after: snapshotOf(plan.result) },
    };
    s.recordChange(s.inventory.master, change);
    nowDoing(result, "changing its allow rows (not saved yet: its saved configuration is as before)", { wrote: true });
    if (plan.action !== "none") {
      const entry = plan.action === "add" ? { action: "row-add", after: redactRow(plan.after) } : { action: "row-edit", before: redactRow(plan.existing!.values), after: redactRow(plan.after) };
      s.record.write({ node: master, ...entry });
      unsaved = true;
      const note = await writeRow(c, input, plan, (t) => s.checked(master, t));
      row.writes++;
      if (note) step(result, note);
      step(result, plan.action === "add" ? "row added (read back)" : "row updated (read back)");
    }
    // After its own write the run looks again: another allow run (another machine: no local
    // lock helps) may have added a row at the same time. The tool keeps one.
    const dedupe = (): Promise<number> => dropDuplicates(s, c, input, plan, result, () => (unsaved = true));
    await dedupe();
    const live = await liveAccess(c);
    const at = indexOf(live, plan.after, input.userGroup);
    // In place when re-planning on the live rows asks for no move.
    const placed = (access: AccessSection, i: number): boolean => i === plan.toIndex || (i >= 0 && !planAllow({ ...input, access }).move);
    if (!placed(live, at)) {
      s.record.write({ node: master, action: "row-shift", note: `from row ${at + 1} to row ${plan.toIndex + 1}` });
      unsaved = true;
      row.writes += await placeRow(c, plan.after, input.userGroup, plan.toIndex, placed);
      const now = indexOf(await liveAccess(c), plan.after, input.userGroup);
      s.checked(master, `the slaves' row: read back at row ${now + 1}`);
      step(result, `row moved to row ${now + 1} (read back)`);
    }
    await readBack(c, input, "before saving");
    s.checked(master, "before saving: re-planned on the live access rows, nothing left to do; this tool still gets in");
    // Saved, then looked at once more: a row another run added meanwhile is removed and the
    // save repeated, so the last run to look leaves one row, running and saved.
    for (let round = 0; ; round++) {
      nowDoing(result, "saving its configuration with the slaves' allow row", { wrote: true });
      s.record.write({ node: master, action: "save" });
      await c.save();
      s.checked(master, 'save: the node answered "File saved"');
      row.writes++;
      unsaved = false; // saved: the running configuration is the new one for good
      step(result, "saved");
      await readBack(c, input, "after saving");
      s.checked(master, "after saving: re-planned on the live access rows, nothing left to do");
      if ((await dedupe()) === 0) break;
      if (round >= 2) throw new FleetError("CONFLICT", `rows carrying ${input.userGroup} kept appearing on the master after it was saved`, { node: master, hint: "another allow run (or a person) keeps adding them: stop it, then run allow again" });
    }
    step(result, "read back");
    // The row may rest at another place than planned (any place above every row that would
    // challenge the slaves will do: see placeRow above): the record then says where it is, so
    // that undo finds the section as this run left it (docs/run-records.md "Format 2").
    // Best effort: the change is made and saved; without this read, undo calls the row a conflict.
    const left = await liveAccess(c).catch(() => undefined);
    if (left && !sameSnapshot(snapshotOf(left), change.access.after)) {
      s.recordChange(s.inventory.master, { ...change, after: { ...change.after!, place: indexOf(left, plan.after, input.userGroup) }, access: { before: change.access.before, after: snapshotOf(left) } });
    }
    // A new row's id is the master's to give: the report shows the one read back.
    const rests = left ? indexOf(left, plan.after, input.userGroup) : -1;
    if (rests >= 0 && row.after) row.after.id = left!.allow[rests]!.id;
  } catch (e) {
    if (unsaved) {
      const restored = await restoreRows(c, input, plan);
      warn(result, restored ? "the unsaved changes to the master were undone (read back: its access rows are as before)" : "the master may hold unsaved changes from this run: restart it without saving, or check its allow list (the run record has the row as it was)");
    }
    throw e;
  }
}

/** The section without the rows carrying the user group beyond the managed one (the plan removes them). */
function withoutDuplicates(access: AccessSection, plan: AllowPlan): AccessSection {
  const gone = new Set(plan.duplicates.map((d) => d.row));
  return { ...access, allow: access.allow.filter((r) => !gone.has(r)) };
}

/** Removes rows carrying the user group beyond the managed one (each recorded first); returns how many. */
async function dropDuplicates(s: FleetSession, c: SafeSquidClient, input: AllowInput, plan: AllowPlan, result: NodeResult, wrote: () => void): Promise<number> {
  const master = c.node.name;
  const removed = await removeDuplicates(
    c,
    plan.after,
    input.userGroup,
    (r, i) => {
      s.record.write({ node: master, action: "row-delete", before: redactRow(r.values), note: `row ${i + 1}, a second row carrying ${input.userGroup}` });
      wrote();
    },
    (t) => s.checked(master, t),
  );
  if (removed === 0) return 0;
  result.row!.writes += removed;
  step(result, `${removed} more row${removed === 1 ? "" : "s"} carrying ${input.userGroup} removed (read back)`);
  const planned = plan.duplicates.length;
  if (removed > planned || result.steps?.some((x) => x.startsWith("saved"))) {
    warn(result, `another row carrying ${input.userGroup} appeared on the master while this run wrote its own (another allow run at the same time?): the tool removed it, so one row lets the slaves in`);
  }
  plan.duplicates = [];
  return removed;
}

/**
 * Proves the change: re-planning on the live document must find nothing to do (rows another
 * run adds meanwhile aside: they are removed after the save), and the tool must still get in.
 */
async function readBack(c: SafeSquidClient, input: AllowInput, when: string): Promise<void> {
  const access = await liveAccess(c);
  const again = planAllow({ ...input, access });
  if (again.action !== "none" || again.move || again.blockers.length) {
    throw new FleetError("CONFLICT", `read-back ${when} does not show the row in place on the master`, {
      node: c.node.name,
      hint: "someone may be editing the master's allow list at the same time; run allow again",
    });
  }
  const tool = evaluateAccess(access, toolRequest(c), () => true);
  if (tool.kind !== "allow") throw new FleetError("LOCKOUT", `after the change the master would refuse this tool (${tool.kind})`, { node: c.node.name });
}
