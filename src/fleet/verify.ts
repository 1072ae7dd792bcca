/**
 * `verify`: per slave, is it joined to this master (its parameters name the master AND it
 * syncs with it), and per section does it equal the master's (docs/protocol.md "Verify").
 * Slaves are read in parallel, each document digested and dropped (with `--diff`, once what
 * differs is listed). `--wait` polls the slaves
 * not yet in sync until they are or the time is up, reading the master again each round (a
 * change on the master during the wait is judged against the new document).
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { sleep, formatDuration } from "../util/duration.js";
import { mapLimit } from "./concurrency.js";
import type { MasterState } from "./master-doc.js";
import type { NodeResult, Report } from "./report.js";
import { errorInfo, startResult, warn } from "./results.js";
import type { FleetSession } from "./session.js";
import { readSlave } from "./slave-view.js";
import { attemptsWith } from "./sync-judge.js";
import { compareSections, lastSyncAt, nodeStatus, syncInfo } from "./verify-compare.js";
import { diffSection } from "./section-diff.js";
import { child, type XmlElement } from "../safesquid/xml.js";
import { fixCommand, refusedFix, refusedWarning } from "./hints.js";
import { duplicatesSentence } from "./allow-plan.js";

/**
 * The longest a verify watches a slave's log for its next sync attempt when the node sends
 * no log history and the documents differ (a slave syncs every SYNCTIME, 99 s by default:
 * waiting for it is --wait's job, not a single look's).
 */
const LIVE_LOG_CAP_MS = 10_000;

export interface VerifyOptions {
  slaves: SlaveSpec[];
  concurrency: number;
  /** --wait: poll until everything is in sync or this much time has passed. */
  waitMs?: number;
  /** Delay between polling rounds. */
  pollMs?: number;
  /** Slaves reported once, never waited for (apply: those whose join failed or was rolled back). */
  noWait?: ReadonlySet<string>;
  /** --diff: list what differs in each section not in sync (only this section, when named). */
  diff?: { section?: string };
}

/** Runs verify over the slaves; with waitMs, repeats for those not in sync. */
export async function runVerify(s: FleetSession, o: VerifyOptions): Promise<NodeResult[]> {
  s.progress.phase(`verify: reading the master ${s.inventory.master.name}`);
  const masterDoc = s.masterDocument();
  let master = await masterDoc.current();
  const only = o.diff?.section;
  if (only !== undefined && !master.digests.has(only)) {
    throw new FleetError("USAGE", `--diff: the master's document has no section "${only}"`, {
      hint: `its sections: ${[...master.digests.keys()].join(", ")}; to see every section of a slave, put its name before --diff (verify ${only} --diff)`,
    });
  }
  const pointer = await s.masterPointer();
  const target = `${pointer.ip}:${pointer.port}`;
  const results = new Map<string, NodeResult>();
  const deadline = Date.now() + (o.waitMs ?? 0);
  let pending = o.slaves;
  for (let round = 0; ; round++) {
    let done = 0;
    s.progress.phase(round === 0 ? "verify: reading the slaves" : `verify: waiting for ${pending.length} slave(s), ${formatDuration(Math.max(0, deadline - Date.now()))} left`);
    const batch = await mapLimit(
      pending,
      o.concurrency,
      async (slave) => {
        s.progress.working?.(slave.name, "reading");
        const r = await verifyOne(s, slave, master, target, o.diff).finally(() => s.progress.idle?.(slave.name));
        s.release(slave);
        s.progress.update(++done, pending.length, `${slave.name}: ${r.status}`);
        return r;
      },
      { signal: s.signal, onSkip: (slave) => results.get(slave.name) ?? interrupted(slave) },
    );
    for (const r of batch) {
      // A read cut short by Ctrl-C says nothing about the slave: keep what the last round saw.
      if (s.signal.aborted && r.error?.code === "INTERRUPTED" && results.has(r.name)) continue;
      results.set(r.name, r);
    }
    pending = o.slaves.filter((sl) => results.get(sl.name)!.status !== "in_sync" && !o.noWait?.has(sl.name));
    if (!o.waitMs || pending.length === 0 || s.signal.aborted) break;
    const pause = Math.min(o.pollMs ?? 1000, deadline - Date.now());
    if (pause <= 0) break;
    await sleep(pause, s.signal).catch(() => undefined);
    if (s.signal.aborted) break;
    master = await masterDoc.current().catch(() => master);
  }
  return o.slaves.map((sl) => results.get(sl.name)!);
}

