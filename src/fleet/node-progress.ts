/**
 * What the run is doing to a node, and what it last saw there. What it was doing when the run
 * was interrupted (Ctrl-C, SIGTERM) goes into the report, so that it says exactly that per node ("restarting with MASTER_IP=10.0.0.10, MASTER_PORT=8080; not
 * observed after the interrupt") instead of a bare "interrupted", with the next step as a
 * command that runs as printed (it keeps the user's -i FILE). The steps of a join or an allow
 * say what they are about to do; the error of a node the interrupt cut short is built from
 * the last of these.
 */
import { FleetError } from "../errors.js";
import { fixCommand } from "./hints.js";
import type { NodeResult, Report } from "./report.js";
import type { FleetSession } from "./session.js";

/** What a node is doing, and whether it may have changed the node: "wrote" (something is on it) or "read" (nothing yet). */
interface Doing {
  what: string;
  /** Has this run written anything to the node yet? */
  wrote: boolean;
  /** A process on the node is under way that finishes without us (a restart): it was not observed. */
  unobserved?: string;
}

const doing = new WeakMap<NodeResult, Doing>();
const seen = new WeakMap<NodeResult, Report["MasterPointer"] | undefined>();

/**
 * Notes MASTER_IP / MASTER_PORT as just read on the node; undefined before a write, whose
 * outcome is unknown until it is read back. What a failed node was left with, in the report.
 */
export function sawPointer(r: NodeResult, p: Report["MasterPointer"] | undefined): void {
  seen.set(r, p);
}

/** MASTER_IP / MASTER_PORT as last read on the node, when no write has happened since. */
export function lastSeenPointer(r: NodeResult): Report["MasterPointer"] | undefined {
  return seen.get(r);
}

/** Notes what the run is doing to a node now (the last note is what an interrupt reports). */
export function nowDoing(r: NodeResult, what: string, o: { wrote: boolean; unobserved?: string }): void {
  doing.set(r, { what, ...o });
}

/** Is this the run's interrupt (Ctrl-C, SIGTERM)? */
export function isInterrupt(e: unknown): boolean {
  return e instanceof FleetError && e.code === "INTERRUPTED";
}

/**
 * The error of a node the interrupt cut short: what it was doing, what that leaves on the
 * node, and the next step: `verify` to see where it stands, then the command again, or `undo`
 * to put it back as before the run.
 */
export function interruptedError(s: FleetSession, r: NodeResult, again: string, o: { undo?: boolean } = {}): Report["NodeError"] {
  const d = doing.get(r);
  const look = r.role === "master" ? fixCommand(s, "allow", "--dry-run") : fixCommand(s, "verify", r.name);
  const redo = r.role === "master" ? fixCommand(s, again) : fixCommand(s, again, r.name);
  if (!d || !d.wrote) {
    return {
      code: "INTERRUPTED",
      message: `interrupted ${d ? `while ${d.what}` : "before it was changed"}: nothing was written to it`,
      hint: `run ${redo} to finish`,
    };
  }
  const tail = d.unobserved ? `; not observed after the interrupt (${d.unobserved})` : "";
  // undo puts back the newest run (this one, right after it): a slave alone with --limit.
  const back = o.undo === false || again === "undo" ? undefined : r.role === "master" ? fixCommand(s, "undo") : fixCommand(s, "undo", "--limit", r.name);
  return {
    code: "INTERRUPTED",
    message: `interrupted while ${d.what}${tail}`,
    hint: `run ${look} to see where it stands (its previous values are in the run record), then ${redo}${back ? `, or ${back} to put it back as before the run` : ""}`,
  };
}
