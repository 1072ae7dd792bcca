/**
 * Waiting for a restarted slave: until its log, read since the restart (node clock against
 * node clock, so skew does not matter), shows what ./sync-judge.ts calls decisive, or the
 * deadline passes. The log stream is cut while the node is down; the wait reconnects and keeps
 * what it has read (a node may send no backlog, so earlier lines would not come again).
 */
import { FleetError } from "../errors.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { syncBlocks, type LogLine } from "../safesquid/log.js";
import { probeConnect } from "../safesquid/probe.js";
import { sleep } from "../util/duration.js";
import { judgeAfterRestart, type AfterRestart, type Refusal } from "./sync-judge.js";

/**
 * Polling a restarting node: soon at first (a quick restart costs no fixed 300 ms per slave),
 * then every 300 ms (a slow one is not hammered).
 */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 300;

export type SyncOutcome = AfterRestart | { kind: "timeout"; answered: boolean; attempts: number };

export interface WaitForSync {
  /** The slave's client. */
  c: SafeSquidClient;
  /** `ip:port` of the master as the slave names it. */
  target: string;
  /** Node-clock time of the newest log line before the restart (undefined: the node sent none). */
  sinceMs: number | undefined;
  deadlineAt: number;
  signal: AbortSignal;
  /** The master's verdict on the slave's address by its access rows. */
  refusal: Refusal | undefined;
  /** Do the slave's synchronized sections equal the master's now? (asked before a stall or a timeout is called) */
  documentsEqual: () => Promise<boolean>;
  /**
   * The slave's sections differed from the master's before the restart: once they are equal
   * it has taken them, whether or not its log showed it. Needed where a node sends no log
   * history: its first sync after the start may come before the log is read again.
   */
  differedBefore: boolean;
  /** Read the log in windows of this length, checking the documents between them (a node with no log history). */
  windowMs?: number;
}

/** Waits for the slave's first decisive sync attempt with the target after the restart. */
export async function waitForSync(w: WaitForSync): Promise<SyncOutcome> {
  const seen = new Map<string, LogLine>();
  const fresh = (): LogLine[] => [...seen.values()].filter((l) => w.sinceMs === undefined || l.ms > w.sinceMs);
  const judge = (): AfterRestart | undefined => judgeAfterRestart({ blocks: syncBlocks(fresh()), target: w.target, refusal: w.refusal });
  const keep = (lines: readonly LogLine[]): void => {
    for (const l of lines) seen.set(`${l.stamp}|${l.message}`, l);
  };
  let answered = false;
  let pause = FIRST_POLL_MS;
  while (Date.now() < w.deadlineAt) {
    const remaining = w.deadlineAt - Date.now();
    const window = Math.min(remaining, w.windowMs ?? remaining);
    try {
      const read = await w.c.readLog({ maxMs: window, idleMs: window, until: (ls) => (keep(ls), judge() !== undefined), signal: w.signal });
      answered = true;
      keep(read.lines);
      const d = await settle(judge(), w);
      if (d) return d;
      if (w.differedBefore && (await w.documentsEqual().catch(() => false))) return { kind: "synced", how: "it has taken the master's sections (they differed before the restart)" };
      if (window < remaining) continue;
    } catch (e) {
      if (e instanceof FleetError && e.code === "INTERRUPTED") throw e;
      if (w.signal.aborted) throw w.signal.reason;
      // down while restarting: try again until the deadline
    }
    await sleep(Math.min(pause, Math.max(0, w.deadlineAt - Date.now())), w.signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
  const attempts = syncBlocks(fresh()).filter((b) => b.target === w.target).length;
  if (attempts > 0 && (await w.documentsEqual().catch(() => false))) return { kind: "synced", how: "its sections equal the master's" };
  return { kind: "timeout", answered, attempts };
}

/**
 * A stall is called only once the documents are known to differ (equal: nothing was left to
 * take). A refusal judged from the master's rows alone, with no word from the log, is checked
 * against a TCP connect to the master from here: a master that nobody reaches is unreachable.
 */
async function settle(d: AfterRestart | undefined, w: WaitForSync): Promise<AfterRestart | undefined> {
  if (d?.kind === "stalled") return (await w.documentsEqual().catch(() => false)) ? { kind: "synced", how: "its sections equal the master's" } : d;
  if (d?.kind === "refused" && !d.fromLog) {
    const [host, port] = splitTarget(w.target);
    const probe = await probeConnect(host, port, 3000);
    if (!probe.ok) return { kind: "unreachable", reason: `no word from its log, and this machine cannot reach ${w.target} either: ${probe.reason}` };
  }
  return d;
}

/** "10.0.0.10:8080" / "[::1]:8080" -> host and port. */
function splitTarget(target: string): [string, number] {
  const i = target.lastIndexOf(":");
  return [target.slice(0, i).replace(/^\[|\]$/g, ""), Number(target.slice(i + 1))];
}

/** Waits until the node answers an admin request again; false at the deadline. */
export async function waitForAnswer(c: SafeSquidClient, deadlineAt: number, signal: AbortSignal): Promise<boolean> {
  let pause = FIRST_POLL_MS;
  while (Date.now() < deadlineAt) {
    try {
      await c.readParams();
      return true;
    } catch (e) {
      if (e instanceof FleetError && e.code === "INTERRUPTED") throw e;
      if (signal.aborted) throw signal.reason;
    }
    await sleep(Math.min(pause, Math.max(0, deadlineAt - Date.now())), signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
  return false;
}

export interface WaitUntilQuiet {
  c: SafeSquidClient;
  /** Node-clock time of the newest log line before the restart: older attempts do not count. */
  sinceMs: number | undefined;
  /** How long without a new attempt means "no longer syncs". */
  quietMs: number;
  deadlineAt: number;
  signal: AbortSignal;
}

/**
 * Watches the log until no new sync attempt has come for `quietMs` (quiet), or the deadline
 * passes with attempts still coming (the master it still syncs with). The stream is read
 * again when it drops (a restarting node); lines are told apart by stamp and text, so a
 * backlog sent again on each reconnect counts once.
 */
export async function waitUntilQuiet(w: WaitUntilQuiet): Promise<{ quiet: true } | { quiet: false; target: string }> {
  const seen = new Set<string>();
  let lastTarget = "";
  let quietFrom = Date.now();
  const fresh = (lines: readonly LogLine[]): boolean => {
    let any = false;
    for (const b of syncBlocks(lines)) {
      const key = `${b.at.stamp}|${b.at.message}`;
      if ((w.sinceMs !== undefined && b.at.ms <= w.sinceMs) || seen.has(key)) continue;
      seen.add(key);
      lastTarget = b.target;
      any = true;
    }
    if (any) quietFrom = Date.now();
    return any;
  };
  while (Date.now() - quietFrom < w.quietMs) {
    if (Date.now() >= w.deadlineAt) return { quiet: false, target: lastTarget };
    const left = Math.min(w.quietMs - (Date.now() - quietFrom), w.deadlineAt - Date.now());
    try {
      const read = await w.c.readLog({ maxMs: left, idleMs: left, until: fresh, signal: w.signal });
      fresh(read.lines);
    } catch (e) {
      if (e instanceof FleetError && e.code === "INTERRUPTED") throw e;
      if (w.signal.aborted) throw w.signal.reason;
      await sleep(Math.min(MAX_POLL_MS, Math.max(0, w.deadlineAt - Date.now())), w.signal);
    }
  }
  return { quiet: true };
}