/** Notes on the master as this run last read it: allow rows carrying the user group beyond the managed one. */
export async function masterNotes(s: FleetSession): Promise<string[]> {
  const master = await s.masterDocument().current(Number.POSITIVE_INFINITY).catch(() => undefined);
  const dupes = master && duplicatesSentence(master.access, s.inventory.allowList.userGroup);
  return dupes ? [`${dupes.text}: run ${fixCommand(s, "allow")} to keep one`] : [];
}

function interrupted(slave: SlaveSpec): NodeResult {
  const { result, finish } = startResult(slave, "unreachable");
  result.error = { code: "INTERRUPTED", message: "not verified: the run was interrupted" };
  return finish();
}

async function verifyOne(s: FleetSession, slave: SlaveSpec, master: MasterState, target: string, diff: VerifyOptions["diff"]): Promise<NodeResult> {
  const { result, finish } = startResult(slave, "unreachable");
  const c = s.client(slave);
  try {
    const view = await readSlave(c, { target, masterDigests: async () => master.digests, document: "always", liveCapMs: LIVE_LOG_CAP_MS, signal: s.signal, keepDocument: diff !== undefined });
    // A node that sends no log history and made no attempt while we watched: its parameters
    // are the best evidence there is; the report says it is not confirmed.
    const unconfirmed = view.named && view.evidence === "none" && view.unconfirmable === true;
    if (unconfirmed) view.joined = true;
    const refusal = view.joined ? await s.refusalFor(slave, master.access) : undefined;
    result.joined = view.joined;
    const facts = { params: view.values, digests: view.digests!, blocks: view.blocks, ...(view.clockOffsetMs !== undefined ? { clockOffsetMs: view.clockOffsetMs } : {}) };
    const sync = syncInfo(view.blocks, { ms: Date.now(), clockOffsetMs: view.clockOffsetMs });
    const synced = lastSyncAt(facts, target);
    if (sync) result.sync = synced === undefined ? sync : { ...sync, lastSyncedAt: new Date(synced).toISOString() };
    const sections = compareSections(master, facts, {
      ...(s.inventory.sync.sections ? { sections: s.inventory.sync.sections } : {}),
      target,
      now: Date.now(),
      joined: view.joined,
      ...(refusal ? { refusal } : {}),
    });
    result.sections = sections;
    if (diff && view.root) result.diff = sectionDiffs(master.root, view.root, sections, diff.section);
    result.status = nodeStatus(view.joined, sections);
    if (!view.named) {
      const now = `${view.values.get("MASTER_IP") || "empty"}:${view.values.get("MASTER_PORT") || "empty"}`;
      warn(result, `its MASTER_IP:MASTER_PORT is ${now}, not this master's ${target}: run ${fixCommand(s, "join-slave", slave.name)}`);
    } else if (!view.joined) {
      const seen = view.blocks.at(-1);
      const why = seen ? `its log shows it syncing with ${seen.target}` : "its log shows no sync with it";
      warn(result, `its MASTER_IP / MASTER_PORT name this master but ${why}, so a restart is pending: run ${fixCommand(s, "join-slave", slave.name)}`);
    }
    if (unconfirmed) {
      warn(result, `${slave.name}'s log showed no sync attempt within ${LIVE_LOG_CAP_MS / 1000}s (the node sends no log history): that it syncs with this master is taken from its MASTER_IP / MASTER_PORT alone; run ${fixCommand(s, "verify", slave.name, "--wait", "5m")} to watch it`);
    }
    const failure = attemptsWith(view.blocks, target).at(-1)?.failure;
    // Refused only by the master's own rows (a 407/403 line is a hint, docs/protocol.md "The
    // sync log"): where the rows allow the slave, `allow` would change nothing, and a failure
    // line is said as a failure.
    if (view.joined && refusal) {
      result.syncRefused = refusedFix(s, refusal.denyRow);
      warn(result, await refusedWarning(s, slave, `by its access rows: ${refusal.reason}`, refusal.denyRow));
    } else if (view.joined && failure && result.status !== "in_sync") {
      warn(result, `${slave.name}'s last sync with the master failed: ${failure.reason}`);
    }
  } catch (e) {
    result.status = "unreachable";
    result.error = errorInfo(e);
  }
  return finish();
}

/** verify --diff: what differs in each section that differs from the master's (or only the one named). */
function sectionDiffs(master: XmlElement, slave: XmlElement, sections: readonly Report["SectionResult"][], only: string | undefined): Report["SectionDiff"][] {
  const out: Report["SectionDiff"][] = [];
  for (const r of sections) {
    if ((r.status !== "out_of_sync" && r.status !== "pending") || (only !== undefined && r.name !== only)) continue;
    const m = child(master, r.name);
    if (m) out.push(diffSection(m, child(slave, r.name), r.status));
  }
  return out;
}
