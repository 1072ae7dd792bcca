/**
 * The writing half of `join-slave` for one slave: the startup-parameter write proved by reading
 * back, the restart, the wait for its first sync with the master, and the rollback to the
 * previous values when it cannot reach the master (docs/protocol.md "Joining a slave").
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import type { StartupParam } from "../safesquid/params.js";
import { sectionDigests } from "../safesquid/policy.js";
import { refusedWarning } from "./hints.js";
import type { JoinOptions } from "./join.js";
import { paramsDiffer, pointerLabel, pointerOf, restoreParams } from "./join-plan.js";
import { writeAndReadBack, type Seen } from "./landed.js";
import type { MasterPointer, NodeResult } from "./report.js";
import { step, warn } from "./results.js";
import type { FleetSession } from "./session.js";
import { sameSyncedSections, type SlaveView } from "./slave-view.js";
import { syncTimeOf } from "./verify-compare.js";
import { waitForAnswer, waitForSync } from "./wait.js";

/** Everything the steps of one slave's join share. */
export interface JoinContext {
  s: FleetSession;
  c: SafeSquidClient;
  slave: SlaveSpec;
  o: JoinOptions;
  result: NodeResult;
  /** `ip:port` of the master as the slave names it. */
  target: string;
  /** MASTER_IP / MASTER_PORT before this run. */
  previous: MasterPointer;
  /** The slave as it was read before anything was written. */
  view: SlaveView;
}

/** Failures after which a restart may have begun: wait and see rather than call it refused. */
const LOST = new Set(["RESET", "TIMEOUT", "SERVER_ERROR"]);

/**
 * Writes the whole parameter list and reads it back: landed when MASTER_IP / MASTER_PORT show
 * the written values; other keys that read back otherwise are named in a warning.
 */
export async function writePointer(ctx: JoinContext, params: StartupParam[], done: string, before: readonly StartupParam[] = ctx.view.params): Promise<void> {
  const { s, c, slave, result } = ctx;
  const from = pointerOf(before);
  const to = pointerOf(params);
  s.record.write({ node: slave.name, action: "params-write", before: from, after: to });
  let extra: string[] = [];
  const readBack = async (): Promise<Seen> => {
    const back = await c.readParams();
    const now = pointerOf(back);
    extra = paramsDiffer(params, back).filter((d) => !/^MASTER_(IP|PORT)=/.test(d));
    if (now.MASTER_IP === to.MASTER_IP && now.MASTER_PORT === to.MASTER_PORT) return { kind: "landed" };
    if (now.MASTER_IP === from.MASTER_IP && now.MASTER_PORT === from.MASTER_PORT) return { kind: "absent" };
    return { kind: "other", what: `MASTER_IP:MASTER_PORT is ${pointerLabel(now)}, neither the ${pointerLabel(from)} before nor the ${pointerLabel(to)} written` };
  };
  const landing = await writeAndReadBack(slave.name, `MASTER_IP:MASTER_PORT ${pointerLabel(to)}`, () => c.writeParams(params), readBack, (t) => s.checked(slave.name, t));
  if (landing.note) step(result, landing.note);
  step(result, `${done} (read back)`);
  if (extra.length) warn(result, `after the write, ${slave.name} shows other startup parameters than were written back: ${extra.slice(0, 5).join("; ")}`);
}

/** Restarts the slave and waits for its first sync with the master; rolls back when it cannot reach it. */
export async function restartAndWait(ctx: JoinContext): Promise<void> {
  const { s, c, slave, o, result, target } = ctx;
  // The newest log line before the restart, in the node's clock: later lines are new.
  const before = (await c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, signal: s.signal })).lastMs;
  const differedBefore = !(await documentsEqual(ctx));
  await restart(ctx);
  const waitMs = o.restartTimeoutMs + syncTimeOf(ctx.view.values) * 1000;
  const master = await s.masterDocument().current();
  const refusal = await s.refusalFor(slave, master.access);
  const outcome = await waitForSync({
    c,
    target,
    sinceMs: before,
    deadlineAt: Date.now() + waitMs,
    signal: s.signal,
    refusal,
    documentsEqual: () => documentsEqual(ctx),
    differedBefore,
    // A node that sent no log history may sync before its log is read again: look at its
    // documents between short reads of the log.
    ...(before === undefined ? { windowMs: 1500 } : {}),
  });
  s.checked(slave.name, `its log since the restart: ${outcome.kind}${"how" in outcome ? ` (${outcome.how})` : "reason" in outcome ? ` (${outcome.reason})` : ""}`);
  switch (outcome.kind) {
    case "synced":
      result.status = "joined";
      step(result, `synchronizing with ${target}: ${outcome.how}`);
      return;
    case "refused":
      result.status = "joined";
      warn(result, await refusedWarning(s, slave, `${outcome.fromLog ? "its log says" : "by its access rows"}: ${outcome.reason}`, outcome.denyRow));
      return;
    case "unreachable":
      return rollback(ctx, `${slave.name} cannot reach the master at ${target} (${outcome.reason})`);
    case "stalled":
      return rollback(ctx, `${slave.name} tried ${outcome.attempts} times to synchronize with the master at ${target} and took nothing`);
    case "timeout":
      if (!outcome.answered && !(await waitForAnswer(c, Date.now() + 1000, s.signal))) {
        throw new FleetError("UNREACHABLE", `${slave.name} did not come back within ${Math.round(waitMs / 1000)}s of its restart; it was left with MASTER_IP:MASTER_PORT ${target} (previous values ${pointerLabel(ctx.previous)} are in the run record)`, {
          node: slave.name,
          hint: "check the node's console; once it answers, run join-slave again or restore the previous values",
        });
      }
      return rollback(ctx, outcome.attempts > 0 ? `${slave.name} did not complete a sync with the master before the deadline` : `${slave.name} did not start synchronizing with the master before the deadline`);
  }
}

