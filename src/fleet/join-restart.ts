/**
 * The restarting half of `join-slave` for one slave: the restart, the wait for its first sync with the master, and the rollback to the
 * previous values when it cannot reach the master (docs/protocol.md "Joining a slave").
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { refusedFix, refusedWarning } from "./hints.js";
import type { JoinOptions } from "./join.js";
import { pointerLabel, pointerOf, pointerWords, previousInRecord, restoreParams } from "./join-plan.js";
import { nowDoing, sawPointer } from "./node-progress.js";
import { writePointer } from "./params-write.js";
import type { Report } from "./report.js";
import { step, warn } from "./results.js";
import { beforeRestart, LOST, requestRestart, watchSync, type NodeStep } from "./restart-node.js";
import type { SlaveView } from "./slave-view.js";
import { syncTimeOf } from "./verify-compare.js";
import { waitForAnswer } from "./wait.js";

/** Everything the steps of one slave's join share. */
export interface JoinContext extends NodeStep {
  slave: SlaveSpec;
  o: JoinOptions;
  /** `ip:port` of the master as the slave names it. */
  target: string;
  /** MASTER_IP / MASTER_PORT before this run. */
  previous: Report["MasterPointer"];
  /** The slave as it was read before anything was written. */
  view: SlaveView;
}

/** Restarts the slave and waits for its first sync with the master; rolls back when it cannot reach it. */
export async function restartAndWait(ctx: JoinContext): Promise<void> {
  const { s, c, slave, o, result, target } = ctx;
  // The newest log line before the restart, in the node's clock: later lines are new.
  const { sinceMs, differedBefore } = await beforeRestart(ctx, target, ctx.view.values);
  await requestRestart(ctx, result.planned).catch((e: unknown) => (e instanceof FleetError && e.code !== "INTERRUPTED" ? refusedRestart(ctx, e) : Promise.reject(e)));
  const waitMs = o.restartTimeoutMs + syncTimeOf(ctx.view.values) * 1000;
  const outcome = await watchSync(ctx, { target, sinceMs, waitMs, differedBefore }, ctx.view.values);
  switch (outcome.kind) {
    case "synced":
      result.status = "joined";
      step(result, `synchronizing with ${target}: ${outcome.how}`);
      return;
    case "refused":
      result.status = "joined";
      result.syncRefused = refusedFix(s, outcome.denyRow);
      warn(result, await refusedWarning(s, slave, `${outcome.fromLog ? "its log says" : "by its access rows"}: ${outcome.reason}`, outcome.denyRow));
      return;
    case "unreachable":
      return rollback(ctx, `${slave.name} cannot reach the master at ${target} (${outcome.reason})`);
    case "stalled":
      return rollback(ctx, `${slave.name} tried ${outcome.attempts} times to synchronize with the master at ${target} and took nothing${outcome.lastFailure ? ` (its log says: ${outcome.lastFailure})` : ""}`);
    case "timeout":
      if (!outcome.answered && !(await waitForAnswer(c, Date.now() + 1000, s.signal))) {
        throw new FleetError("UNREACHABLE", `${slave.name} did not come back within ${Math.round(waitMs / 1000)}s of its restart; it was left with MASTER_IP:MASTER_PORT ${target} (${previousInRecord(ctx.previous)})`, {
          node: slave.name,
          hint: "check the node's console; once it answers, run join-slave again or restore the previous values",
        });
      }
      return rollback(ctx, outcome.attempts > 0 ? `${slave.name} did not complete a sync with the master before the deadline` : `${slave.name} did not start synchronizing with the master before the deadline`);
  }
}

/** The node would not restart: the written values must not wait for its next restart. */
async function refusedRestart(ctx: JoinContext, e: FleetError): Promise<never> {
  const { c, slave } = ctx;
  const now = await c.readParams();
  sawPointer(ctx.result, pointerOf(now));
  if (pointerLabel(pointerOf(now)) !== pointerLabel(ctx.previous)) await writePointer(ctx, { params: restoreParams(now, ctx.previous), before: now, done: "previous MASTER_IP / MASTER_PORT put back" });
  throw new FleetError(e.code, `${slave.name} refused the restart (${e.message}); its previous MASTER_IP / MASTER_PORT (${pointerLabel(ctx.previous)}) were put back, so its next restart changes nothing`, {
    node: slave.name,
    cause: e,
  });
}

/** Puts the previous values back, restarts, and checks they are in effect. */
async function rollback(ctx: JoinContext, reason: string): Promise<void> {
  const { s, c, slave, o, result } = ctx;
  s.progress.note(`${slave.name}: rolling back (${reason})`);
  try {
    nowDoing(result, `rolling back to its previous ${pointerWords(ctx.previous)} (${reason})`, { wrote: true });
    const now = await c.readParams();
    sawPointer(result, pointerOf(now));
    s.record.write({ node: slave.name, action: "rollback", before: pointerOf(now), after: ctx.previous, note: reason });
    await writePointer(ctx, { params: restoreParams(now, ctx.previous), before: now, done: "previous MASTER_IP / MASTER_PORT written back" });
    await c.save();
    nowDoing(result, `restarting with its previous ${pointerWords(ctx.previous)} (rolling back: ${reason})`, { wrote: true, unobserved: "it comes back on its own with these values" });
    try {
      await c.restart();
    } catch (e) {
      if (!(e instanceof FleetError) || !LOST.has(e.code)) throw e;
    }
    if (!(await waitForAnswer(c, Date.now() + o.restartTimeoutMs, s.signal))) {
      throw new FleetError("UNREACHABLE", `${slave.name} did not come back after the rollback restart`, { node: slave.name });
    }
    const back = pointerOf(await c.readParams());
    sawPointer(result, back);
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
    result.error = { code: err.code, message: `${reason}; rolling back failed: ${err.message} (${previousInRecord(ctx.previous)})`, ...(err.hint ? { hint: err.hint } : {}) };
  }
}
