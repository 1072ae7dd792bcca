/**
 * Before `promote` writes anything: does the slave to promote hold a full copy of the policy?
 * Where the old master still answers, its sections are compared with the slave's (those the
 * slave takes from it: NEVER_SYNC excluded); where it does not, the check cannot be made, and
 * the report says so, with the slave's last completed sync from its log as the best evidence.
 */
import type { SlaveSpec } from "../inventory/types.js";
import { syncBlocks } from "../safesquid/log.js";
import { sectionDigests } from "../safesquid/policy.js";
import type { FleetSession } from "./session.js";
import { lastCompleted } from "./sync-judge.js";
import { excludedSections } from "./verify-compare.js";

export interface CopyCheck {
  /** Sections that differ from the old master's (empty: a full copy, or not checked). */
  differs: string[];
  /** Whether the old master answered (false: nothing could be compared). */
  checked: boolean;
  warnings: string[];
}

/** Compares the slave's document with the old master's, or says why it cannot. */
export async function checkCopy(s: FleetSession, slave: SlaveSpec, values: Map<string, string>, oldTarget: string): Promise<CopyCheck> {
  const old = s.inventory.master;
  const c = s.client(slave);
  const doc = await c.fetchDocument();
  const mine = doc === "not-modified" ? new Map<string, string>() : sectionDigests(doc.root);
  const excluded = excludedSections(values);
  const own = [...mine.keys()].filter(excluded);
  const warnings = own.length ? [`${slave.name}'s ${own.join(", ")} (in its NEVER_SYNC) are its own, not copies of the old master's: the slaves will take them from it now unless they exclude them too`] : [];
  let theirs: Map<string, string>;
  try {
    theirs = (await s.masterDocument().current()).digests;
  } catch (e) {
    const log = await c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, signal: s.signal }).catch(() => undefined);
    const last = log && lastCompleted(syncBlocks(log.lines), oldTarget);
    const evidence = last ? `its log shows its last completed sync with ${oldTarget} at ${last.at.stamp} (node clock), ${last.sections.length} section(s)` : `its log shows no completed sync with ${oldTarget}`;
    warnings.push(`the old master ${old.name} does not answer (${(e as Error).message}): could not check that ${slave.name} holds a full copy of its policy; ${evidence}`);
    return { differs: [], checked: false, warnings };
  }
  const differs = [...theirs.keys()].filter((name) => !excluded(name) && mine.get(name) !== theirs.get(name));
  return { differs, checked: true, warnings };
}
