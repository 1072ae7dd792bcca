/**
 * Next-step commands as the report suggests them: runnable as printed, so they keep the
 * inventory the user named (`-i FILE`).
 */
import type { SlaveSpec } from "../inventory/types.js";
import type { Report } from "./report.js";
import type { FleetSession } from "./session.js";

/** `` `safesquid-fleet allow -i lab.yaml` ``: a command line to paste, with the run's inventory flag. */
export function fixCommand(s: FleetSession, command: string, ...args: string[]): string {
  const inv = s.opts.inventoryArg;
  const words = ["safesquid-fleet", command, ...args, ...(inv ? ["-i", shellWord(inv)] : [])];
  return "`" + words.join(" ") + "`";
}

/** A word as a POSIX shell reads it back: quoted only when it needs to be. */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * The warning for a slave whose sync the master refuses, with the one fix that applies: a
 * deny row must change on the master; otherwise `allow` lets the slave's address in.
 * `source` says how it is known ("by its access rows: ...", "its log says: ...").
 */
export async function refusedWarning(s: FleetSession, slave: SlaveSpec, source: string, denyRow = false): Promise<string> {
  const address = await s.slaveAddress(slave).catch(() => slave.host);
  const fix = denyRow
    ? `narrow or remove that deny row on the master (allow cannot override it)`
    : `run ${fixCommand(s, "allow")} so ${address} may sync without a login (or set sourceIp for ${slave.name} if the master sees it from another address)`;
  return `the master refuses ${slave.name}'s sync (${source}): ${fix}`;
}

/**
 * What a slave the master refuses needs, as data (the report's `syncRefused`): `allow` with the
 * command to paste, or a deny row changed on the master (no command does that).
 */
export function refusedFix(s: FleetSession, denyRow = false): Report["SyncRefused"] {
  return denyRow ? { fix: "deny_row" } : { fix: "allow", command: fixCommand(s, "allow").slice(1, -1) };
}
