/**
 * What a slave shows of its synchronization: its startup parameters, its document (section
 * digests), and the sync attempts in its log. A node may send a log backlog of any size, or
 * none (docs/protocol.md "The sync log"): when the parameters name the master but the backlog
 * shows no attempt at all, the documents are compared (equal: nothing to wait for), and only
 * then is the log read live until the slave's next attempt shows, bounded by its SYNCTIME.
 */
import type { SafeSquidClient } from "../safesquid/client.js";
import { syncBlocks, type LogLine, type LogRead, type SyncBlock } from "../safesquid/log.js";
import { paramValues, type StartupParam } from "../safesquid/params.js";
import { sectionDigests } from "../safesquid/policy.js";
import type { XmlElement } from "../safesquid/xml.js";
import { FleetError } from "../errors.js";
import { settledInOrder } from "./concurrency.js";
import { excludedSections, graceMs, syncTimeOf } from "./verify-compare.js";

export interface SlaveView {
  params: StartupParam[];
  values: Map<string, string>;
  /** Section digests of the running document, when it was read. */
  digests?: Map<string, string>;
  /** The running document itself, when it was read and `keepDocument` asked for it. */
  root?: XmlElement;
  blocks: SyncBlock[];
  /** Node-clock time of the newest log line read (any kind). */
  lastLogMs?: number;
  clockOffsetMs?: number;
  /** Does MASTER_IP:MASTER_PORT name the target? */
  named: boolean;
  /** Is the slave syncing with the target, and on what evidence. */
  joined: boolean;
  evidence: "log" | "documents" | "none";
  /**
   * Evidence "none" that proves nothing: the node sent no log history at all and the live
   * watch was cut short of the slave's SYNCTIME (plus grace). Without it, a watch that saw no
   * attempt means the slave is not syncing.
   */
  unconfirmable?: boolean;
}

export interface ReadSlaveOptions {
  /** `ip:port` of the master as the slaves name it. */
  target: string;
  /** The master's section digests, for the documents comparison. */
  masterDigests: () => Promise<Map<string, string>>;
  /** Read the slave's document in any case (verify), or only when the log says nothing (join). */
  document: "always" | "if-needed";
  /** The longest live wait for an attempt when the backlog shows none. */
  liveCapMs: number;
  signal: AbortSignal;
  /** Keep the document read (verify --diff); otherwise only its digests are kept. */
  keepDocument?: boolean;
}

/** Reads a slave's parameters, log (and document) and judges whether it syncs with the target. */
export async function readSlave(c: SafeSquidClient, o: ReadSlaveOptions): Promise<SlaveView> {
  // The log read (a stream, on its own connection) waits out a quiet spell: the plain reads
  // run meanwhile, one after the other on one kept-alive connection.
  const plain = (async () => [await c.readParams(), o.document === "always" ? await readDocument(c) : undefined] as const)();
  const [[params, doc], log] = await settledInOrder([plain, backlog(c, o.signal)] as const);
  const values = paramValues(params);
  const named = `${values.get("MASTER_IP") ?? ""}:${values.get("MASTER_PORT") ?? ""}` === o.target;
  const view: SlaveView = { params, values, blocks: syncBlocks(log.lines), named, joined: false, evidence: "log" };
  if (doc) {
    view.digests = doc.digests;
    if (o.keepDocument) view.root = doc.root;
  }
  if (log.lastMs !== undefined) view.lastLogMs = log.lastMs;
  if (named && view.blocks.length === 0) await withoutBacklog(c, view, o, log.lastMs === undefined);
  const offset = c.transport.clockOffsetMs;
  if (offset !== undefined) view.clockOffsetMs = offset;
  view.joined = view.named && (view.evidence === "documents" || view.blocks.at(-1)?.target === o.target);
  return view;
}

/**
 * The log's backlog. A stream the node cut before it sent a single line says nothing (not even
 * "no history"): it is read once more, and a second such cut is an error, not evidence.
 */
async function backlog(c: SafeSquidClient, signal: AbortSignal): Promise<LogRead> {
  for (let attempt = 1; ; attempt++) {
    const log = await c.readLog({ maxMs: 3000, idleMs: 300, backlog: true, retries: 2, signal });
    if (!log.cut || log.lastMs !== undefined) return log;
    if (attempt >= 2) {
      throw new FleetError("RESET", `${c.node.name}'s log stream was cut off before it sent anything, twice`, {
        node: c.node.name,
        hint: "the node may be restarting or overloaded; run the command again",
      });
    }
  }
}

/**
 * The backlog shows no attempt: compare the documents, else watch the log for the next
 * attempt (up to the slave's SYNCTIME plus grace, capped at liveCapMs).
 */
async function withoutBacklog(c: SafeSquidClient, view: SlaveView, o: ReadSlaveOptions, noHistory: boolean): Promise<void> {
  if (!view.digests) {
    const doc = await readDocument(c);
    view.digests = doc.digests;
    if (o.keepDocument) view.root = doc.root;
  }
  if (sameSyncedSections(view.digests, await o.masterDigests(), view.values)) {
    view.evidence = "documents";
    return;
  }
  const syncTime = syncTimeOf(view.values);
  const fullMs = syncTime * 1000 + graceMs(syncTime);
  const maxMs = Math.min(o.liveCapMs, fullMs);
  const live = await c.readLog({ maxMs, idleMs: maxMs, until: decisive, signal: o.signal });
  view.blocks = syncBlocks(live.lines);
  view.evidence = view.blocks.length ? "log" : "none";
  // No attempt seen proves nothing only where the node keeps no history and the watch was
  // shorter than the slave's interval, or was cut: a node whose history shows no attempt, or
  // that made none in a whole interval, is not syncing.
  if (view.evidence === "none") view.unconfirmable = noHistory && (maxMs < fullMs || live.cut === true);
  if (live.lastMs !== undefined) view.lastLogMs = Math.max(view.lastLogMs ?? live.lastMs, live.lastMs);
}

/** Enough of the log to judge: an attempt that took sections or failed, or a second attempt. */
function decisive(lines: LogLine[]): boolean {
  const b = syncBlocks(lines);
  return b.length >= 2 || b.some((x) => x.sections.length > 0 || x.failure !== undefined || x.noChange !== undefined);
}

/** The slave's document and its section digests. */
async function readDocument(c: SafeSquidClient): Promise<{ root: XmlElement; digests: Map<string, string> }> {
  const doc = await c.fetchDocument();
  if (doc === "not-modified") throw new FleetError("BAD_REPLY", "unexpected 304 to a plain conf_xml request", { node: c.node.name });
  return { root: doc.root, digests: sectionDigests(doc.root) };
}

/** Do the sections the slave takes from its master equal the master's? */
export function sameSyncedSections(slave: Map<string, string>, master: Map<string, string>, params: Map<string, string>): boolean {
  const excluded = excludedSections(params);
  for (const [name, digest] of master) if (!excluded(name) && slave.get(name) !== digest) return false;
  return true;
}
