/**
 * An emulated SafeSquid node (docs/protocol.md): a real HTTP server on its own address and
 * port, its state in a folder, slave mode, a native log, and fault injection. Lifecycle:
 * start() -> "up"; the restart handler (or restart()) -> "restarting" (connections refused for
 * the downtime) -> "up" again with the files re-read; stop() -> "stopped".
 */
import { EventEmitter } from "node:events";
import { valuesOf, mergeParams, parseIni, type ParamLine } from "./params.js";
import { NodeClock } from "./clock.js";
import type { CapturedRequest } from "./capture.js";
import type { NodeCore, Subscription } from "./core.js";
import { rulesOf, type DialectRules } from "./dialect.js";
import { DEFAULT_BUILD, type NodeOptions, type NodeStatus } from "./node-options.js";
import { FACTORY_CONFIG } from "./defaults/factory-config.js";
import { STARTUP_DEFAULTS } from "./defaults/startup-defaults.js";
import { Faults } from "./faults.js";
import { socketPeer, type PeerInfo } from "./gate.js";
import { Listener } from "./listener.js";
import { NativeLog, THREAD } from "./native-log.js";
import { PolicyStore } from "./policy-store.js";
import { handleRequest } from "./request.js";
import { overridesIni } from "./startup-file.js";
import { StateFolder } from "./state-folder.js";
import { SyncLoop, syncSettings, type SyncAttempt, type SyncSettings } from "./sync.js";
import { handleConnect } from "./tunnel.js";

export { DEFAULT_BUILD, type NodeOptions, type NodeStatus } from "./node-options.js";

/** One emulated SafeSquid node. */
export class EmulatedNode extends EventEmitter implements NodeCore {
  readonly name: string;
  readonly host: string;
  readonly build: string;
  readonly edition: string;
  readonly subscription: Subscription;
  readonly clock: NodeClock;
  readonly folder: StateFolder;
  readonly log: NativeLog;
  readonly policy: PolicyStore;
  /** Fault injection (see faults.ts). */
  readonly faults: Faults;
  readonly syncTimeoutMs: number;
  readonly rules: DialectRules;
  readonly logBacklogLines: number;
  /** The admin requests received so far, as they arrived (only with the `capture` option). */
  readonly captured: CapturedRequest[] = [];
  /** How many times the node has restarted. */
  restarts = 0;
  private portValue: number;
  private statusValue: NodeStatus = "stopped";
  private effective: ParamLine[] = [];
  private sync: SyncLoop | undefined;
  private readonly listener: Listener;
  private readonly peers = new WeakMap<object, PeerInfo>();
  private downtime: AbortController | undefined;
  private stopping = false;

  constructor(readonly opts: NodeOptions) {
    super();
    this.name = opts.name;
    this.host = opts.host;
    this.portValue = opts.port ?? 0;
    this.build = opts.build ?? DEFAULT_BUILD;
    this.edition = opts.edition ?? "standard";
    this.subscription = {
      activationKeyName: opts.subscription?.activationKeyName ?? "SAFESQUID-FLEET-LAB",
      serviceId: opts.subscription?.serviceId ?? "SSQ-LAB-0001",
      version: opts.subscription?.version ?? this.build,
    };
    this.syncTimeoutMs = opts.syncTimeoutMs ?? 5000;
    this.clock = new NodeClock(opts.clockSkewMs ?? 0);
    this.folder = new StateFolder(opts.stateDir);
    const defaults = opts.files?.defaults ?? STARTUP_DEFAULTS;
    this.folder.init({
      defaults,
      config: opts.files?.config ?? FACTORY_CONFIG,
      startupIni: opts.files?.startupIni ?? overridesIni(defaults, opts.files?.startupParams ?? {}),
    });
    this.rules = rulesOf(opts.dialect ?? "vendor");
    this.logBacklogLines = opts.logBacklogLines ?? this.rules.logBacklogLines;
    if (!Number.isInteger(this.logBacklogLines) || this.logBacklogLines < 0) throw new RangeError(`logBacklogLines must be 0 or more, not ${this.logBacklogLines}`);
    // Tests search the lines in memory: keep at least 3000 whatever the backlog sent.
    const keepLines = Math.max(opts.log?.keepLines ?? 3000, this.logBacklogLines);
    this.log = new NativeLog(this.folder.logFile, this.clock, { ...opts.log, keepLines });
    this.policy = new PolicyStore(this.clock);
    this.faults = new Faults({
      closeListener: async () => {
        await this.listener.close();
        if (this.statusValue === "up") this.setStatus("refusing");
      },
      openListener: async () => {
        if (this.statusValue !== "refusing") return;
        await this.listener.open(this.host, this.portValue);
        this.setStatus("up");
      },
      setClockSkew: (ms) => (this.clock.skewMs = ms),
    });
    this.listener = new Listener({
      request: (req, res) => {
        const peer = this.peers.get(req.socket) ?? socketPeer(req.socket);
        handleRequest(this, peer, req, res, opts.bodyLimitBytes ?? 1024 * 1024).catch(() => res.destroy());
      },
      connect: (server, req, socket, head) => handleConnect(this, server, this.peers, opts.tls, req, socket, head),
    });
  }

