/**
 * Where run records (and the run lock, ./run-lock.ts) go, decided once, before any node is
 * touched, by actually writing there (docs/run-records.md "Where records go"):
 *
 * 1. `--record-dir DIR`, else `$SAFESQUID_FLEET_RECORD_DIR`: that folder, or stop (exit 2);
 * 2. `./.safesquid-fleet/runs` in the working folder, when it can be written;
 * 3. else the XDG state folder: `$XDG_STATE_HOME/safesquid-fleet/runs`, by default
 *    `~/.local/state/safesquid-fleet/runs`, and the run says so.
 *
 * A run that would write to nodes with nowhere to record their previous values stops here.
 */
import { closeSync, mkdirSync, openSync, readdirSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { FleetError } from "../errors.js";

export const RECORD_DIR_ENV = "SAFESQUID_FLEET_RECORD_DIR";

export interface RecordPlace {
  /** The folder, absolute. */
  dir: string;
  source: "option" | "env" | "working-folder" | "state-home";
  /** Set when the working folder could not be used: why (e.g. "EACCES: permission denied"). */
  fallbackFrom?: { dir: string; why: string };
}

export interface RecordDirInput {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --record-dir, as given. */
  option?: string;
  /** The home folder (default os.homedir()). */
  home?: string;
}

/** The working folder's record folder (whether or not it can be written). */
export function workingRecordDir(cwd: string): string {
  return resolve(cwd, ".safesquid-fleet", "runs");
}

/** The XDG state folder's record folder: $XDG_STATE_HOME (when absolute, as the spec asks), else ~/.local/state. */
export function stateRecordDir(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, ".local", "state");
  return join(base, "safesquid-fleet", "runs");
}

/**
 * Where `undo` reads run records, without writing anything: the option, else the environment
 * variable, else the folder this working folder's runs went to: its own `.safesquid-fleet/runs`
 * when that holds a record, else the XDG state folder's when that does (a run from a read-only
 * working folder wrote there), else its own (the one a run here would use first). `looked`
 * names every folder considered, for a message when none holds a record.
 */
export function recordDirForReading(o: RecordDirInput): { dir: string; looked: string[] } {
  const chosen = o.option || o.env[RECORD_DIR_ENV];
  if (chosen) {
    const dir = resolve(o.cwd, chosen);
    return { dir, looked: [dir] };
  }
  const here = workingRecordDir(o.cwd);
  const state = stateRecordDir(o.env, o.home);
  const dir = [here, state].find(holdsRecords) ?? here;
  return { dir, looked: [here, state] };
}

function holdsRecords(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith(".jsonl"));
  } catch {
    return false;
  }
}

/** Chooses the folder and proves it can be written (creating it, mode 0700); throws NO_RECORD_DIR (exit 2) when none can. */
export function chooseRecordDir(o: RecordDirInput): RecordPlace {
  const explicit = o.option ? { value: o.option, source: "option" as const, name: "--record-dir" } : o.env[RECORD_DIR_ENV] ? { value: o.env[RECORD_DIR_ENV]!, source: "env" as const, name: RECORD_DIR_ENV } : undefined;
  if (explicit) {
    const dir = resolve(o.cwd, explicit.value);
    const why = writable(dir);
    if (why) {
      throw new FleetError("NO_RECORD_DIR", `cannot write run records to ${dir} (${explicit.name}): ${why}; nothing was touched`, {
        hint: `give ${explicit.name} a folder this user can create and write (run records hold each node's previous values)`,
      });
    }
    return { dir, source: explicit.source };
  }
  const here = workingRecordDir(o.cwd);
  const hereWhy = writable(here);
  if (!hereWhy) return { dir: here, source: "working-folder" };
  const state = stateRecordDir(o.env, o.home);
  const stateWhy = writable(state);
  if (!stateWhy) return { dir: state, source: "state-home", fallbackFrom: { dir: here, why: hereWhy } };
  throw new FleetError("NO_RECORD_DIR", `no folder to write run records to: ${here}: ${hereWhy}; ${state}: ${stateWhy}; nothing was touched`, {
    hint: `pass --record-dir DIR (or set ${RECORD_DIR_ENV}) to a folder this user can write: run records hold each node's previous values`,
  });
}

/** undefined when the folder exists (or was created) and a file can be created in it; else why not. */
export function writable(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // access(W_OK) is not the answer on every file system (read-only mounts, ACLs): write a file.
    const probe = join(dir, `.probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
    closeSync(openSync(probe, "wx", 0o600));
    unlinkSync(probe);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
