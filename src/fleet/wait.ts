/**
 * Waiting for a restarted slave: until its log shows a sync attempt with the master that
 * happened after the restart (node clock against node clock, so skew does not matter), or
 * the deadline passes. The log stream is cut when the node goes down; the wait reconnects.
 */
import { FleetError } from "../errors.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { syncBlocks, type LogLine, type SyncBlock } from "../safesquid/log.js";
import { sleep } from "../util/duration.js";

/**
 * Polling a restarting node: soon at first (a quick restart costs no fixed 300 ms per slave),
 * then every 300 ms (a slow one is not hammered).
 */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 300;

export type SyncOutcome =
  | { kind: "synced"; block: SyncBlock }
  | { kind: "refused"; block: SyncBlock; reason: string }
  | { kind: "unreachable"; block: SyncBlock; reason: string }
  | { kind: "other"; block: SyncBlock; reason: string }
  | { kind: "timeout"; answered: boolean };

/** The outcome of the first attempt with `target` after `sinceMs`, if the lines show one. */
export function decideSync(lines: readonly LogLine[], target: string, sinceMs: number): Exclude<SyncOutcome, { kind: "timeout" }> | undefined {
  const fresh = lines.filter((l) => l.ms > sinceMs);
  for (const b of syncBlocks(fresh)) {
    if (b.target !== target) continue;
    if (b.failure) {
      const k = b.failure.kind;
      const kind = k === "login-required" || k === "forbidden" ? "refused" : k === "unreachable" ? "unreachable" : "other";
      return { kind, block: b, reason: b.failure.reason };
    }
    if (b.sections.length > 0 || fresh.some((l) => l.ms > b.at.ms && /no changes|not modified|unchanged/i.test(l.message))) {
      return { kind: "synced", block: b };
    }
  }
  return undefined;
}

/** Waits for the slave's first sync attempt with `target` after `sinceMs` (node clock). */
export async function waitForSync(c: SafeSquidClient, target: string, sinceMs: number, deadlineAt: number, signal: AbortSignal): Promise<SyncOutcome> {
  let answered = false;
  let pause = FIRST_POLL_MS;
  while (Date.now() < deadlineAt) {
    const remaining = deadlineAt - Date.now();
    try {
      const lines = await c.readLog({ maxMs: remaining, idleMs: remaining, until: (ls) => decideSync(ls, target, sinceMs) !== undefined, signal });
      answered = true;
      const d = decideSync(lines, target, sinceMs);
      if (d) return d;
    } catch (e) {
      if (e instanceof FleetError && e.code === "INTERRUPTED") throw e;
      if (signal.aborted) throw signal.reason;
      // down while restarting: try again until the deadline
    }
    await sleep(Math.min(pause, Math.max(0, deadlineAt - Date.now())), signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
  return { kind: "timeout", answered };
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
