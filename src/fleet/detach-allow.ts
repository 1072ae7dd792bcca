/**
 * `detach --prune-allow` on the master: the detached slaves' addresses leave the managed allow
 * row (./allow-prune.ts plans it), written with read-backs, saved, and the whole access
 * section read back against the plan (./row-change.ts).
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { evaluateAccess } from "../safesquid/access.js";
import { planPrune } from "./allow-prune.js";
import { toolRequest } from "./allow.js";
import { liveAccess } from "./allow-write.js";
import { sameSnapshot, snapshotOf, type AccessSnapshot } from "./access-snapshot.js";
import type { NodeResult } from "./report.js";
import { errorInfo, rowSummary, startResult, warn } from "./results.js";
import { changeRow } from "./row-change.js";
import type { FleetSession } from "./session.js";

/** Removes the addresses of `leaving` from the master's allow row; never throws (the result says). */
export async function pruneAllow(s: FleetSession, leaving: readonly SlaveSpec[], dryRun: boolean): Promise<NodeResult> {
  const master = s.inventory.master;
  const { result, finish } = startResult(master, "failed");
  const c = s.client(master);
  s.progress.phase(`detach: the allow row on ${master.name}`);
  try {
    const access = await liveAccess(c);
    const remove: string[] = [];
    for (const sl of leaving) {
      const a = await s.slaveAddress(sl).catch(() => undefined);
      if (a === undefined) warn(result, `${sl.name}: its address could not be resolved; it was not removed from the allow row`);
      else remove.push(a);
    }
    const staying: { name: string; address: string }[] = [];
    for (const sl of s.inventory.slaves.filter((x) => !leaving.includes(x))) {
      const a = await s.slaveAddress(sl).catch(() => undefined);
      if (a !== undefined) staying.push({ name: sl.name, address: a });
    }
    const userGroup = s.inventory.allowList.userGroup;
    const plan = planPrune({ access, userGroup, remove, staying });
    for (const w of plan.warnings) warn(result, w);
    const ch = plan.change;
    if (!ch) {
      result.status = "unchanged";
      return finish();
    }
    result.row = { before: rowSummary(ch.from.values, ch.from.place), ...(ch.to ? { after: rowSummary(ch.to.values, ch.to.place) } : {}), moves: ch.to ? [] : ["removed: no address left in it"], writes: 0 };
    if (lockedOut(c, ch.result)) throw new FleetError("LOCKOUT", "removing these addresses would lock this tool out of the master's admin interface; nothing was written", { node: master.name });
    if (dryRun) {
      result.status = "planned";
      return finish();
    }
    s.recordChange(master, { kind: "allow-row", userGroup, before: ch.from, after: ch.to, access: { before: snapshotOf(access), after: ch.result } });
    const { back, writes } = await changeRow({ s, c, master, result, userGroup, from: ch.from, to: ch.to });
    result.row.writes = writes;
    if (!sameSnapshot(back, ch.result)) throw new FleetError("CONFLICT", "read back after the save, the master's access rows are not as planned", { node: master.name, hint: "someone may be editing the master's allow list at the same time; look at it, then run detach --prune-allow again" });
    result.status = "updated";
  } catch (e) {
    result.status = "failed";
    result.error = errorInfo(e);
  }
  return finish();
}

/** Would the tool be refused by the section as planned? (Values only: the first matching row decides.) */
function lockedOut(c: Parameters<typeof toolRequest>[0], snap: AccessSnapshot): boolean {
  const section = { policy: snap.policy as "ALLOW" | "DENY", allow: snap.allow.map((values, i) => ({ id: String(i), subsection: "allow" as const, values })), deny: snap.deny.map((values, i) => ({ id: String(i), subsection: "deny" as const, values })) };
  return evaluateAccess(section, toolRequest(c), () => true).kind !== "allow";
}
