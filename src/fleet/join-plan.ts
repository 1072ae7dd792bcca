/**
 * Planning `join-slave` for one slave (pure): its startup parameters and the last sync in its
 * log -> what to write and whether a restart is needed. A slave already pointing at this
 * master AND syncing with it (the values in effect) is left alone.
 */
import { paramValues, withValues, type StartupParam } from "../safesquid/params.js";
import type { SyncBlock } from "../safesquid/log.js";
import type { MasterPointer } from "./report.js";

export interface JoinTarget {
  ip: string;
  port: string;
}

export interface JoinPlan {
  current: MasterPointer;
  planned: MasterPointer;
  /** The parameters must be written (they do not name the master yet). */
  write: boolean;
  /** The values name the master but the node is not syncing with it: a restart is pending. */
  restartPending: boolean;
  /** The whole list to write back (every other key exactly as read). */
  params: StartupParam[];
}

/** MASTER_IP / MASTER_PORT as the node holds them. */
export function pointerOf(params: readonly StartupParam[]): MasterPointer {
  const v = paramValues(params);
  return { MASTER_IP: v.get("MASTER_IP") ?? "", MASTER_PORT: v.get("MASTER_PORT") ?? "" };
}

/** "ip:port" as the slave's log names its master. */
export function targetLabel(t: JoinTarget): string {
  return `${t.ip}:${t.port}`;
}

/** Plans the join of one slave. */
export function planJoin(params: readonly StartupParam[], target: JoinTarget, lastSync: SyncBlock | undefined): JoinPlan {
  const current = pointerOf(params);
  const planned: MasterPointer = { MASTER_IP: target.ip, MASTER_PORT: target.port };
  const write = current.MASTER_IP !== planned.MASTER_IP || current.MASTER_PORT !== planned.MASTER_PORT;
  const inEffect = lastSync?.target === targetLabel(target);
  return {
    current,
    planned,
    write,
    restartPending: !write && !inEffect,
    params: write ? withValues(params, { MASTER_IP: target.ip, MASTER_PORT: target.port }) : params.map((p) => ({ ...p })),
  };
}

/** The parameter list with MASTER_IP / MASTER_PORT put back to what they were. */
export function restoreParams(params: readonly StartupParam[], previous: MasterPointer): StartupParam[] {
  return withValues(params, { MASTER_IP: previous.MASTER_IP, MASTER_PORT: previous.MASTER_PORT });
}

/** The SYNCTIME in seconds (vendor default 99). */
export function syncTimeSeconds(params: readonly StartupParam[]): number {
  const n = Number(paramValues(params).get("SYNCTIME"));
  return Number.isFinite(n) && n > 0 ? n : 99;
}
