/**
 * Restarting one slave and watching what it does after (docs/protocol.md "Restart, save,
 * backup"): the vendor's order (save, then restart), a lost restart reply taken as a restart
 * under way, then either its first sync attempt with a master (the values in effect) or, for
 * a stand-alone node, a whole sync interval without any attempt (it no longer syncs). Shared
 * by join-slave, restart, detach, undo and promote.
 */
import { FleetError } from "../errors.js";
import { formatDuration } from "../util/duration.js";
import type { NodeSpec, SlaveSpec } from "../inventory/types.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { sectionDigests } from "../safesquid/policy.js";
import type { NodeResult, Report } from "./report.js";
import { step } from "./results.js";
import { nowDoing } from "./node-progress.js";
import { pointerWords } from "./join-plan.js";
import type { FleetSession } from "./session.js";
import { sameSyncedSections } from "./slave-view.js";
import type { Refusal } from "./sync-judge.js";
import { graceMs, syncTimeOf } from "./verify-compare.js";
import { waitForAnswer, waitForSync, waitUntilQuiet, type SyncOutcome } from "./wait.js";

/** Failures after which a restart may have begun: wait and see rather than call it refused. */
export const LOST = new Set(["RESET", "TIMEOUT", "SERVER_ERROR"]);

/** One slave being worked on: the session, its client and spec, and its result. */
export interface NodeStep {
  s: FleetSession;
  c: SafeSquidClient;
  /** A slave; undo may also restore the parameters of a node the inventory now names master. */
  slave: NodeSpec;
  result: NodeResult;
}

/** The node-clock time of the newest log line now: later lines are new. */
export async function logMark(n: NodeStep): Promise<number | undefined> {
  return (await n.c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, retries: 2, signal: n.s.signal })).lastMs;
}

/**
 * What is known before a restart: the log's newest line (later lines are new), and whether
 * the slave's sections differed from the master's (once equal after the restart, it has taken
 * them, whether or not its log shows it: a node may send no log history). Only the inventory's
 * master can be compared.
 */
export async function beforeRestart(n: NodeStep, target: string, values: Map<string, string>): Promise<{ sinceMs: number | undefined; differedBefore: boolean }> {
  const sinceMs = await logMark(n);
  const ours = target === (await masterTarget(n.s));
  return { sinceMs, differedBefore: ours && !(await documentsEqual(n, values).catch(() => true)) };
}

/** Saves the running policy, as the vendor's interface does before a restart (unsaved edits would be lost). */
export async function saveFirst(n: NodeStep): Promise<void> {
  nowDoing(n.result, "saving its configuration before its restart", { wrote: true });
  n.s.record.write({ node: n.slave.name, action: "save" });
  await n.c.save();
  step(n.result, "configuration saved");
}

/**
 * Sends the restart. A lost reply is a restart under way (its effect is watched for); a
 * refusal (`<error>`, access) is thrown for the caller to handle. `pointer`: the MASTER_IP /
 * MASTER_PORT it restarts with, for what an interrupt reports (./node-progress.ts).
 */
export async function requestRestart(n: NodeStep, pointer?: Report["MasterPointer"]): Promise<void> {
  const alone = pointer && pointer.MASTER_IP === "" && pointer.MASTER_PORT === "";
  const how = !pointer ? "" : alone ? " stand-alone (MASTER_IP / MASTER_PORT empty)" : ` with ${pointerWords(pointer)}`;
  nowDoing(n.result, `restarting${how}`, { wrote: true, unobserved: pointer ? `it comes back on its own${alone ? ", stand-alone" : " with these values"}` : "it comes back on its own" });
  n.s.record.write({ node: n.slave.name, action: "restart" });
  n.s.progress.note(`${n.slave.name}: restarting`);
  n.s.progress.working?.(n.slave.name, "restarting, then its first sync");
  try {
    await n.c.restart();
  } catch (e) {
    if (!(e instanceof FleetError) || e.code === "INTERRUPTED" || !LOST.has(e.code)) throw e;
    n.s.checked(n.slave.name, `restart: no reply (${e.code}): a node may drop the connection as it restarts; its log will tell`);
  }
  step(n.result, "restarted");
}

/** How to watch a restarted slave: its master as it names it, and how long it may take. */
export interface Watch {
  /** `ip:port` it must sync with. */
  target: string;
  /** Node-clock time of the newest log line before the restart. */
  sinceMs: number | undefined;
  /** How long it may take to come back, its SYNCTIME added by the caller. */
  waitMs: number;
  /** Its sections differed from the master's before the restart (./restart-node.ts beforeRestart). */
  differedBefore: boolean;
}

/** Waits for the restarted slave's first decisive attempt with its master (./sync-judge.ts). */
export async function watchSync(n: NodeStep, w: Watch, values: Map<string, string>): Promise<SyncOutcome> {
  const { s, c, slave } = n;
  const ours = w.target === (await masterTarget(s));
  // The master's own rows and document are known only when the slave's master is the inventory's.
  const refusal: Refusal | undefined = ours && slave.role === "slave" ? await (async () => s.refusalFor(slave as SlaveSpec, (await s.masterDocument().current()).access))().catch(() => undefined) : undefined;
  s.progress.working?.(slave.name, `its first sync with ${w.target} (deadline ${formatDuration(w.waitMs)})`);
  const outcome = await waitForSync({
    c,
    target: w.target,
    sinceMs: w.sinceMs,
    deadlineAt: Date.now() + w.waitMs,
    signal: s.signal,
    refusal,
    documentsEqual: async () => ours && documentsEqual(n, values),
    differedBefore: w.differedBefore,
    // A node that sent no log history may sync before its log is read again: look at its
    // documents between short reads of the log.
    ...(w.sinceMs === undefined ? { windowMs: 1500 } : {}),
  });
  s.checked(slave.name, `its log since the restart: ${outcome.kind}${"how" in outcome ? ` (${outcome.how})` : "reason" in outcome ? ` (${outcome.reason})` : ""}`);
  return outcome;
}

