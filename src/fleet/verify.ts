/**
 * `verify`: per slave, is it joined to this master (parameters naming it AND its log showing
 * it syncing with it), is it syncing (the last attempt in its log), and per section does it
 * equal the master's. The master's document is fetched once per run and kept only as
 * section digests; slaves are read in parallel, each document digested and dropped.
 * `--wait` polls the slaves that are not yet in sync until they are or the time is up.
 */
import { FleetError } from "../errors.js";
import type { SlaveSpec } from "../inventory/types.js";
import { paramValues } from "../safesquid/params.js";
import { sectionDigests } from "../safesquid/policy.js";
import { syncBlocks } from "../safesquid/log.js";
import { sleep, formatDuration } from "../util/duration.js";
import { mapLimit, settledInOrder } from "./concurrency.js";
import type { NodeResult } from "./report.js";
import { errorInfo, startResult, warn } from "./results.js";
import type { FleetSession } from "./session.js";
import { compareSections, lastFor, nodeStatus, syncInfo, type MasterView } from "./verify-compare.js";

export interface VerifyOptions {
  slaves: SlaveSpec[];
  concurrency: number;
  /** --wait: poll until everything is in sync or this much time has passed. */
  waitMs?: number;
  /** Delay between polling rounds. */
  pollMs?: number;
}

/** Fetches the master's document once and keeps its section digests. */
export async function masterView(s: FleetSession): Promise<MasterView> {
  const c = s.client(s.inventory.master);
  const doc = await c.fetchDocument();
  if (doc === "not-modified") throw new FleetError("BAD_REPLY", "the master answered 304 to a plain conf_xml request", { node: c.node.name });
  return { digests: sectionDigests(doc.root), ageMs: doc.ageMs, fetchedAt: Date.now() };
}

/** Runs verify over the slaves; with waitMs, repeats for those not in sync. */
export async function runVerify(s: FleetSession, o: VerifyOptions): Promise<NodeResult[]> {
  s.progress.phase(`verify: reading the master ${s.inventory.master.name}`);
  const master = await masterView(s);
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
        const r = await verifyOne(s, slave, master, target);
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
    pending = o.slaves.filter((sl) => results.get(sl.name)!.status !== "in_sync");
    if (!o.waitMs || pending.length === 0 || s.signal.aborted) break;
    const pause = Math.min(o.pollMs ?? 1000, deadline - Date.now());
    if (pause <= 0) break;
    await sleep(pause, s.signal).catch(() => undefined);
    if (s.signal.aborted) break;
  }
  return o.slaves.map((sl) => results.get(sl.name)!);
}

function interrupted(slave: SlaveSpec): NodeResult {
  const { result, finish } = startResult(slave, "unreachable");
  result.error = { code: "INTERRUPTED", message: "not verified: the run was interrupted" };
  return finish();
}

async function verifyOne(s: FleetSession, slave: SlaveSpec, master: MasterView, target: string): Promise<NodeResult> {
  const { result, finish } = startResult(slave, "unreachable");
  const c = s.client(slave);
  try {
    // The log read (a stream, on its own connection) waits out a quiet spell: the two plain
    // reads run meanwhile, one after the other on one kept-alive connection (a third
    // connection per slave costs more CPU at high concurrency than it saves in time).
    const reads = (async () => [await c.readParams(), await c.fetchDocument()] as const)();
    const [[rawParams, doc], log] = await settledInOrder([reads, c.readLog({ maxMs: 2000, idleMs: 250, backlog: true, signal: s.signal })] as const);
    const params = paramValues(rawParams);
    const blocks = syncBlocks(log);
    if (doc === "not-modified") throw new FleetError("BAD_REPLY", "unexpected 304", { node: slave.name });
    const digests = sectionDigests(doc.root);
    const named = `${params.get("MASTER_IP") ?? ""}:${params.get("MASTER_PORT") ?? ""}` === target;
    const last = lastFor(blocks, target);
    const joined = named && blocks.at(-1)?.target === target;
    result.joined = joined;
    const sync = syncInfo(blocks);
    if (sync) result.sync = sync;
    const sections = compareSections(master, { params, digests, blocks }, { ...(s.inventory.sync.sections ? { sections: s.inventory.sync.sections } : {}), target, now: Date.now(), joined });
    result.sections = sections;
    result.status = nodeStatus(joined, sections);
    if (!named) {
      const now = `${params.get("MASTER_IP") || "empty"}:${params.get("MASTER_PORT") || "empty"}`;
      warn(result, `${slave.name} is not joined to this master (MASTER_IP:MASTER_PORT is ${now}, expected ${target}): run \`safesquid-fleet join-slave ${slave.name}\``);
    } else if (!joined) {
      warn(result, `MASTER_IP / MASTER_PORT name this master but ${slave.name} is not syncing with it: a restart is pending (run \`safesquid-fleet join-slave ${slave.name}\`)`);
    }
    const failure = last?.failure;
    if (joined && failure && (failure.kind === "login-required" || failure.kind === "forbidden")) {
      const address = await s.slaveAddress(slave).catch(() => slave.host);
      warn(result, `the master refuses ${slave.name}'s sync (${failure.reason}): run \`safesquid-fleet allow\` so ${address} may sync without a login (or set sourceIp if the master sees it from another address)`);
    } else if (joined && failure) {
      warn(result, `${slave.name}'s last sync with the master failed: ${failure.reason}`);
    }
  } catch (e) {
    result.status = "unreachable";
    result.error = errorInfo(e);
  }
  return finish();
}
