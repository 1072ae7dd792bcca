/**
 * `join-slave`: per slave, save its running policy (a restart would lose unsaved edits), back
 * it up to cloud when asked, point MASTER_IP / MASTER_PORT at the master (the whole parameter
 * list written back, as the vendor's interface does), read the parameters back to prove it,
 * restart, and watch its log until it syncs with the master. Outcomes: joined, rolled_back,
 * failed, unchanged (docs/protocol.md "Joining a slave"); a failed slave never stops the others.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { eachSlave } from "./each-slave.js";
import { planJoin, pointerOf, pointerWords, previousInRecord, targetLabel, type JoinTarget } from "./join-plan.js";
import type { NodeResult, Report } from "./report.js";
import { errorInfo, startResult, step, warn } from "./results.js";
import { interruptedError, isInterrupt, lastSeenPointer, nowDoing, sawPointer } from "./node-progress.js";
import type { FleetSession } from "./session.js";
import { readSlave, type SlaveView } from "./slave-view.js";
import { restartAndWait, type JoinContext } from "./join-restart.js";
import { writePointer } from "./params-write.js";
import { fixCommand } from "./hints.js";
import { noteRefusedUnchanged } from "./refused-unchanged.js";

export interface JoinOptions {
  slaves: SlaveSpec[];
  dryRun: boolean;
  restart: boolean;
  backupToCloud: boolean;
  concurrency: number;
  /** How long a slave may take to come back after a restart (its SYNCTIME is added). */
  restartTimeoutMs: number;
  /** Re-point slaves joined to another master (--move, or a yes at a terminal). */
  move: boolean;
  /**
   * Ask the master whether it refuses a slave left unchanged (default yes). apply says no:
   * its plan is read before its allow runs, and the plan's unchanged results are kept.
   */
  checkRefusals?: boolean;
}

export interface MasterFacts {
  target: JoinTarget;
  activationKey: string;
}

/** Checks the master before anything is touched: reachable, not itself a slave; its activation key. */
export async function masterFacts(s: FleetSession): Promise<MasterFacts> {
  const c = s.client(s.inventory.master);
  s.progress.phase(`checking the master ${s.inventory.master.name}`);
  const p = pointerOf(await c.readParams());
  if (p.MASTER_IP !== "" && p.MASTER_PORT !== "") {
    throw new FleetError("NOT_A_MASTER", `the master ${s.inventory.master.name} is itself a slave of ${p.MASTER_IP}:${p.MASTER_PORT}`, {
      node: s.inventory.master.name,
      hint: "point the inventory's master at the real master, or clear MASTER_IP / MASTER_PORT on this node first",
    });
  }
  const sub = await c.subscription();
  return { target: await s.masterPointer(), activationKey: sub.activationKeyName };
}

/** Asks (or refuses to ask) before slaves are restarted or moved; returns the answers. */
export type Confirm = (planned: NodeResult[]) => Promise<{ backupToCloud: boolean; move: boolean }>;

/**
 * Reads every slave (a dry pass), asks `confirm` about those that would change, then joins
 * those; every other slave keeps its dry-pass result (unchanged, or failed with the reason).
 */
export async function planAndJoin(s: FleetSession, o: JoinOptions, master: MasterFacts, confirm: Confirm): Promise<NodeResult[]> {
  const plan = await runJoin(s, { ...o, dryRun: true }, master);
  if (o.dryRun) return plan;
  const changing = plan.filter((r) => r.status === "planned");
  if (changing.length === 0) return plan;
  const answers = await confirm(changing);
  return joinPlanned(s, { ...o, backupToCloud: answers.backupToCloud, move: answers.move }, master, plan);
}

/** Joins the slaves a dry pass planned; merges with the dry pass's other results. */
export async function joinPlanned(s: FleetSession, o: JoinOptions, master: MasterFacts, plan: NodeResult[]): Promise<NodeResult[]> {
  const names = new Set(plan.filter((r) => r.status === "planned").map((r) => r.name));
  const done = await runJoin(s, { ...o, dryRun: false, slaves: o.slaves.filter((sl) => names.has(sl.name)) }, master);
  const byName = new Map(done.map((r) => [r.name, r]));
  return plan.map((r) => byName.get(r.name) ?? r);
}

/** Joins every slave, at most `concurrency` at once. */
export async function runJoin(s: FleetSession, o: JoinOptions, master: MasterFacts): Promise<NodeResult[]> {
  s.progress.phase(o.dryRun ? "join-slave: reading the slaves" : "join-slave: joining the slaves");
  return eachSlave(s, o.slaves, o.concurrency, (slave) => joinOne(s, slave, o, master));
}

