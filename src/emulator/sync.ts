/**
 * Slave mode (admin-endpoint.md §6): with MASTER_IP and MASTER_PORT in effect, the node pulls
 * the master's document right after start and then every SYNCTIME seconds, from its OWN
 * address, with If-Modified-Since after the first success, no credentials. A new document
 * replaces every section except those in NEVER_SYNC (ALWAYS_SYNC overrides that), keeps
 * slave-only sections, keeps ids unique, and is applied without a restart. Each attempt is
 * logged in the vendor's words.
 */
import { STATUS_CODES } from "node:http";
import { formatPolicy, parsePolicy, sections } from "../safesquid/policy.js";
import { splitList } from "../safesquid/access.js";
import type { XmlElement } from "../safesquid/xml.js";
import { THREAD, type NativeLog } from "./native-log.js";
import { dedupeIds, type PolicyStore } from "./policy-store.js";
import type { StateFolder } from "./state-folder.js";
import { WireError, wireRequest } from "./wire-client.js";

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

export interface SyncHost {
  readonly host: string;
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
    const { masterIp, masterPort } = this.settings;
    const target = `${masterIp}:${masterPort}`;
    const log = (line: number, msg: string): void => void this.node.log.write(THREAD.sync, "sync", `config_sync:${line} ${msg}`);
    log(80, `synchronizing with ${target}`);
    try {
      const reply = await wireRequest({
        host: masterIp,
        port: masterPort,
        params: { handler: "conf_xml" },
        localAddress: this.node.host,
        ...(this.lastModified ? { ifModifiedSince: this.lastModified } : {}),
        timeoutMs: this.node.syncTimeoutMs,
        signal: this.abort.signal,
      });
      if (this.stopped) return;
      if (reply.status === 304) return log(96, `no changes on ${target} since the last synchronization`);
      if (reply.status !== 200) return log(90, `failed to synchronize with ${target}: ${reply.status} ${reply.statusText || STATUS_CODES[reply.status] || ""}`.trimEnd());
      let master: XmlElement;
      try {
        master = parsePolicy(reply.body);
      } catch (e) {
        return log(90, `failed to synchronize with ${target}: bad document: ${e instanceof Error ? e.message : String(e)}`);
      }
      const synced = this.apply(master);
      for (const name of synced) log(104, `synchronized section: ${name}`);
      this.lastModified = typeof reply.headers["last-modified"] === "string" ? reply.headers["last-modified"] : undefined;
    } catch (e) {
      if (this.stopped) return;
      log(90, `failed to synchronize with ${target}: ${e instanceof WireError ? e.reason : String(e)}`);
    }
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
