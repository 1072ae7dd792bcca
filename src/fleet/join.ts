/**
 * `join-slave`: per slave, point MASTER_IP / MASTER_PORT at the master (whole parameter
 * list written back, every other key unchanged), save, optionally back up to cloud, restart,
 * and wait for the log to show the slave talking to the master. Outcomes exactly as cli.md
 * "What join-slave reports per slave"; a failed slave never stops the others.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { syncBlocks } from "../safesquid/log.js";
import { mapLimit, settledInOrder } from "./concurrency.js";
import { planJoin, pointerOf, restoreParams, syncTimeSeconds, targetLabel, type JoinTarget } from "./join-plan.js";
import type { MasterPointer, NodeResult } from "./report.js";
import { errorInfo, startResult, step, warn } from "./results.js";
import type { FleetSession } from "./session.js";
import { waitForAnswer, waitForSync } from "./wait.js";

export interface JoinOptions {
  slaves: SlaveSpec[];
  dryRun: boolean;
  restart: boolean;
  backupToCloud: boolean;
  concurrency: number;
  /** How long a slave may take to come back after a restart (its SYNCTIME is added). */
  restartTimeoutMs: number;
}

export interface MasterFacts {
  target: JoinTarget;
  activationKey: string;
}

/** Checks the master before anything is touched: reachable, not itself a slave; its activation key. */
export async function masterFacts(s: FleetSession): Promise<MasterFacts> {
  const c = s.client(s.inventory.master);
  s.progress.phase(`checking the master ${s.inventory.master.name}`);
  const params = await c.readParams();
  const p = pointerOf(params);
  if (p.MASTER_IP !== "" && p.MASTER_PORT !== "") {
    throw new FleetError("NOT_A_MASTER", `the master ${s.inventory.master.name} is itself a slave of ${p.MASTER_IP}:${p.MASTER_PORT}`, {
      node: s.inventory.master.name,
      hint: "point the inventory's master at the real master, or clear MASTER_IP / MASTER_PORT on this node first",
    });
  }
  const sub = await c.subscription();
  const t = await s.masterPointer();
  return { target: t, activationKey: sub.activationKeyName };
}

/** Asks (or refuses to ask) before slaves are restarted; returns the answers. */
export type Confirm = (planned: NodeResult[]) => Promise<{ backupToCloud: boolean }>;

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
  return joinPlanned(s, { ...o, backupToCloud: answers.backupToCloud }, master, plan);
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
  let done = 0;
  s.progress.phase(o.dryRun ? "join-slave: reading the slaves" : "join-slave: joining the slaves");
  return mapLimit(
    o.slaves,
    o.concurrency,
    async (slave) => {
      const r = await joinOne(s, slave, o, master);
      s.release(slave);
      s.progress.update(++done, o.slaves.length, `${slave.name}: ${r.status}`);
      return r;
    },
    {
      signal: s.signal,
      onSkip: (slave) => {
        const { result, finish } = startResult(slave, "skipped");
        warn(result, "not started: the run was interrupted");
        return finish();
      },
    },
  );
}

async function joinOne(s: FleetSession, slave: SlaveSpec, o: JoinOptions, master: MasterFacts): Promise<NodeResult> {
  const { result, finish } = startResult(slave, "failed");
  const c = s.client(slave);
  let wrote: MasterPointer | undefined;
  try {
    // Read-only and independent: read at once; errors still come in this order (key first).
    const [sub, params, log] = await settledInOrder([c.subscription(), c.readParams(), c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, signal: s.signal })] as const);
    if (sub.activationKeyName !== master.activationKey) {
      throw new FleetError("LICENSE_MISMATCH", `${slave.name} is activated with key "${sub.activationKeyName}", the master with "${master.activationKey}"`, {
        node: slave.name,
        hint: "SafeSquid requires the master and its slaves to be activated with the same product activation key: activate this slave with the master's key first",
      });
    }
    const plan = planJoin(params, master.target, syncBlocks(log).at(-1));
    result.current = plan.current;
    result.planned = plan.planned;
    if (!plan.write && !plan.restartPending) {
      result.status = "unchanged";
      return finish();
    }
    if (plan.restartPending) warn(result, `MASTER_IP / MASTER_PORT already name the master, but ${slave.name} is not syncing with it yet: a restart is pending`);
    if (o.dryRun) {
      result.status = "planned";
      return finish();
    }
    if (plan.write) {
      s.record.write({ node: slave.name, action: "params-write", before: plan.current, after: plan.planned });
      await c.writeParams(plan.params);
      wrote = plan.current;
      const back = pointerOf(await c.readParams());
      if (back.MASTER_IP !== plan.planned.MASTER_IP || back.MASTER_PORT !== plan.planned.MASTER_PORT) {
        throw new FleetError("CONFLICT", `${slave.name} still shows MASTER_IP=${back.MASTER_IP} MASTER_PORT=${back.MASTER_PORT} after the write`, { node: slave.name });
      }
      step(result, "MASTER_IP / MASTER_PORT written");
    }
    // The vendor's interface saves the policy before it restarts: unsaved edits would be lost.
    s.record.write({ node: slave.name, action: "save" });
    await c.save();
    step(result, "configuration saved");
    if (o.backupToCloud) {
      s.record.write({ node: slave.name, action: "cloud-backup" });
      step(result, `backed up to cloud: ${await c.cloudBackup()}`);
    }
    if (!o.restart) {
      result.status = "skipped";
      result.pendingRestart = true;
      warn(result, "the new MASTER_IP / MASTER_PORT take effect at the next restart (--no-restart): run join-slave again without --no-restart, or restart the node yourself");
      return finish();
    }
    await restartAndWait(s, c, slave, params, plan.current, master, o, result);
  } catch (e) {
    result.status = "failed";
    result.error = errorInfo(e);
    // No node is left half-done without a note of what was done (issue 5).
    if (wrote && !result.steps?.includes("restarted")) {
      result.error.message += `; MASTER_IP / MASTER_PORT were already written but the node was not restarted (previous values ${wrote.MASTER_IP || "empty"}:${wrote.MASTER_PORT || "empty"} are in the run record)`;
    }
  }
  return finish();
}

