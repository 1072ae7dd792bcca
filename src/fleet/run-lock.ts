/**
 * One writing run per inventory at a time on this machine (docs/run-records.md "The run
 * lock"): a lock file in the run-record folder, named after the inventory's path, holding the
 * holder's pid, host, command line and start time. The shards of one fleet (--shard I/N) run
 * side by side: each takes its shard's lock, which excludes a whole-fleet run's and the same
 * shard's, not the other shards'. Created atomically (written whole to a
 * private file, then hard-linked into place: the link fails if the lock exists, and a reader
 * never sees it half written). A second run waits up to --lock-timeout, then stops (exit 2)
 * naming the holder. A lock left by a process of this host that is gone is taken over, and
 * the run says so. Released on every way out: the command's end, an error, Ctrl-C, and the
 * process's exit (a second Ctrl-C); a kill -9 leaves a stale lock that the next run takes over.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { FleetError } from "../errors.js";
import { formatDuration, sleep } from "../util/duration.js";

export interface LockHolder {
  pid: number;
  host: string;
  /** The command line, e.g. "apply -i lab.yaml --yes". */
  command: string;
  startedAt: string;
  inventory: string;
}

export interface AcquireOptions {
  /** The run-record folder (it exists and can be written: ./record-dir.ts). */
  dir: string;
  /** The inventory's absolute path: one lock per inventory. */
  inventory: string;
  /** --shard I/N: a run of one shard takes that shard's lock; it excludes the whole-fleet lock, not the other shards'. */
  shard?: { index: number; count: number };
  command: string;
  /** How long to wait for a held lock; 0: do not wait. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Told once when the run starts to wait, with the holder. */
  onWait?: (holder: LockHolder | undefined, file: string) => void;
  /** Told when a stale lock is taken over. */
  onTakeover?: (stale: LockHolder | undefined, why: string, file: string) => void;
}

/** How often a waiting run looks at the lock again. */
const POLL_MS = 250;
/** A lock file that cannot be read, older than this, is taken over (no run writes one so). */
const UNREADABLE_STALE_MS = 10_000;

const held = new Set<RunLock>();
let exitHook = false;

/** The lock file of an inventory in a folder: its name, then a hash of its path (and the shard, for a shard's run). */
export function lockFileFor(dir: string, inventory: string, shard?: { index: number; count: number }): string {
  return join(dir, `${lockStem(inventory)}${shard ? `.shard-${shard.index}of${shard.count}` : ""}.lock`);
}

function lockStem(inventory: string): string {
  const name = basename(inventory).replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 40);
  const hash = createHash("sha256").update(inventory).digest("hex").slice(0, 12);
  return `${name}-${hash}`;
}

/**
 * The other lock files a run must find free once it holds its own: a whole-fleet run, every
 * shard's; a shard's run, the whole-fleet one. (Shards of one fleet run side by side: that is
 * what they are for; they touch disjoint slaves and never the master.)
 */
function conflicting(o: AcquireOptions): string[] {
  if (o.shard) return [lockFileFor(o.dir, o.inventory)];
  const prefix = `${lockStem(o.inventory)}.shard-`;
  try {
    return readdirSync(o.dir).filter((n) => n.startsWith(prefix) && n.endsWith(".lock")).map((n) => join(o.dir, n));
  } catch {
    return [];
  }
}

/** A live holder of one of these lock files, if any (stale ones are left to their own next run). */
function liveHolder(files: string[]): { holder: LockHolder | undefined; file: string } | undefined {
  for (const file of files) {
    const h = read(file);
    if (h === "gone" || staleness(h, file)) continue;
    return { holder: h === "unreadable" ? undefined : h, file };
  }
  return undefined;
}

/** A lock this process holds. */
export class RunLock {
  private released = false;
  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {}

  /** Takes the inventory's lock, waiting up to timeoutMs; throws LOCKED (exit 2) naming the holder. */
  static async acquire(o: AcquireOptions): Promise<RunLock> {
    const file = lockFileFor(o.dir, o.inventory, o.shard);
    const me: LockHolder = { pid: process.pid, host: hostname(), command: o.command, startedAt: new Date().toISOString(), inventory: o.inventory };
    const deadline = Date.now() + o.timeoutMs;
    let told = false;
    for (;;) {
      let blocker: { holder: LockHolder | undefined; file: string } | undefined;
      const mine = create(file, me) ? "created" : takeOverIfStale(file, me, o);
      if (mine !== "held") {
        // Held: now the other level must be free (a whole-fleet run and a shard's exclude each
        // other). Both may look at once and both step back: never both go ahead.
        blocker = liveHolder(conflicting(o));
        if (!blocker) return RunLock.hold(file, me);
        unlinkSync(file);
      } else {
        const seen = read(file);
        if (seen === "gone") continue; // released between our try and our look: try again at once
        blocker = { holder: seen === "unreadable" ? undefined : seen, file };
      }
      if (Date.now() >= deadline) throw lockedError(blocker.holder, blocker.file, o.timeoutMs);
      if (!told) o.onWait?.(blocker.holder, blocker.file);
      told = true;
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())), o.signal);
    }
  }

  private static hold(file: string, me: LockHolder): RunLock {
    const lock = new RunLock(file, me);
    held.add(lock);
    if (!exitHook) {
      exitHook = true;
      process.on("exit", releaseHeldLocks);
    }
    return lock;
  }

  /** Removes the lock file, if it is still this run's (never one another run took over). */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const now = read(this.file);
    if (now !== "gone" && now !== "unreadable" && now.pid === this.holder.pid && now.startedAt === this.holder.startedAt) {
      try {
        unlinkSync(this.file);
      } catch {
        // already gone
      }
    }
  }
}