async function joinOne(s: FleetSession, slave: SlaveSpec, o: JoinOptions, master: MasterFacts): Promise<NodeResult> {
  const { result, finish } = startResult(slave, "failed");
  const c = s.client(slave);
  const target = targetLabel(master.target);
  try {
    const sub = await c.subscription();
    if (sub.activationKeyName !== master.activationKey) {
      throw new FleetError("LICENSE_MISMATCH", `${slave.name} is activated with key "${sub.activationKeyName}", the master with "${master.activationKey}"`, {
        node: slave.name,
        hint: "SafeSquid requires the master and its slaves to be activated with the same product activation key: activate this slave with the master's key first",
      });
    }
    const view = await readSlave(c, { target, masterDigests: async () => (await s.masterDocument().current(5000)).digests, document: "if-needed", liveCapMs: 30_000, signal: s.signal });
    const plan = planJoin(view.params, master.target, view.joined);
    sawPointer(result, plan.current);
    result.current = plan.current;
    result.planned = plan.planned;
    if (!plan.write && !plan.restartPending) {
      result.status = "unchanged";
      if (o.checkRefusals !== false) await noteRefusedUnchanged(s, slave, result);
      return finish();
    }
    const elsewhere = joinedElsewhere(plan.current, target);
    if (elsewhere) {
      result.joinedTo = elsewhere;
      if (!o.move && !o.dryRun) throw movingRefused(s, slave, elsewhere, target);
      if (o.dryRun) warn(result, `${slave.name} is currently joined to ${elsewhere}, another master: ${o.move ? "--move moves it" : "moving it needs --move (or a yes at a terminal)"} to ${target}`);
      else step(result, `moved from the master ${elsewhere}`);
    }
    if (plan.restartPending) warn(result, `MASTER_IP / MASTER_PORT already name the master, but ${slave.name} is not syncing with it yet: a restart is pending`);
    if (o.dryRun) {
      result.status = "planned";
      return finish();
    }
    await joinNow({ s, c, slave, o, result, target, previous: plan.current, view }, plan.write ? plan.params : undefined);
  } catch (e) {
    result.status = "failed";
    result.error = isInterrupt(e) ? interruptedError(s, result, "join-slave") : errorInfo(e);
  }
  const left = lastSeenPointer(result);
  if (result.status === "failed" && left) result.left = left;
  return finish();
}

/** Save, (cloud backup), write and read back, restart and wait; every failure says what state the node is in. */
async function joinNow(ctx: JoinContext, write: SlaveView["params"] | undefined): Promise<void> {
  const { s, c, slave, o, result } = ctx;
  s.recordChange(slave, { kind: "params", before: ctx.previous, after: write ? pointerOf(write) : ctx.previous, restart: o.restart });
  const before = `(before ${pointerWords(result.planned!)} were written)`;
  // The vendor's interface saves the running policy before a restart: unsaved edits would be lost.
  nowDoing(result, `saving its configuration ${before}`, { wrote: true });
  s.record.write({ node: slave.name, action: "save" });
  await c.save();
  step(result, "configuration saved");
  if (o.backupToCloud) {
    nowDoing(result, `backing up its configuration to cloud ${before}`, { wrote: true });
    s.record.write({ node: slave.name, action: "cloud-backup" });
    const text = await c.cloudBackup();
    step(result, `backed up to cloud${text ? `: ${text}` : ""}`);
  }
  if (write) await writePointer(ctx, { params: write, before: ctx.view.params, done: "MASTER_IP / MASTER_PORT written" });
  if (!o.restart) {
    result.status = "skipped";
    result.pendingRestart = true;
    warn(result, "the new MASTER_IP / MASTER_PORT take effect at the next restart (--no-restart): run join-slave again without --no-restart, or restart the node yourself");
    return;
  }
  await restartAndWait(ctx).catch((e: unknown) => {
    throw annotate(e, ctx.previous, write !== undefined && !result.steps?.includes("restarted"));
  });
}

/** `ip:port` of another master the parameters name, if they name one. */
export function joinedElsewhere(p: Report["MasterPointer"], target: string): string | undefined {
  if (p.MASTER_IP === "" || p.MASTER_PORT === "") return undefined;
  const now = `${p.MASTER_IP}:${p.MASTER_PORT}`;
  return now === target ? undefined : now;
}

function movingRefused(s: FleetSession, slave: SlaveSpec, from: string, to: string): FleetError {
  return new FleetError("JOINED_ELSEWHERE", `${slave.name} is joined to another master (${from}); nothing was written: re-pointing it to ${to} takes it out of that master's cluster`, {
    node: slave.name,
    hint: `to move it, run ${fixCommand(s, "join-slave", slave.name, "--move")} (or answer yes at a terminal)`,
  });
}

/** Adds to a failure after the write what the node was left with. */
function annotate(e: unknown, previous: Report["MasterPointer"], writtenNotRestarted: boolean): unknown {
  if (!writtenNotRestarted || !(e instanceof FleetError)) return e;
  return new FleetError(e.code, `${e.message}; MASTER_IP / MASTER_PORT were written but the node was not restarted (${previousInRecord(previous)})`, {
    ...e.opts,
    cause: e,
  });
}