  /** The port (the real one once started with port 0). */
  get port(): number {
    return this.portValue;
  }
  /** `host:port`. */
  get address(): string {
    return `${this.host}:${this.portValue}`;
  }
  get status(): NodeStatus {
    return this.statusValue;
  }
  /** The startup parameters in effect (loaded at the last start), unquoted. */
  effectiveParams(): Map<string, string> {
    return valuesOf(this.effective);
  }
  /** The slave settings in effect, or undefined for a stand-alone node. */
  get slaveOf(): SyncSettings | undefined {
    return syncSettings(this.effectiveParams());
  }
  /** The parameters as the files say now (what a read shows; in effect only after a restart). */
  fileParams(): ParamLine[] {
    return mergeParams(parseIni(this.folder.readDefaults()), parseIni(this.folder.readStartupIni()));
  }
  /** The name in X-SafeSquid-Instance: the `hostname` option, else HOSTNAME in effect, else the node's name. */
  instanceName(): string {
    return this.opts.hostname ?? (this.effectiveParams().get("HOSTNAME") || this.name);
  }
  /** Checks a Basic login against the node's own user table. */
  checkLogin(username: string, password: string): boolean {
    const users = this.opts.users ?? {};
    return Object.prototype.hasOwnProperty.call(users, username) && users[username] === password;
  }
  /** Keeps a request (with `capture`) and tells `onRequest` and "request" listeners. */
  captureRequest(r: CapturedRequest): void {
    if (this.opts.capture) this.captured.push(r);
    this.opts.onRequest?.(r);
    this.emit("request", r);
  }
  /** Tells "sync" listeners how a sync attempt ended (a slave's loop calls it). */
  syncAttempted(a: SyncAttempt): void {
    this.emit("sync", a);
  }
  /** Starts a restart without waiting for it (the restart handler, once its reply is flushed). */
  requestRestart(): void {
    void this.restart();
  }

  /** Loads the state folder and listens; rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL...). */
  async start(): Promise<void> {
    if (this.statusValue !== "stopped" && this.statusValue !== "dead") return;
    this.stopping = false;
    this.load();
    this.portValue = await this.listener.open(this.host, this.portValue);
    this.up();
  }

  /** Restarts as the restart handler does: down for the downtime, then back with the files re-read (a "dead" node: use start()). */
  async restart(): Promise<void> {
    if (this.statusValue === "stopped" || this.statusValue === "restarting" || this.statusValue === "dead") return;
    this.setStatus("restarting");
    this.log.write(THREAD.main, "startup", "stopping for a restart");
    this.sync?.stop();
    await this.listener.close();
    this.restarts++;
    const downtime = (this.downtime = new AbortController());
    await new Promise<void>((r) => {
      const t = setTimeout(r, this.opts.restartDowntimeMs ?? 1000);
      downtime.signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
    });
    if (this.stopping) return;
    if (this.faults.neverReturn) return this.setStatus("dead");
    try {
      this.load();
      if (!this.faults.refused) await this.openWithRetry();
      if (this.stopping) return void (await this.listener.close());
    } catch (e) {
      this.log.write(THREAD.main, "startup", `cannot start: ${e instanceof Error ? e.message : String(e)}`);
      return this.setStatus("dead");
    }
    this.up();
  }

  /** Stops the node for good: no listener, no sync, log closed. */
  async stop(): Promise<void> {
    if (this.statusValue === "stopped") return;
    this.stopping = true;
    this.downtime?.abort();
    this.sync?.stop();
    this.sync = undefined;
    await this.listener.close();
    this.setStatus("stopped");
    await this.log.close();
  }

  /** Resolves with the first log line (backlog included unless `newOnly`) that matches. */
  waitForLog(pattern: RegExp, opts: { timeoutMs?: number; newOnly?: boolean } = {}): Promise<string> {
    if (!opts.newOnly) {
      const hit = this.log.lines().find((l) => pattern.test(l));
      if (hit) return Promise.resolve(hit);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (off(), reject(new Error(`${this.name}: no log line matching ${pattern} within ${opts.timeoutMs ?? 10_000} ms`))), opts.timeoutMs ?? 10_000);
      const off = this.log.subscribe((l) => {
        if (pattern.test(l)) (clearTimeout(timer), off(), resolve(l));
      });
    });
  }

  /** Resolves once the node reaches this status. */
  waitForStatus(status: NodeStatus, timeoutMs = 10_000): Promise<void> {
    if (this.statusValue === status) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.off("status", on), reject(new Error(`${this.name}: not ${status} within ${timeoutMs} ms (${this.statusValue})`))), timeoutMs);
      const on = (s: NodeStatus): void => {
        if (s === status) (clearTimeout(timer), this.off("status", on), resolve());
      };
      this.on("status", on);
    });
  }

  private setStatus(s: NodeStatus): void {
    this.statusValue = s;
    this.emit("status", s);
  }

  /** Reads the state folder: parameters into effect, the SAVED document into memory. */
  private load(): void {
    this.effective = this.fileParams();
    const { renumbered } = this.policy.load(this.folder.readConfig(), { renumber: this.opts.renumberIdsOnLoad === true || this.rules.renumberIds });
    this.log.write(THREAD.main, "startup", `safesquid-${this.build}-swg-${this.edition} starting: ${this.effective.length} startup parameters, config.xml loaded`);
    if (renumbered) this.log.write(THREAD.main, "config", `${renumbered} entries with duplicate ids renumbered`);
  }

  private up(): void {
    const s = this.slaveOf;
    this.log.write(THREAD.main, "startup", `listening on ${this.address}` + (s ? `; slave of ${s.masterIp}:${s.masterPort}, synchronizing every ${s.intervalMs / 1000} s` : "; stand-alone"));
    this.setStatus(this.faults.refused ? "refusing" : "up");
    if (s) {
      this.sync = new SyncLoop(this, s);
      this.sync.start();
    }
  }

  /** Listens again after a restart; the port may be briefly held by a closing socket. */
  private async openWithRetry(): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await this.listener.open(this.host, this.portValue);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || i >= 25) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