/** Releases every lock this process holds (the command's end, and process exit). */
export function releaseHeldLocks(): void {
  for (const l of [...held]) l.release();
}

/** When the existing lock is stale, takes it over (saying so): "taken"; else "held". */
function takeOverIfStale(file: string, me: LockHolder, o: AcquireOptions): "taken" | "held" {
  const seen = read(file);
  if (seen === "gone") return "held"; // the caller looks again
  const stale = staleness(seen, file);
  if (!stale || !takeOver(file, seen, me)) return "held";
  o.onTakeover?.(seen === "unreadable" ? undefined : seen, stale, file);
  return "taken";
}

/** Creates the lock whole, atomically; false when it exists. */
function create(file: string, me: LockHolder): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, JSON.stringify(me) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // A file system without hard links: create it exclusively and write it (O_EXCL).
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") return createExclusive(file, me);
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
  }
}

function createExclusive(file: string, me: LockHolder): boolean {
  try {
    writeFileSync(file, JSON.stringify(me) + "\n", { flag: "wx", mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

function read(file: string): LockHolder | "gone" | "unreadable" {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : "unreadable";
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === "string" ? h : "unreadable";
  } catch {
    return "unreadable";
  }
}

/** Why the lock is stale (its process is gone), or undefined when it may be live. */
function staleness(h: LockHolder | "unreadable", file: string): string | undefined {
  if (h === "unreadable") {
    const age = ageMs(file);
    return age !== undefined && age > UNREADABLE_STALE_MS ? "its lock file cannot be read" : undefined;
  }
  // Another host (a shared folder): its processes cannot be seen from here.
  if (h.host !== hostname()) return undefined;
  if (!alive(h.pid)) return `process ${h.pid} is no longer running`;
  const started = processStart(h.pid);
  // The pid was reused: the process with it now started after the lock was taken.
  if (started !== undefined && started > Date.parse(h.startedAt) + 2000) return `process ${h.pid} is no longer running (its pid now belongs to another process)`;
  return undefined;
}

/**
 * Replaces a stale lock, under a short-lived takeover lock so that two runs finding the same
 * stale lock do not both take it: the one holding the takeover file looks again, removes the
 * stale lock and creates its own; the other finds a live lock.
 */
function takeOver(file: string, seen: LockHolder | "unreadable", me: LockHolder): boolean {
  const guard = `${file}.takeover`;
  const age = ageMs(guard);
  if (age !== undefined && age > UNREADABLE_STALE_MS) {
    try {
      unlinkSync(guard);
    } catch {
      // another run cleared it
    }
  }
  let fd: number;
  try {
    fd = openSync(guard, "wx", 0o600);
  } catch {
    return false;
  }
  try {
    const again = read(file);
    const same = again === "unreadable" ? seen === "unreadable" : again !== "gone" && seen !== "unreadable" && again.pid === seen.pid && again.startedAt === seen.startedAt;
    if (again !== "gone" && !same) return false;
    if (again !== "gone") unlinkSync(file);
    return create(file, me);
  } finally {
    closeSync(fd);
    unlinkSync(guard);
  }
}

function ageMs(file: string): number | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Does a process with this pid exist (on this host)? A zombie (exited, not yet reaped) does not count. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): kill(0) is all there is
  }
}

/** When a process started (ms since the epoch), from /proc on Linux; undefined elsewhere. */
function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    // Clock ticks are 100 per second on Linux (USER_HZ).
    return Number.isFinite(ticks) && Number.isFinite(btime) ? btime * 1000 + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The error of a run that found the lock held. */
function lockedError(h: LockHolder | undefined, file: string, waitedMs: number): FleetError {
  const waited = waitedMs > 0 ? ` (waited ${formatDuration(waitedMs)})` : "";
  if (!h) {
    return new FleetError("LOCKED", `another safesquid-fleet run holds the lock on this inventory${waited}; its lock file ${file} cannot be read`, {
      hint: `if no other run is going, remove ${file}`,
    });
  }
  const since = Date.parse(h.startedAt);
  const age = Number.isFinite(since) ? `, started ${formatDuration(Math.max(0, Date.now() - since))} ago (${h.startedAt})` : "";
  const where = h.host === hostname() ? `pid ${h.pid}` : `pid ${h.pid} on host ${h.host}`;
  return new FleetError("LOCKED", `another safesquid-fleet run is changing this fleet: ${where}, \`safesquid-fleet ${h.command}\`${age}${waited}; nothing was touched`, {
    hint: `wait for it to finish (or pass --lock-timeout 10m to wait for it); if that process is gone${h.host === hostname() ? "" : ` (${h.host} is another host)`}, remove ${file}`,
  });
}
