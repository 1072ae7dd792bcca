/**
 * Judging one slave against the master (pure): per section, the canonical digests compared
 * (ids and formatting ignored, row order kept), NEVER_SYNC sections excluded (unless also in
 * ALWAYS_SYNC). A section that differs is `pending` only while the slave has not completed a
 * sync since the master's last change and that change is younger than one sync interval plus a
 * grace; otherwise `out_of_sync`. Times of different nodes are compared in this machine's
 * clock (each node's offset from its Date header). docs/protocol.md "Verify".
 */
import { splitList } from "../safesquid/access.js";
import type { SyncBlock } from "../safesquid/log.js";
import { formatDuration } from "../util/duration.js";
import type { Report, VerifyStatus } from "./report.js";
import { lastCompleted, type Refusal } from "./sync-judge.js";

export interface MasterView {
  digests: Map<string, string>;
  /** When the master's document last changed (this machine's clock), when known. */
  changedAt?: number;
}

export interface SlaveFacts {
  /** Startup parameters (values as the vendor's interface reads them). */
  params: Map<string, string>;
  digests: Map<string, string>;
  blocks: SyncBlock[];
  /** The slave's clock minus this machine's (its log stamps are in its clock). */
  clockOffsetMs?: number;
}

export interface CompareOptions {
  /** sync.sections from the inventory; undefined: every section of the master. */
  sections?: string[];
  target: string;
  now: number;
  /** Is the slave syncing with this master? A difference on a slave that is not cannot be pending. */
  joined: boolean;
  /** The master's access rows refuse the slave's address. */
  refusal?: Refusal;
}

/** The grace after one sync interval before a difference counts as out of sync. */
export function graceMs(syncTimeS: number): number {
  return Math.max(5000, syncTimeS * 500);
}

/** SYNCTIME in seconds (the vendor's default 99 when unset or not a number). */
export function syncTimeOf(params: Map<string, string>): number {
  const n = Number(params.get("SYNCTIME"));
  return Number.isFinite(n) && n > 0 ? n : 99;
}

/** When the slave last completed a sync with the target, in this machine's clock. */
export function lastSyncAt(s: Pick<SlaveFacts, "blocks" | "clockOffsetMs">, target: string): number | undefined {
  const done = lastCompleted(s.blocks, target);
  if (!done) return undefined;
  return (done.completedAt ?? done.at).ms - (s.clockOffsetMs ?? 0);
}

/** Which sections the slave does not take from its master: NEVER_SYNC minus ALWAYS_SYNC. */
export function excludedSections(params: Map<string, string>): (name: string) => boolean {
  const never = new Set(splitList(params.get("NEVER_SYNC")).map((x) => x.toLowerCase()));
  const always = new Set(splitList(params.get("ALWAYS_SYNC")).map((x) => x.toLowerCase()));
  return (name) => never.has(name.toLowerCase()) && !always.has(name.toLowerCase());
}

/** Compares every reported section of one slave with the master's. */
export function compareSections(m: MasterView, s: SlaveFacts, o: CompareOptions): Report["SectionResult"][] {
  const excluded = excludedSections(s.params);
  const names = o.sections ?? [...m.digests.keys()];
  const why = differenceReason(m, s, o);
  return names.map((name): Report["SectionResult"] => {
    const md = m.digests.get(name);
    if (md === undefined) return { name, status: "unknown", detail: "not in the master's document" };
    if (excluded(name)) return { name, status: "excluded", detail: "in the slave's NEVER_SYNC" };
    const sd = s.digests.get(name);
    if (sd === md) return { name, status: "in_sync" };
    const what = sd === undefined ? "missing on the slave" : "differs from the master";
    return { name, status: why.pending ? "pending" : "out_of_sync", detail: `${what}; ${why.detail}` };
  });
}

/** Why a section that differs does: the same for every section of the slave. */
function differenceReason(m: MasterView, s: SlaveFacts, o: CompareOptions): { pending: boolean; detail: string } {
  if (!o.joined) return { pending: false, detail: "the slave is not syncing with this master" };
  if (o.refusal) return { pending: false, detail: `the master refuses the slave's sync: ${o.refusal.reason}` };
  const attempts = s.blocks.filter((b) => b.target === o.target);
  const failure = attempts.at(-1)?.failure;
  if (failure) return { pending: false, detail: `the slave's last sync failed: ${failure.reason}` };
  const syncTime = syncTimeOf(s.params);
  const synced = lastSyncAt(s, o.target);
  if (m.changedAt === undefined) {
    return { pending: false, detail: "the master gives no time of its last change, so no sync can be said to be due" };
  }
  const age = Math.max(0, o.now - m.changedAt);
  if (synced !== undefined && synced >= m.changedAt) {
    return { pending: false, detail: `the slave synchronized after the master's last change (${formatDuration(age)} ago): changed on the slave itself?` };
  }
  if (age < syncTime * 1000 + graceMs(syncTime)) {
    return { pending: true, detail: `the master changed ${formatDuration(age)} ago and the slave has not synchronized since (sync interval ${syncTime}s)` };
  }
  return { pending: false, detail: `the master changed ${formatDuration(age)} ago and the slave has not synchronized since` };
}

/** What the report says about the slave's sync activity. */
export function syncInfo(blocks: readonly SyncBlock[], now?: { ms: number; clockOffsetMs?: number | undefined }): Report["SyncInfo"] | undefined {
  const last = blocks.at(-1);
  if (!last) return undefined;
  const info: Report["SyncInfo"] = {
    target: last.target,
    // ISO 8601 with its offset (the log is written in UTC, like the node's Date header:
    // docs/protocol.md "The sync log"), and the stamp as the node wrote it.
    at: new Date(last.at.ms).toISOString(),
    stamp: last.at.stamp,
    ...(now ? { ageMs: Math.max(0, now.ms - (last.at.ms - (now.clockOffsetMs ?? 0))) } : {}),
    outcome: last.failure ? "failed" : last.sections.length ? "synchronized" : last.noChange ? "no_changes" : "attempted",
  };
  if (last.failure) info.reason = last.failure.reason;
  const full = [...blocks].reverse().find((b) => b.sections.length > 0);
  if (full) info.sections = full.sections;
  return info;
}

/** The node status from its joined state and its sections. */
export function nodeStatus(joined: boolean, sections: readonly Report["SectionResult"][]): VerifyStatus {
  if (!joined) return "not_joined";
  if (sections.some((s) => s.status === "out_of_sync")) return "out_of_sync";
  if (sections.some((s) => s.status === "pending")) return "pending";
  return "in_sync";
}
