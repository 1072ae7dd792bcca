/**
 * What one fleet run works with: the inventory, one admin client per node (one keep-alive
 * agent each), the interrupt signal, the run record, progress, and how to read credentials
 * and resolve addresses. Built by the command layer; the fleet modules never print.
 */
import type { Inventory, NodeSpec, ResolvedCredentials, SlaveSpec } from "../inventory/types.js";
import { SafeSquidClient } from "../safesquid/client.js";
import type { Endpoint } from "../safesquid/endpoint.js";
import type { CallEvent } from "../safesquid/transport.js";
import type { Change, RunRecord } from "./record.js";
import { addressOf } from "./address.js";
import { MasterDocument } from "./master-doc.js";
import { masterRefusal, type Refusal } from "./sync-judge.js";
import type { AccessSection } from "../safesquid/access.js";

/** Progress as the fleet reports it; the command layer shows it (or not). */
export interface ProgressSink {
  phase(text: string): void;
  update(done: number, total: number, text?: string): void;
  /** A note for the person at the terminal (stderr), e.g. "pune-1: restarting". */
  note(text: string): void;
  /** What the run is waiting on for this node now ("reading", "restarting"): the display says it, and for how long. */
  working?(node: string, what: string): void;
  /** The node is done: no longer waited on. */
  idle?(node: string): void;
}

export const silentProgress: ProgressSink = { phase() {}, update() {}, note() {} };

export interface SessionOptions {
  inventory: Inventory;
  signal: AbortSignal;
  record: RunRecord;
  /** Reads a node's credentials when it first answers 407. */
  credentials: (node: NodeSpec) => Promise<ResolvedCredentials | undefined>;
  /** Others to send when the node refused `rejected` (a password typed again), or undefined. */
  relogin?: (node: NodeSpec, rejected: ResolvedCredentials) => Promise<ResolvedCredentials | undefined>;
  /** Resolves a host to an address (IP literals as they are). */
  resolve: (host: string) => Promise<string>;
  /** The inventory as the user named it (-i FILE), for next-step commands; undefined when found by default. */
  inventoryArg?: string;
  /** --timeout: overrides every node's timeout when set. */
  timeoutMs?: number;
  retries?: number;
  /** --max-reply-size: every reply's size bound raised to at least this many bytes. */
  maxReplyBytes?: number;
  onCall?: (e: CallEvent) => void;
  /** What a read-back showed after a write (for --verbose): "slave-1", "MASTER_IP:MASTER_PORT read back as written". */
  onCheck?: (node: string, text: string) => void;
  progress?: ProgressSink;
}

/** The wire client's view of an inventory node; `timeoutMs` (--timeout) overrides the node's own. */
export function endpointOf(node: NodeSpec, timeoutMs?: number): Endpoint {
  return {
    name: node.name,
    host: node.host,
    port: node.port,
    transport: node.transport,
    timeoutMs: timeoutMs || node.timeoutMs,
    ...(node.caFile !== undefined ? { caFile: node.caFile } : {}),
  };
}

export class FleetSession {
  private readonly clients = new Map<string, SafeSquidClient>();
  private masterDoc: MasterDocument | undefined;
  // What every fleet module reads, at hand: the options' own, and progress (silent by default).
  readonly inventory: Inventory;
  readonly signal: AbortSignal;
  readonly record: RunRecord;
  readonly progress: ProgressSink;

  constructor(readonly opts: SessionOptions) {
    this.inventory = opts.inventory;
    this.signal = opts.signal;
    this.record = opts.record;
    this.progress = opts.progress ?? silentProgress;
  }

  /** A session over another inventory (promote: the fleet with its new master), sharing the run's record, signal and credentials. */
  withInventory(inventory: Inventory): FleetSession {
    return new FleetSession({ ...this.opts, inventory });
  }

  /** The node's client (created once per run). */
  client(node: NodeSpec): SafeSquidClient {
    let c = this.clients.get(node.name);
    if (!c) {
      c = new SafeSquidClient(endpointOf(node, this.opts.timeoutMs), {
        credentials: () => this.opts.credentials(node),
        ...(this.opts.relogin ? { relogin: (rejected) => this.opts.relogin!(node, rejected) } : {}),
        retries: this.opts.retries ?? 2,
        signal: this.opts.signal,
        ...(this.opts.maxReplyBytes ? { maxReplyBytes: this.opts.maxReplyBytes } : {}),
        ...(this.opts.onCall ? { onCall: this.opts.onCall } : {}),
      });
      this.clients.set(node.name, c);
    }
    return c;
  }

  /** The address the master sees when this slave syncs: sourceIp, else its resolved host. */
  async slaveAddress(slave: SlaveSpec): Promise<string> {
    return slave.sourceIp ?? (await this.opts.resolve(slave.host));
  }

  /** MASTER_IP / MASTER_PORT the slaves must get (advertise, resolved to an address). */
  async masterPointer(): Promise<{ ip: string; port: string }> {
    const a = this.inventory.master.advertise;
    return { ip: await this.opts.resolve(a.ip), port: String(a.port) };
  }

  /** Records, before a node's first write, what the run is about to change on it (what `undo` reads). */
  recordChange(node: NodeSpec, change: Change): void {
    this.record.write({ node: node.name, role: node.role, address: addressOf(node), action: "change", change });
  }

  /** Reports what a check after a write found (shown with --verbose). */
  checked(node: string, text: string): void {
    this.opts.onCheck?.(node, text);
  }

  /** The master's document for this run, read again on demand (cheaply where it can be). */
  masterDocument(): MasterDocument {
    return (this.masterDoc ??= new MasterDocument(this.client(this.inventory.master)));
  }

  /** Would the master refuse this slave's sync, by these access rows? undefined when it lets it in (or its address is unknown). */
  async refusalFor(slave: SlaveSpec, access: AccessSection): Promise<Refusal | undefined> {
    const address = await this.slaveAddress(slave).catch(() => undefined);
    if (address === undefined) return undefined;
    return masterRefusal(access, address, await this.masterListen());
  }

  /** The master's listen address as the slaves reach it ("ip:port"), for `interface` rows. */
  async masterListen(): Promise<string> {
    return `${(await this.masterPointer()).ip}:${this.inventory.master.port}`;
  }

  /**
   * Closes one node's keep-alive connections once the run is done with it for now; its
   * client (and the credentials it learned) stays and reconnects if used again. Without this
   * every slave's idle sockets stayed open to the end of the run: at 500 slaves, ~1500
   * sockets and a third of the CLI's peak memory (measured).
   */
  release(node: NodeSpec): void {
    this.clients.get(node.name)?.close();
  }

  /** Closes every keep-alive connection. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

export { addressOf } from "./address.js";
