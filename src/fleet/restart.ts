/**
 * `restart`: a rolling restart of slaves, at most `concurrency` at once (default 1). Each is
 * saved first (the vendor's order), restarted, and waited for: until it answers, and for a
 * slave whose parameters name a master, until its log shows it syncing with that master again
 * (./restart-node.ts). The rollout stops at the first slave that does not come back right
 * (the rest are `skipped`), unless `keepGoing`. For slaves `join-slave --no-restart` left
 * pending, and for maintenance.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { mapLimit } from "./concurrency.js";
import { refusedWarning } from "./hints.js";
import { interrupted, readPointer, startStep } from "./each-slave.js";
import { pointerLabel, pointerOf } from "./join-plan.js";
import type { NodeResult } from "./report.js";
import { restartAndSettle, saveFirst, settledText } from "./restart-node.js";
import { errorInfo, startResult, step, warn } from "./results.js";
import { interruptedError, isInterrupt } from "./node-progress.js";
import type { FleetSession } from "./session.js";

export interface RestartOptions {
  slaves: SlaveSpec[];
  concurrency: number;
  restartTimeoutMs: number;
  /** Go on past a slave that does not come back right. */
  keepGoing: boolean;
}

/** Reads every slave's MASTER_IP / MASTER_PORT: `planned`, or `failed` when it cannot be read. */
export async function planRestart(s: FleetSession, slaves: readonly SlaveSpec[]): Promise<NodeResult[]> {
  s.progress.phase("restart: reading the slaves");
  return mapLimit(slaves, 16, async (slave) => {
    const { result, finish } = startResult(slave, "planned");
    try {
      result.current = pointerOf(await s.client(slave).readParams());
    } catch (e) {
      result.status = "failed";
      result.error = errorInfo(e);
    }
    s.release(slave);
    return finish();
  });
}

/** Restarts the planned slaves in a rolling fashion; the others keep their plan result. */
export async function runRestart(s: FleetSession, o: RestartOptions, plan: NodeResult[]): Promise<NodeResult[]> {
  const todo = o.slaves.filter((sl) => plan.find((r) => r.name === sl.name)?.status === "planned");
  const stop = new AbortController();
  let stoppedAt = "";
  let done = 0;
  s.progress.phase(`restart: ${todo.length} slave(s), ${o.concurrency} at a time`);
  const results = await mapLimit(
    todo,
    o.concurrency,
    async (slave) => {
      const r = await restartOne(s, slave, o);
      s.release(slave);
      s.progress.update(++done, todo.length, `${slave.name}: ${r.status}`);
      if (r.status === "failed" && !o.keepGoing && !stop.signal.aborted) {
        stoppedAt = slave.name;
        stop.abort();
      }
      return r;
    },
    {
      signal: AbortSignal.any([s.signal, stop.signal]),
      onSkip: (slave) => {
        if (s.signal.aborted) return interrupted(slave);
        const { result, finish } = startResult(slave, "skipped");
        warn(result, `not restarted: the rollout stopped at ${stoppedAt}, which did not come back right (--keep-going goes on past a failed slave)`);
        return finish();
      },
    },
  );
  const byName = new Map(results.map((r) => [r.name, r]));
  return plan.map((r) => byName.get(r.name) ?? r);
}

async function restartOne(s: FleetSession, slave: SlaveSpec, o: RestartOptions): Promise<NodeResult> {
  const { n, finish } = startStep(s, slave);
  const { result } = n;
  try {
    const { pointer, values } = await readPointer(n);
    s.recordChange(slave, { kind: "restart" });
    await saveFirst(n);
    const r = await restartAndSettle(n, { pointer, values, restartTimeoutMs: o.restartTimeoutMs, standAlone: "answer" });
    const what = settledText(r, pointerLabel(pointer));
    if (r.kind === "synced" || r.kind === "answered" || r.kind === "refused") {
      result.status = "restarted";
      step(result, what);
      if (r.kind === "refused") warn(result, await refusedWarning(s, slave, `${r.fromLog ? "its log says" : "by its access rows"}: ${r.reason}`, r.denyRow));
    } else {
      const code = r.kind === "no-answer" ? "UNREACHABLE" : "SYNC_FAILED";
      throw new FleetError(code, `${slave.name}: ${what}`, { node: slave.name, hint: r.kind === "no-answer" ? "check the node's console; once it answers, run restart again for the slaves after it" : "check that the slave reaches its master (routing, firewall) and that the master lets it sync (safesquid-fleet allow)" });
    }
  } catch (e) {
    result.status = "failed";
    // A restart leaves nothing for undo to put back.
    result.error = isInterrupt(e) ? interruptedError(s, result, "restart", { undo: false }) : errorInfo(e);
  }
  return finish();
}
