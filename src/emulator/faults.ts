/**
 * Fault injection, part of the emulator's interface for tests and the benchmark (docs/emulator.md
 * ). Every fault stays until cleared (or until its `times` run
 * out); `handlers` limits a reply fault to requests with those `handler` values.
 */
import { plainAddress } from "../safesquid/access.js";

export interface FaultScope {
  /** Only requests whose `handler` is one of these (default: every request). */
  handlers?: string[];
  /** Only this many requests, then the fault clears itself (default: until cleared). */
  times?: number;
}

interface ReplyFault extends FaultScope {
  kind: "status" | "drop" | "pad";
  status?: number;
  bytes?: number;
  contentLength?: boolean;
}

/**
 * Per-request random faults (`chaos()`), each with its own chance per request, drawn from a
 * seeded generator so that a run can be replayed:
 * - `refuse`: the node refuses connections for `refuseMs` (this request's connection is cut);
 * - `delay`: the request is held `delayMs` (past the client's timeout) before it is handled; a
 *   request whose client has gone meanwhile is not handled at all;
 * - `error`: 503 before the handler runs;
 * - `resetBefore`: the connection is cut before the handler runs;
 * - `resetAfter`: the handler runs, then the connection is cut halfway through the reply;
 * - `lostReply`: the handler runs, and no reply ever comes (the client times out);
 * - `neverReturn`: on a restart request: that restart takes the node down for good;
 * - `denySync`: for requests from other addresses than the tool's (a slave syncing from this
 *   master): 403, as `denySyncFrom` does.
 */
export type ChaosKind = "refuse" | "delay" | "error" | "resetBefore" | "resetAfter" | "lostReply" | "neverReturn" | "denySync";

export interface ChaosOptions {
  seed: number;
  /** The chance of each fault per request, 0..1. */
  rates: Partial<Record<ChaosKind, number>>;
  /** The tool's addresses: its requests get every fault but denySync; everyone else's only denySync. */
  toolAddresses: string[];
  /** How long a `delay` holds a request. */
  delayMs: number;
  /** How long a `refuse` keeps the node off. Default 300 ms. */
  refuseMs?: number;
}

/** One fault chaos() drew: when, for which handler, which. */
export interface ChaosDraw {
  at: number;
  handler: string;
  kind: ChaosKind;
}

/** A small seeded generator (mulberry32): the same seed, the same draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOOL_KINDS: ChaosKind[] = ["refuse", "delay", "error", "resetBefore", "resetAfter", "lostReply", "neverReturn"];

/** What the node must do to one request because of a fault. */
export type Injected = { kind: "status"; status: number } | { kind: "drop" } | { kind: "pad"; bytes: number; contentLength: boolean } | undefined;

/** The hooks a node gives its faults (listener control). */
export interface FaultHost {
  closeListener(): Promise<void>;
  openListener(): Promise<void>;
  setClockSkew(ms: number): void;
}

/** The fault injection interface of one emulated node (`node.faults`). */
export class Faults {
  private delay: { ms: number; handlers?: string[] } | undefined;
  private replies: ReplyFault[] = [];
  private denied = new Set<string>();
  private refusing = false;
  /** When set, the next restart goes down and never comes back. */
  neverReturn = false;
  /** When set, `cloud_backup` answers `<error message="..."/>` with this text. */
  cloudBackupError: string | undefined;
  private chaosOpts: (ChaosOptions & { random: () => number }) | undefined;
  /** Every fault chaos() has drawn, in order. */
  readonly chaosDraws: ChaosDraw[] = [];

  constructor(private readonly host: FaultHost) {}

  /** Refuse connections: the listener is closed and open connections are cut, as if the process were gone. */
  async refuseConnections(): Promise<void> {
    this.refusing = true;
    await this.host.closeListener();
  }

  /** Undo refuseConnections(): listen again on the same address and port. */
  async acceptConnections(): Promise<void> {
    if (!this.refusing) return;
    this.refusing = false;
    await this.host.openListener();
  }

  /** True while refuseConnections() is in force. */
  get refused(): boolean {
    return this.refusing;
  }

  /** Hold every reply (or those of some handlers) for `ms` before answering; 0 clears. */
  delayReplies(ms: number, opts: { handlers?: string[] } = {}): void {
    this.delay = ms > 0 ? { ms, ...opts } : undefined;
  }

  /** Answer `status` (500..599) with a short HTML page instead of handling the request. */
  failWith(status: number, scope: FaultScope = {}): void {
    if (!(status >= 500 && status <= 599)) throw new RangeError(`failWith takes a 5xx status, not ${status}`);
    this.replies.push({ kind: "status", status, ...scope });
  }

