/**
 * Slave mode (docs/protocol.md "The sync log"): with MASTER_IP and MASTER_PORT in effect, the node pulls
 * the master's document right after start and then every SYNCTIME seconds, from its OWN
 * address, with If-Modified-Since after the first success, no credentials. A new document
 * replaces every section except those in NEVER_SYNC (ALWAYS_SYNC overrides that), keeps
 * slave-only sections, keeps ids unique, and is applied without a restart. Each attempt is
 * logged in the vendor's words; the failure and no-change lines are [chosen] and the alt
 * dialect leaves them out (docs/emulator.md "Dialects"). A master of either dialect is
 * understood: no Last-Modified means no If-Modified-Since; an HTML page is a failed attempt.
 */
import { STATUS_CODES } from "node:http";
import { formatPolicy, parsePolicy, sections } from "../safesquid/policy.js";
import { splitList } from "../safesquid/access.js";
import type { XmlElement } from "../safesquid/xml.js";
import type { DialectRules } from "./dialect.js";
import { THREAD, type NativeLog } from "./native-log.js";
import { dedupeIds, type PolicyStore } from "./policy-store.js";
import type { StateFolder } from "./state-folder.js";
import { WireError, wireRequest, type WireReply } from "./wire-client.js";

export interface SyncSettings {
  masterIp: string;
  masterPort: number;
  intervalMs: number;
  neverSync: string[];
  alwaysSync: string[];
}

/** Slave settings from the effective startup parameters; undefined for a stand-alone node. */
export function syncSettings(values: Map<string, string>): SyncSettings | undefined {
  const ip = (values.get("MASTER_IP") ?? "").trim();
  const port = (values.get("MASTER_PORT") ?? "").trim();
  if (ip === "" || port === "") return undefined;
  // [chosen] SYNCTIME may carry a decimal fraction (the lab syncs every few hundred ms in tests).
  const secs = Number(values.get("SYNCTIME"));
  return {
    masterIp: ip,
    masterPort: Number(port),
    intervalMs: Number.isFinite(secs) && secs >= 0.05 ? secs * 1000 : 99_000,
    neverSync: splitList(values.get("NEVER_SYNC")),
    alwaysSync: splitList(values.get("ALWAYS_SYNC")),
  };
}

/** Does this section come from the master? Not in NEVER_SYNC, or in ALWAYS_SYNC (case-blind). */
export function sectionSyncs(name: string, s: Pick<SyncSettings, "neverSync" | "alwaysSync">): boolean {
  const n = name.toLowerCase();
  const has = (l: string[]): boolean => l.some((x) => x.toLowerCase() === n);
  return has(s.alwaysSync) || !has(s.neverSync);
}

/** The slave's document with the master's sections applied; `synced` in the master's order. */
export function mergeFromMaster(slave: XmlElement, master: XmlElement, s: Pick<SyncSettings, "neverSync" | "alwaysSync">): { root: XmlElement; synced: string[] } {
  const fromMaster = new Map<string, XmlElement>();
  for (const m of sections(master)) if (sectionSyncs(m.name, s) && !fromMaster.has(m.name)) fromMaster.set(m.name, m);
  const children: XmlElement[] = [];
  for (const own of sections(slave)) children.push(structuredClone(fromMaster.get(own.name) ?? own));
  const present = new Set(sections(slave).map((x) => x.name));
  for (const [name, m] of fromMaster) if (!present.has(name)) children.push(structuredClone(m));
  const root: XmlElement = { name: slave.name, attrs: { ...slave.attrs }, children };
  const synced = [...fromMaster.keys()];
  dedupeIds(root, new Set(synced));
  return { root, synced };
}

/** How one attempt ended (the node emits it as a "sync" event, whatever its log says). */
export interface SyncAttempt {
  outcome: "synced" | "unchanged" | "failed";
  /** Why it failed, in the words of the failure line. */
  reason?: string;
  /** The sections applied (synced only). */
  sections?: string[];
}