async function restartAndWait(
  s: FleetSession,
  c: SafeSquidClient,
  slave: SlaveSpec,
  params: Awaited<ReturnType<SafeSquidClient["readParams"]>>,
  previous: MasterPointer,
  master: MasterFacts,
  o: JoinOptions,
  result: NodeResult,
): Promise<void> {
  // The last line before the restart, in the node's own clock: later lines are new.
  const before = (await c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, signal: s.signal })).at(-1)?.ms ?? 0;
  s.record.write({ node: slave.name, action: "restart" });
  s.progress.note(`${slave.name}: restarting`);
  try {
    await c.restart();
  } catch (e) {
    // A restart may drop the connection before its reply: wait and see instead of resending.
    if (!(e instanceof FleetError) || !["RESET", "TIMEOUT"].includes(e.code)) throw e;
  }
  step(result, "restarted");
  const deadline = Date.now() + o.restartTimeoutMs + syncTimeSeconds(params) * 1000;
  const outcome = await waitForSync(c, targetLabel(master.target), before, deadline, s.signal);
  switch (outcome.kind) {
    case "synced":
      result.status = "joined";
      step(result, `synchronizing with ${outcome.block.target}`);
      return;
    case "refused":
    case "other": {
      result.status = "joined";
      const address = await s.slaveAddress(slave).catch(() => slave.host);
      const fix =
        outcome.kind === "refused"
          ? `run \`safesquid-fleet allow\` so ${address} may sync without a login (or set sourceIp for ${slave.name} if the master sees it from another address)`
          : "look at the master's log";
      warn(result, `the master refuses ${slave.name}'s sync (${outcome.reason}): ${fix}`);
      return;
    }
    case "unreachable":
      return rollback(s, c, slave, previous, o, result, `${slave.name} cannot reach the master at ${targetLabel(master.target)} (${outcome.reason})`);
    case "timeout":
      if (!outcome.answered && !(await waitForAnswer(c, Date.now() + 1000, s.signal))) {
        throw new FleetError("UNREACHABLE", `${slave.name} did not come back within ${Math.round((o.restartTimeoutMs + syncTimeSeconds(params) * 1000) / 1000)}s of its restart; it was left with MASTER_IP=${master.target.ip} MASTER_PORT=${master.target.port} (previous values ${previous.MASTER_IP || "empty"}:${previous.MASTER_PORT || "empty"} are in the run record)`, {
          node: slave.name,
          hint: "check the node's console; once it answers, run join-slave again or restore the previous values",
        });
      }
      return rollback(s, c, slave, previous, o, result, `${slave.name} did not start synchronizing with the master before the deadline`);
  }
}

async function rollback(s: FleetSession, c: SafeSquidClient, slave: SlaveSpec, previous: MasterPointer, o: JoinOptions, result: NodeResult, reason: string): Promise<void> {
  s.progress.note(`${slave.name}: rolling back (${reason})`);
  try {
    const now = await c.readParams();
    s.record.write({ node: slave.name, action: "rollback", before: pointerOf(now), after: previous, note: reason });
    await c.writeParams(restoreParams(now, previous));
    await c.save();
    try {
      await c.restart();
    } catch (e) {
      if (!(e instanceof FleetError) || !["RESET", "TIMEOUT"].includes(e.code)) throw e;
    }
    if (!(await waitForAnswer(c, Date.now() + o.restartTimeoutMs, s.signal))) {
      throw new FleetError("UNREACHABLE", `${slave.name} did not come back after the rollback restart`, { node: slave.name });
    }
    const back = pointerOf(await c.readParams());
    const restored = back.MASTER_IP === previous.MASTER_IP && back.MASTER_PORT === previous.MASTER_PORT;
    result.status = restored ? "rolled_back" : "failed";
    result.rollback = { reason, restored };
    step(result, "previous values restored and restarted");
    if (!restored) result.error = { code: "CONFLICT", message: `${reason}; the rollback did not restore MASTER_IP / MASTER_PORT (now ${back.MASTER_IP}:${back.MASTER_PORT})` };
    else result.error = { code: "UNREACHABLE", message: reason, hint: "check that the slave can reach the master's advertise address and port (routing, firewall), or set master.advertise in the inventory" };
  } catch (e) {
    result.status = "failed";
    result.rollback = { reason, restored: false };
    const err = errorInfo(e);
    result.error = { ...err, message: `${reason}; rolling back failed: ${err.message} (previous values ${previous.MASTER_IP || "empty"}:${previous.MASTER_PORT || "empty"} are in the run record)` };
  }
}