/** What a stand-alone slave shows after its restart: a whole sync interval without attempts, or the master it still syncs with. */
export type QuietOutcome = { kind: "quiet"; quietMs: number } | { kind: "still-syncing"; target: string } | { kind: "no-answer" };

/**
 * The success test of making a slave stand-alone: it answers again, then its log shows no
 * sync attempt for one SYNCTIME plus a grace (an attempt logged just before the restart only
 * starts the interval again).
 */
export async function watchQuiet(n: NodeStep, w: Pick<Watch, "sinceMs" | "waitMs">, syncTimeS: number): Promise<QuietOutcome> {
  const { s, c, slave } = n;
  if (!(await waitForAnswer(c, Date.now() + w.waitMs, s.signal))) return { kind: "no-answer" };
  const quietMs = syncTimeS * 1000 + graceMs(syncTimeS);
  const r = await waitUntilQuiet({ c, sinceMs: w.sinceMs, quietMs, deadlineAt: Date.now() + w.waitMs + quietMs, signal: s.signal });
  s.checked(slave.name, r.quiet ? `its log since the restart: no sync attempt for ${Math.round(quietMs / 1000)}s` : `its log since the restart: still synchronizing with ${r.target}`);
  return r.quiet ? { kind: "quiet", quietMs } : { kind: "still-syncing", target: r.target };
}

/** What a restarted slave showed: the sync outcomes of ./sync-judge.ts, or for a stand-alone one, quiet or not. */
export type Settled =
  | Exclude<SyncOutcome, { kind: "timeout" }>
  /** It answers, but showed no attempt with its master before the deadline: the values are not seen in effect. */
  | { kind: "silent"; attempts: number }
  | { kind: "answered" }
  | QuietOutcome;

export interface SettleOptions {
  /** MASTER_IP / MASTER_PORT it restarts with. */
  pointer: Report["MasterPointer"];
  /** Its startup parameters (SYNCTIME; NEVER_SYNC for the documents comparison). */
  values: Map<string, string>;
  restartTimeoutMs: number;
  /** For a stand-alone node: prove it no longer syncs (a whole interval), or only that it answers. */
  standAlone: "quiet" | "answer";
}

/** Restarts the slave (the log marked first) and waits until it shows how it came back. */
export async function restartAndSettle(n: NodeStep, o: SettleOptions): Promise<Settled> {
  const syncTime = syncTimeOf(o.values);
  if (o.pointer.MASTER_IP === "" || o.pointer.MASTER_PORT === "") {
    const sinceMs = await logMark(n);
    await requestRestart(n, o.pointer);
    if (o.standAlone === "quiet") return watchQuiet(n, { sinceMs, waitMs: o.restartTimeoutMs }, syncTime);
    return (await waitForAnswer(n.c, Date.now() + o.restartTimeoutMs, n.s.signal)) ? { kind: "answered" } : { kind: "no-answer" };
  }
  const target = `${o.pointer.MASTER_IP}:${o.pointer.MASTER_PORT}`;
  const { sinceMs, differedBefore } = await beforeRestart(n, target, o.values);
  await requestRestart(n, o.pointer);
  const out = await watchSync(n, { target, sinceMs, waitMs: o.restartTimeoutMs + syncTime * 1000, differedBefore }, o.values);
  if (out.kind !== "timeout") return out;
  if (!out.answered && !(await waitForAnswer(n.c, Date.now() + 1000, n.s.signal))) return { kind: "no-answer" };
  return { kind: "silent", attempts: out.attempts };
}

/** A settled restart in words, for reports ("synchronizing with 10.0.0.10:8080: synchronized 12 section(s)"). */
export function settledText(r: Settled, target: string): string {
  switch (r.kind) {
    case "synced":
      return `synchronizing with ${target}: ${r.how}`;
    case "refused":
      return `the master ${target} refuses its sync (${r.fromLog ? "its log says" : "by the master's access rows"}: ${r.reason})`;
    case "unreachable":
      return `it cannot reach its master ${target} (${r.reason})`;
    case "stalled":
      return `it tried ${r.attempts} times to synchronize with ${target} and took nothing${r.lastFailure ? ` (its log says: ${r.lastFailure})` : ""}`;
    case "silent":
      return r.attempts > 0 ? `it did not complete a sync with ${target} before the deadline` : `it showed no sync attempt with ${target} before the deadline`;
    case "answered":
      return "it answers again";
    case "quiet":
      return `stand-alone: no sync attempt for ${Math.round(r.quietMs / 1000)}s after its restart`;
    case "still-syncing":
      return `it still synchronizes with ${r.target || "a master"} after its restart`;
    case "no-answer":
      return "it did not come back after its restart";
  }
}

/** `ip:port` the inventory's slaves name their master by. */
export async function masterTarget(s: FleetSession): Promise<string> {
  const p = await s.masterPointer();
  return `${p.ip}:${p.port}`;
}

/** Do the sections the slave takes from its master equal the master's now? */
export async function documentsEqual(n: NodeStep, values: Map<string, string>): Promise<boolean> {
  const doc = await n.c.fetchDocument();
  if (doc === "not-modified") return false;
  const master = await n.s.masterDocument().current(2000);
  return sameSyncedSections(sectionDigests(doc.root), master.digests, values);
}
