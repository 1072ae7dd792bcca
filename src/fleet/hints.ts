/**
 * Next-step commands as the report suggests them: runnable as printed, so they keep the
 * inventory the user named (`-i FILE`).
 */
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
