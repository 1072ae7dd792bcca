/**
 * Planning `join-slave` for one slave (pure): its startup parameters and whether it syncs with
 * the master -> what to write and whether a restart is needed. A slave whose parameters name
 * this master AND that syncs with it (the values in effect) is left alone.
 */
import { paramValues, withValues, type StartupParam } from "../safesquid/params.js";
import type { Report } from "./report.js";

export interface JoinTarget {
  ip: string;
  port: string;
}

export interface JoinPlan {
  current: Report["MasterPointer"];
  planned: Report["MasterPointer"];
  /** The parameters must be written (they do not name the master yet). */
  write: boolean;
  /** The values name the master but the node is not syncing with it: a restart is pending. */
  restartPending: boolean;
  /** The whole list to write back (every other key as read, without quotes). */
  params: StartupParam[];
}

/** MASTER_IP / MASTER_PORT as the node holds them. */
export function pointerOf(params: readonly StartupParam[]): Report["MasterPointer"] {
  const v = paramValues(params);
  return { MASTER_IP: v.get("MASTER_IP") ?? "", MASTER_PORT: v.get("MASTER_PORT") ?? "" };
}

/** "ip:port" as the slave's log names its master. */
export function targetLabel(t: JoinTarget): string {
  return `${t.ip}:${t.port}`;
}

/** "10.0.0.10:8080", or "stand-alone" for empty values. */
export function pointerLabel(p: Report["MasterPointer"]): string {
  return p.MASTER_IP === "" && p.MASTER_PORT === "" ? "stand-alone" : `${p.MASTER_IP || "empty"}:${p.MASTER_PORT || "empty"}`;
}

/** "MASTER_IP=10.0.0.10, MASTER_PORT=8080" (empty values shown as ""), for sentences about a write. */
export function pointerWords(p: Report["MasterPointer"]): string {
  const v = (x: string): string => (x === "" ? '""' : x);
  return `MASTER_IP=${v(p.MASTER_IP)}, MASTER_PORT=${v(p.MASTER_PORT)}`;
}

/** Where a slave's MASTER_IP / MASTER_PORT before the run can be found again, said the same way everywhere. */
export function previousInRecord(previous: Report["MasterPointer"]): string {
  return `previous values ${pointerLabel(previous)} are in the run record`;
}

/** Plans the join of one slave; `syncing` says whether the slave syncs with the target now. */
export function planJoin(params: readonly StartupParam[], target: JoinTarget, syncing: boolean): JoinPlan {
  const current = pointerOf(params);
  const planned: Report["MasterPointer"] = { MASTER_IP: target.ip, MASTER_PORT: target.port };
  const write = current.MASTER_IP !== planned.MASTER_IP || current.MASTER_PORT !== planned.MASTER_PORT;
  return {
    current,
    planned,
    write,
    restartPending: !write && !syncing,
    params: write ? withValues(params, { MASTER_IP: target.ip, MASTER_PORT: target.port }) : params.map((p) => ({ ...p })),
  };
}

/** The parameter list with MASTER_IP / MASTER_PORT put back to what they were. */
export function restoreParams(params: readonly StartupParam[], previous: Report["MasterPointer"]): StartupParam[] {
  return withValues(params, { MASTER_IP: previous.MASTER_IP, MASTER_PORT: previous.MASTER_PORT });
}

/** Compares what a read-back shows with the list that was written: every key, value for value. */
export function paramsDiffer(written: readonly StartupParam[], read: readonly StartupParam[]): string[] {
  const now = paramValues(read);
  const out: string[] = [];
  for (const p of written) if ((now.get(p.name) ?? "") !== p.value) out.push(`${p.name}=${now.get(p.name) ?? "(absent)"} (written ${p.value})`);
  return out;
}
