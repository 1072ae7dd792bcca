/**
 * Judging one slave against the master (pure): per section, the canonical digests compared
 * (ids and formatting ignored, row order kept), NEVER_SYNC sections excluded (unless also in
 * ALWAYS_SYNC), a difference younger than one sync interval + a grace `pending`, older
 * `out_of_sync`; and the node's status from that and whether it is joined.
 */
import { splitList } from "../safesquid/access.js";
import type { SyncBlock } from "../safesquid/log.js";
import type { SectionResult, SyncInfo, VerifyStatus } from "./report.js";
import { formatDuration } from "../util/duration.js";

export interface MasterView {
  digests: Map<string, string>;
  /** Age of the master's document when it was fetched (node clock), and when that was (local clock). */
  ageMs: number | undefined;
  fetchedAt: number;
}

export interface SlaveFacts {
  /** Startup parameters, unquoted. */
  params: Map<string, string>;
  digests: Map<string, string>;
  blocks: SyncBlock[];
}

export interface CompareOptions {
  /** sync.sections from the inventory; undefined: every section of the master. */
  sections?: string[];
  target: string;
  now: number;
  /** Is the slave syncing with this master? A difference on a slave that is not cannot be pending. */
  joined: boolean;
}

/** The grace after one sync interval before a difference counts as out of sync. */
export function graceMs(syncTimeS: number): number {
  return Math.max(5000, syncTimeS * 500);
}

/** Compares every reported section of one slave with the master's. */
export function compareSections(m: MasterView, s: SlaveFacts, o: CompareOptions): SectionResult[] {
  const never = new Set(splitList(s.params.get("NEVER_SYNC")));
  const always = new Set(splitList(s.params.get("ALWAYS_SYNC")));
  const syncTime = Number(s.params.get("SYNCTIME")) > 0 ? Number(s.params.get("SYNCTIME")) : 99;
  const denied = lastFor(s.blocks, o.target)?.failure;
  const age = m.ageMs === undefined ? undefined : m.ageMs + (o.now - m.fetchedAt);
  const names = o.sections ?? [...m.digests.keys()];
  return names.map((name): SectionResult => {
    const md = m.digests.get(name);
    if (md === undefined) return { name, status: "unknown", detail: "not in the master's document" };
    if (never.has(name) && !always.has(name)) return { name, status: "excluded", detail: "in the slave's NEVER_SYNC" };
    const sd = s.digests.get(name);
    if (sd === md) return { name, status: "in_sync" };
    const what = sd === undefined ? "missing on the slave" : "differs from the master";
    if (!o.joined) return { name, status: "out_of_sync", detail: `${what}; the slave is not syncing with this master` };
    if (denied) return { name, status: "out_of_sync", detail: `${what}; the slave's last sync failed: ${denied.reason}` };
    if (age !== undefined && age < syncTime * 1000 + graceMs(syncTime)) {
      return { name, status: "pending", detail: `${what}; the master changed ${formatDuration(age)} ago (sync interval ${syncTime}s)` };
    }
    return { name, status: "out_of_sync", detail: age === undefined ? what : `${what} for ${formatDuration(age)} or more` };
  });
}

/** The last sync attempt with the target, if the log shows one. */
export function lastFor(blocks: readonly SyncBlock[], target: string): SyncBlock | undefined {
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i]!.target === target) return blocks[i];
  return undefined;
}

/** What the report says about the slave's sync activity. */
export function syncInfo(blocks: readonly SyncBlock[]): SyncInfo | undefined {
  const last = blocks.at(-1);
  if (!last) return undefined;
  const info: SyncInfo = {
    target: last.target,
    at: last.at.stamp,
    outcome: last.failure ? "failed" : last.sections.length ? "synchronized" : "no_changes",
  };
  if (last.failure) info.reason = last.failure.reason;
  const full = [...blocks].reverse().find((b) => b.sections.length > 0);
  if (full) info.sections = full.sections;
  return info;
}

/** The node status from its joined state and its sections. */
export function nodeStatus(joined: boolean, sections: readonly SectionResult[]): VerifyStatus {
  if (!joined) return "not_joined";
  if (sections.some((s) => s.status === "out_of_sync")) return "out_of_sync";
  if (sections.some((s) => s.status === "pending")) return "pending";
  return "in_sync";
}