/** Sends the restart; a lost reply is a restart under way, a refusal puts the previous values back. */
async function restart(ctx: JoinContext): Promise<void> {
  const { s, c, slave, result } = ctx;
  s.record.write({ node: slave.name, action: "restart" });
  s.progress.note(`${slave.name}: restarting`);
  try {
    await c.restart();
  } catch (e) {
    if (!(e instanceof FleetError) || e.code === "INTERRUPTED") throw e;
    if (!LOST.has(e.code)) return refusedRestart(ctx, e);
    s.checked(slave.name, `restart: no reply (${e.code}): a node may drop the connection as it restarts; its log will tell`);
  }
  step(result, "restarted");
}

/** The node would not restart: the written values must not wait for its next restart. */
async function refusedRestart(ctx: JoinContext, e: FleetError): Promise<never> {
  const { c, slave } = ctx;
  const now = await c.readParams();
  if (pointerLabel(pointerOf(now)) !== pointerLabel(ctx.previous)) await writePointer(ctx, restoreParams(now, ctx.previous), "previous MASTER_IP / MASTER_PORT put back", now);
  throw new FleetError(e.code, `${slave.name} refused the restart (${e.message}); its previous MASTER_IP / MASTER_PORT (${pointerLabel(ctx.previous)}) were put back, so its next restart changes nothing`, {
    node: slave.name,
    cause: e,
  });
}

/** Do the sections the slave takes from its master equal the master's now? */
async function documentsEqual(ctx: JoinContext): Promise<boolean> {
  const doc = await ctx.c.fetchDocument();
  if (doc === "not-modified") return false;
  const master = await ctx.s.masterDocument().current(2000);
  return sameSyncedSections(sectionDigests(doc.root), master.digests, ctx.view.values);
}

/** Puts the previous values back, restarts, and checks they are in effect. */
async function rollback(ctx: JoinContext, reason: string): Promise<void> {
  const { s, c, slave, o, result } = ctx;
  s.progress.note(`${slave.name}: rolling back (${reason})`);
  try {
    const now = await c.readParams();
    s.record.write({ node: slave.name, action: "rollback", before: pointerOf(now), after: ctx.previous, note: reason });
    await writePointer(ctx, restoreParams(now, ctx.previous), "previous MASTER_IP / MASTER_PORT written back", now);
    await c.save();
    try {
      await c.restart();
    } catch (e) {
      if (!(e instanceof FleetError) || !LOST.has(e.code)) throw e;
    }
    if (!(await waitForAnswer(c, Date.now() + o.restartTimeoutMs, s.signal))) {
      throw new FleetError("UNREACHABLE", `${slave.name} did not come back after the rollback restart`, { node: slave.name });
    }
    const back = pointerOf(await c.readParams());
    const restored = pointerLabel(back) === pointerLabel(ctx.previous);
    result.status = restored ? "rolled_back" : "failed";
    result.rollback = { reason, restored };
    step(result, "previous values restored and restarted");
    if (!restored) result.error = { code: "CONFLICT", message: `${reason}; the rollback did not restore MASTER_IP / MASTER_PORT (now ${pointerLabel(back)})` };
    else result.error = { code: "UNREACHABLE", message: reason, hint: "check that the slave can reach the master's advertise address and port (routing, firewall), or set master.advertise in the inventory" };
  } catch (e) {
    if (e instanceof FleetError && e.code === "INTERRUPTED") throw e;
    const err = e instanceof FleetError ? e : new FleetError("INTERNAL", String(e));
    result.status = "failed";
    result.rollback = { reason, restored: false };
    result.error = { code: err.code, message: `${reason}; rolling back failed: ${err.message} (previous values ${pointerLabel(ctx.previous)} are in the run record)`, ...(err.hint ? { hint: err.hint } : {}) };
  }
}
