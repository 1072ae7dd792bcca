/**
 * `detach`: the inverse of join-slave. Per slave: save, MASTER_IP / MASTER_PORT written empty
 * (the whole list, read back), restart, and the success test "no longer syncs": it answers
 * again and its log shows no sync attempt for one SYNCTIME plus a grace (./restart-node.ts).
 * With --prune-allow the master's allow row then loses the detached slaves' addresses
 * (./allow-prune.ts), saved and read back. A failing slave never stops the others.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { syncBlocks } from "../safesquid/log.js";
import { eachSlave, readPointer, startStep } from "./each-slave.js";
import { pointerLabel, previousInRecord } from "./join-plan.js";
import { pointTo } from "./params-write.js";
import type { NodeResult, Report } from "./report.js";
import { restartAndSettle, saveFirst, settledText, type NodeStep } from "./restart-node.js";
import { errorInfo, step, warn } from "./results.js";
import { interruptedError, isInterrupt } from "./node-progress.js";
import type { FleetSession } from "./session.js";
import { graceMs, syncTimeOf } from "./verify-compare.js";

export interface DetachOptions {
  slaves: SlaveSpec[];
  dryRun: boolean;
  concurrency: number;
  restartTimeoutMs: number;
}

export const STAND_ALONE: Report["MasterPointer"] = { MASTER_IP: "", MASTER_PORT: "" };

/** Detaches every slave (a dry run only reads); at most `concurrency` at once. */
export async function runDetach(s: FleetSession, o: DetachOptions): Promise<NodeResult[]> {
  s.progress.phase(o.dryRun ? "detach: reading the slaves" : "detach: making the slaves stand-alone");
  return eachSlave(s, o.slaves, o.concurrency, (slave) => detachOne(s, slave, o));
}

async function detachOne(s: FleetSession, slave: SlaveSpec, o: DetachOptions): Promise<NodeResult> {
  const { n, finish } = startStep(s, slave);
  const { result } = n;
  try {
    const { pointer, values } = await readPointer(n);
    result.planned = STAND_ALONE;
    const syncing = await syncsNow(n, values);
    if (pointerLabel(pointer) === "stand-alone" && !syncing) {
      result.status = "unchanged";
      return finish();
    }
    if (pointerLabel(pointer) === "stand-alone") warn(result, `MASTER_IP / MASTER_PORT are empty, but ${slave.name} still synchronizes with ${syncing}: a restart is pending`);
    if (o.dryRun) {
      result.status = "planned";
      return finish();
    }
    s.recordChange(slave, { kind: "params", before: pointer, after: STAND_ALONE, restart: true });
    await saveFirst(n);
    if (pointerLabel(pointer) !== "stand-alone") await pointTo(n, STAND_ALONE, "MASTER_IP / MASTER_PORT emptied");
    const r = await restartAndSettle(n, { pointer: STAND_ALONE, values, restartTimeoutMs: o.restartTimeoutMs, standAlone: "quiet" });
    if (r.kind !== "quiet") {
      throw new FleetError(r.kind === "no-answer" ? "UNREACHABLE" : "SYNC_FAILED", `${slave.name}: ${settledText(r, pointerLabel(pointer))}; its MASTER_IP / MASTER_PORT are empty (${previousInRecord(pointer)})`, {
        node: slave.name,
        hint: r.kind === "no-answer" ? "check the node's console" : `restart it once more (safesquid-fleet restart ${slave.name}), then look at its startup parameters`,
      });
    }
    result.status = "detached";
    step(result, settledText(r, ""));
  } catch (e) {
    result.status = "failed";
    result.error = isInterrupt(e) ? interruptedError(n.s, result, "detach") : errorInfo(e);
  }
  return finish();
}

/** The master a slave synchronized with within its last interval (plus a grace), by its log's backlog; undefined when none. */
async function syncsNow(n: NodeStep, values: Map<string, string>): Promise<string | undefined> {
  const log = await n.c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, retries: 2, signal: n.s.signal });
  const last = syncBlocks(log.lines).at(-1);
  if (!last) return undefined;
  const nodeNow = Date.now() + (n.c.transport.clockOffsetMs ?? 0);
  const window = syncTimeOf(values) * 1000 + graceMs(syncTimeOf(values));
  return nodeNow - last.at.ms <= window ? last.target : undefined;
}
