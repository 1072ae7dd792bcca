/**
 * Judging a slave's synchronization (pure), from what is real (docs/protocol.md "What the tool
 * decides from"): the vendor's own sync lines (an attempt names its master; sections
 * synchronized), the master's access rows for the slave's address (first match, as the master
 * itself decides), and the documents compared section by section. The emulator's failure and
 * no-change lines are hints: they may hasten a decision, never make one that the real
 * evidence would not reach in time.
 */
import { evaluateAccess, type AccessSection } from "../safesquid/access.js";
import type { SyncBlock } from "../safesquid/log.js";
import { describeRow } from "./allow-plan.js";

export interface Refusal {
  kind: "login-required" | "forbidden";
  /** A deny row refuses it: `allow` cannot help, the row must change. */
  denyRow?: boolean;
  /** Why, in words that name the row: "row 3 (id 12) "Require login" asks 10.0.1.11 for a login". */
  reason: string;
}

/** Would the master refuse this slave's sync? First match over its access rows for the slave's address. */
export function masterRefusal(access: AccessSection, address: string, masterListen: string): Refusal | undefined {
  const d = evaluateAccess(access, { ip: address, local: masterListen }, () => false);
  if (d.kind === "allow") return undefined;
  if (d.kind === "challenge") return { kind: "login-required", reason: `its allow ${describeRow(d.row)} asks ${address} for a login` };
  if (d.reason === "deny-row") return { kind: "forbidden", denyRow: true, reason: `its deny ${describeRow(d.row!)} matches ${address}` };
  if (d.reason === "no-config") return { kind: "forbidden", reason: `its allow ${describeRow(d.row!)} matches ${address} but does not grant CONFIG` };
  return { kind: "forbidden", reason: `no allow row matches ${address} and the section's policy is DENY` };
}

/** The slave's attempts with this master, oldest first. */
export function attemptsWith(blocks: readonly SyncBlock[], target: string): SyncBlock[] {
  return blocks.filter((b) => b.target === target);
}

/** The last attempt with this master that took sections from it, if any. */
export function lastCompleted(blocks: readonly SyncBlock[], target: string): SyncBlock | undefined {
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i]!.target === target && blocks[i]!.sections.length > 0) return blocks[i];
  return undefined;
}

export type AfterRestart =
  | { kind: "synced"; how: string }
  | { kind: "refused"; reason: string; fromLog: boolean; denyRow?: boolean }
  | { kind: "unreachable"; reason: string }
  | { kind: "stalled"; attempts: number; lastFailure?: string };

export interface AfterRestartFacts {
  /** The sync attempts logged since the restart. */
  blocks: readonly SyncBlock[];
  target: string;
  /** The master's verdict on the slave's address from its access rows. */
  refusal: Refusal | undefined;
  /** Do the slave's synchronized sections equal the master's now? undefined: not compared. */
  documentsEqual?: boolean;
}

/**
 * What the log since a restart shows, or undefined while it shows nothing decisive yet.
 * An attempt with the master proves the new values are in effect; then: sections taken ->
 * synced; a hint says the master cannot be reached -> unreachable; the master's own rows
 * refuse the slave and an attempt has ended without sections -> refused (a hint that says
 * 407/403 ends the attempt sooner and gives the words); nothing left to take (a no-change
 * hint, equal documents) -> synced; two attempts and none took anything -> stalled (the caller
 * rolls back). An attempt has ended when a hint line or the next attempt follows it.
 *
 * A 407/403 hint alone never decides `refused`: where the master's rows allow the slave (or
 * could not be read), a node that writes no such line would be judged on its attempts, so the
 * hint only ends the attempt and is named in the stall.
 */
export function judgeAfterRestart(f: AfterRestartFacts): AfterRestart | undefined {
  const mine = attemptsWith(f.blocks, f.target);
  if (mine.length === 0) return undefined;
  const done = mine.find((b) => b.sections.length > 0);
  if (done) return { kind: "synced", how: `synchronized ${done.sections.length} section(s)` };
  const hint = mine.findLast((b) => b.failure)?.failure;
  if (hint?.kind === "unreachable") return { kind: "unreachable", reason: hint.reason };
  const ended = mine.length >= 2 || hint !== undefined || mine[0]!.noChange !== undefined;
  if (f.refusal && ended) {
    const said = hint && hint.kind !== "other";
    return { kind: "refused", reason: said ? hint.reason : f.refusal.reason, fromLog: said === true, ...(f.refusal.denyRow ? { denyRow: true } : {}) };
  }
  if (mine.some((b) => b.noChange) || f.documentsEqual === true) return { kind: "synced", how: "its sections already equal the master's" };
  if (mine.length >= 2) return { kind: "stalled", attempts: mine.length, ...(hint ? { lastFailure: hint.reason } : {}) };
  return undefined;
}