  /** Send the reply's headers and half its body, then destroy the connection. */
  dropMidReply(scope: FaultScope = {}): void {
    this.replies.push({ kind: "drop", ...scope });
  }

  /**
   * Answer huge replies: the handler's own reply followed by `bytes` of padding (an XML comment
   * after the root, so the document stays well formed), streamed in chunks without
   * Content-Length (as a chunked reply), or with it when `contentLength` is set.
   */
  hugeReply(bytes: number, scope: FaultScope & { contentLength?: boolean } = {}): void {
    if (!(Number.isInteger(bytes) && bytes > 0)) throw new RangeError(`hugeReply takes a number of bytes, not ${bytes}`);
    const { contentLength, ...rest } = scope;
    this.replies.push({ kind: "pad", bytes, contentLength: contentLength === true, ...rest });
  }

  /** The next restart takes the node down for good (it never listens again). */
  neverComeBack(on = true): void {
    this.neverReturn = on;
  }

  /** Answer 403 to every request from these addresses (a slave whose sync is denied), whatever the rows say; none clears. */
  denySyncFrom(...addresses: string[]): void {
    this.denied = new Set(addresses.map(plainAddress));
  }

  /** Make `cloud_backup` fail with this message; `false` clears. */
  failCloudBackup(message: string | false = "cloud backup service is unreachable"): void {
    this.cloudBackupError = message === false ? undefined : message;
  }

  /** Run this node's clock `ms` ahead (negative: behind): log timestamps, Last-Modified, Date. */
  skewClock(ms: number): void {
    this.host.setClockSkew(ms);
  }

  /** Per-request random faults from a seeded generator (see ChaosKind); undefined stops them. */
  chaos(o: ChaosOptions | undefined): void {
    this.chaosOpts = o ? { ...o, random: seededRandom(o.seed) } : undefined;
  }

  /**
   * Draws the chaos fault of one request (at most one), from the tool's address or another's;
   * a `neverReturn` only on a restart request. Counted in chaosDraws.
   */
  drawChaos(handler: string, remote: string): ChaosKind | undefined {
    const c = this.chaosOpts;
    if (!c) return undefined;
    const fromTool = c.toolAddresses.map(plainAddress).includes(plainAddress(remote));
    const kinds = fromTool ? TOOL_KINDS.filter((k) => k !== "neverReturn" || handler === "safesquid_restart") : (["denySync"] as ChaosKind[]);
    // One number per request whatever it is for, so the sequence depends only on how many came.
    let x = c.random();
    for (const kind of kinds) {
      const p = c.rates[kind] ?? 0;
      if (x < p) {
        this.chaosDraws.push({ at: Date.now(), handler, kind });
        if (kind === "neverReturn") this.neverReturn = true;
        return kind;
      }
      x -= p;
    }
    return undefined;
  }

  /** chaos()'s `refuse`: off the network for a moment, then back. */
  refuseForAMoment(): void {
    if (this.refusing || !this.chaosOpts) return;
    const ms = this.chaosOpts.refuseMs ?? 300;
    void this.refuseConnections().then(() => setTimeout(() => void this.acceptConnections(), ms));
  }

  /** How long chaos()'s `delay` holds a request. */
  get chaosDelayMs(): number {
    return this.chaosOpts?.delayMs ?? 0;
  }

  /** Clears every fault (and listens again if connections were refused). */
  async clear(): Promise<void> {
    this.chaosOpts = undefined;
    this.delay = undefined;
    this.replies = [];
    this.denied.clear();
    this.neverReturn = false;
    this.cloudBackupError = undefined;
    this.host.setClockSkew(0);
    await this.acceptConnections();
  }

  /** How long to hold a reply to this handler (0: not at all). */
  delayFor(handler: string): number {
    const d = this.delay;
    return d && (!d.handlers || d.handlers.includes(handler)) ? d.ms : 0;
  }

  /** Is this client address denied by denySyncFrom()? */
  isDenied(address: string): boolean {
    return this.denied.has(plainAddress(address));
  }

  /** Takes the reply fault that applies to a request with this handler, counting it down. */
  take(handler: string): Injected {
    const i = this.replies.findIndex((f) => !f.handlers || f.handlers.includes(handler));
    if (i < 0) return undefined;
    const f = this.replies[i]!;
    if (f.times !== undefined && --f.times <= 0) this.replies.splice(i, 1);
    if (f.kind === "pad") return { kind: "pad", bytes: f.bytes!, contentLength: f.contentLength === true };
    return f.kind === "status" ? { kind: "status", status: f.status! } : { kind: "drop" };
  }
}
