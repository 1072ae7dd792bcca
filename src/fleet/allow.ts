/**
 * `allow` on the master: read, plan (./allow-plan.ts), write the one managed row, move it
 * into place, read back, save, read back again. Idempotent: a run with nothing to change
 * makes no write at all. A failure after a write undoes what was written (the edits are not
 * saved yet) and says so.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { evaluateAccess, SECRET_FIELDS, type AccessSection, type RowValues } from "../safesquid/access.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { readAccess } from "../safesquid/policy.js";
import { describeRow, findManaged, planAllow, planIsNoop, sameValues, type AllowInput, type AllowPlan } from "./allow-plan.js";
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
      const lock = plan.blockers.some((b) => b.includes("lock this tool"));
      throw new FleetError(lock ? "LOCKOUT" : "CONFLICT", plan.blockers.join("; "), { node: master.name });
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
  const doc = await c.fetchDocument();
  if (doc === "not-modified") throw new FleetError("BAD_REPLY", "the master answered 304 to a plain conf_xml request", { node: c.node.name });
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
    access: readAccess(doc.root),
    slaves,
    known,
    userGroup: s.inventory.allowList.userGroup,
    masterListen: `${pointer.ip}:${s.inventory.master.port}`,
    tool: toolRequest(c),
    prune: o.prune,
  };
}

function toolRequest(c: SafeSquidClient): AllowInput["tool"] {
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

function redacted(v: RowValues): RowValues {
  const out: RowValues = {};
  for (const [k, x] of Object.entries(v)) out[k] = SECRET_FIELDS.has(k) && x ? "[redacted]" : x;
  return out;
}

async function execute(s: FleetSession, c: SafeSquidClient, input: AllowInput, plan: AllowPlan, result: NodeResult): Promise<void> {
  const master = c.node.name;
  const row = result.row!;
  const undo: (() => Promise<void>)[] = [];
  try {
    s.progress.phase(`allow: writing the slaves' row on ${master}`);
    let id: string;
    if (plan.action === "add") {
      s.record.write({ node: master, action: "row-add", after: redacted(plan.after) });
      id = await landed(c, () => c.addRow("allow", plan.after), plan.after, input);
      row.writes++;
      step(result, "row added");
      undo.push(async () => c.deleteRow("allow", await locate(c, plan.after, input)));
    } else {
      id = plan.existing!.id;
      if (plan.action === "edit") {
        s.record.write({ node: master, action: "row-edit", before: redacted(plan.existing!.values), after: redacted(plan.after) });
        await landed(c, () => c.editRow("allow", id, plan.after).then(() => id), plan.after, input);
        row.writes++;
        step(result, "row updated");
        const previous = plan.existing!.values;
        undo.push(async () => c.editRow("allow", await locate(c, plan.after, input), previous));
      }
    }
    if (plan.move) {
      // Re-read and find the row by content before moving it: ids are not to be trusted.
      id = await locate(c, plan.after, input);
      s.record.write({ node: master, action: "row-shift", note: `${plan.move.direction} x${plan.move.count}` });
      for (let i = 0; i < plan.move.count; i++) {
        await c.shiftRow("allow", id, plan.move.direction);
        row.writes++;
        const back = plan.move.direction === "top" ? plan.fromIndex - plan.toIndex : 1;
        undo.push(async () => {
          const cur = await locate(c, plan.after, input);
          for (let k = 0; k < back; k++) await c.shiftRow("allow", cur, "down");
        });
      }
      step(result, "row moved into place");
    }
    await readBack(c, input, "before saving");
    s.record.write({ node: master, action: "save" });
    await c.save();
    row.writes++;
    undo.length = 0; // saved: nothing to undo any more
    step(result, "saved");
    await readBack(c, input, "after saving");
    step(result, "read back");
  } catch (e) {
    if (undo.length) {
      const undone = await undoAll(undo.reverse());
      warn(result, undone ? "the unsaved changes to the master were undone" : "the master may hold unsaved changes from this run: restart it without saving, or check its allow list (see the run record)");
    }
    throw e;
  }
}

/**
 * Runs a row write; when its reply is lost (reset, timeout, 5xx) the write may or may not
 * have happened, so it is never sent again blindly: the document is re-read and the row
 * looked for by content. Found: the write landed. Not found: the original error stands.
 */
async function landed(c: SafeSquidClient, write: () => Promise<string>, values: RowValues, input: AllowInput): Promise<string> {
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof FleetError) || !["RESET", "TIMEOUT", "SERVER_ERROR"].includes(e.code)) throw e;
    try {
      return await locate(c, values, input);
    } catch {
      throw e;
    }
  }
}

/** Finds the managed row by its content; throws if it is not there. */
async function locate(c: SafeSquidClient, values: RowValues, input: AllowInput): Promise<string> {
  const access = await readAccessOf(c);
  const i = findManaged(access, input.userGroup);
  const r = i >= 0 ? access.allow[i] : undefined;
  if (!r || !sameValues(r.values, values)) throw new FleetError("CONFLICT", "the managed row is not on the master as written: someone else may be editing the allow list", { node: c.node.name, hint: "run allow again" });
  return r.id;
}

async function readAccessOf(c: SafeSquidClient): Promise<AccessSection> {
  const doc = await c.fetchDocument();
  if (doc === "not-modified") throw new FleetError("BAD_REPLY", "unexpected 304", { node: c.node.name });
  return readAccess(doc.root);
}

/** Proves the change: re-planning on the live document must find nothing to do, and the tool must still get in. */
async function readBack(c: SafeSquidClient, input: AllowInput, when: string): Promise<void> {
  const access = await readAccessOf(c);
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

async function undoAll(steps: (() => Promise<void>)[]): Promise<boolean> {
  try {
    for (const u of steps) await u();
    return true;
  } catch {
    return false;
  }
}