export interface SyncHost {
  readonly host: string;
  readonly rules: DialectRules;
  syncAttempted(a: SyncAttempt): void;
  readonly log: NativeLog;
  readonly policy: PolicyStore;
  readonly folder: StateFolder;
  readonly syncTimeoutMs: number;
}

/** The sync thread of one slave, from start to stop (a restart makes a new one). */
export class SyncLoop {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private lastModified: string | undefined;
  private stopped = false;

  constructor(
    private readonly node: SyncHost,
    readonly settings: SyncSettings,
  ) {}

  /** Pulls now, then every interval. */
  start(): void {
    this.timer = setTimeout(() => void this.tick(), 0);
  }

  /** Stops the loop and cuts a fetch in flight. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private async tick(): Promise<void> {
    await this.attempt();
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.settings.intervalMs);
  }

  private async attempt(): Promise<void> {
    const target = `${this.settings.masterIp}:${this.settings.masterPort}`;
    this.node.log.write(THREAD.sync, "sync", `config_sync:80 synchronizing with ${target}`);
    const a = await this.fetchAndApply();
    if (this.stopped) return;
    const chosen = (line: number, msg: string): void => {
      if (this.node.rules.chosenSyncLines) this.node.log.write(THREAD.sync, "sync", `config_sync:${line} ${msg}`);
    };
    if (a.outcome === "failed") chosen(90, `failed to synchronize with ${target}: ${a.reason}`);
    else if (a.outcome === "unchanged") chosen(96, `no changes on ${target} since the last synchronization`);
    else for (const name of a.sections ?? []) this.node.log.write(THREAD.sync, "sync", `config_sync:104 synchronized section: ${name}`);
    this.node.syncAttempted(a);
  }

  private async fetchAndApply(): Promise<SyncAttempt> {
    const { masterIp, masterPort } = this.settings;
    let reply: WireReply;
    try {
      reply = await wireRequest({
        host: masterIp,
        port: masterPort,
        params: { handler: "conf_xml" },
        localAddress: this.node.host,
        ...(this.lastModified ? { ifModifiedSince: this.lastModified } : {}),
        timeoutMs: this.node.syncTimeoutMs,
        signal: this.abort.signal,
      });
    } catch (e) {
      return { outcome: "failed", reason: e instanceof WireError ? e.reason : String(e) };
    }
    if (reply.status === 304) return { outcome: "unchanged" };
    if (reply.status !== 200) return { outcome: "failed", reason: `${reply.status} ${reply.statusText || STATUS_CODES[reply.status] || ""}`.trimEnd() };
    if (/^text\/html/i.test(String(reply.headers["content-type"] ?? ""))) {
      const title = /<title>([^<]*)<\/title>/i.exec(reply.body)?.[1]?.trim();
      return { outcome: "failed", reason: `an HTML page instead of the document${title ? ` (${title})` : ""}` };
    }
    let master: XmlElement;
    try {
      master = parsePolicy(reply.body);
    } catch (e) {
      return { outcome: "failed", reason: `bad document: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (this.stopped) return { outcome: "failed", reason: "stopped" };
    const sections = this.apply(master);
    this.lastModified = typeof reply.headers["last-modified"] === "string" ? reply.headers["last-modified"] : undefined;
    return { outcome: "synced", sections };
  }

  /**
   * Applies a master document in memory (without a restart) and persists it: [chosen] the
   * same merge is applied to the SAVED config.xml (no backup), so synced sections survive a
   * restart while unsaved local edits of slave-only sections are still lost, as on any node.
   */
  private apply(master: XmlElement): string[] {
    const { root, synced } = mergeFromMaster(this.node.policy.tree, master, this.settings);
    if (formatPolicy(root) !== this.node.policy.text()) this.node.policy.replace(root);
    try {
      const saved = parsePolicy(this.node.folder.readConfig());
      const merged = mergeFromMaster(saved, master, this.settings).root;
      const text = formatPolicy(merged);
      if (text !== formatPolicy(saved)) this.node.folder.writeConfig(text);
    } catch {
      this.node.folder.writeConfig(this.node.policy.text());
    }
    return synced;
  }
}
