/**
 * Faults a lab user can set by name, from the command line (`lab --fault slave-2=refuse`) or
 * while the lab runs (`lab control slave-2=clear`): each maps to a node's fault injection
 * (src/emulator/faults.ts), and the lab keeps the list of those in force to show it. A spec is
 * `NODE=FAULT` or `NODE=FAULT:ARGUMENT`; docs/monitoring.md lists them.
 */
import { parseDuration } from "../util/duration.js";
import type { Lab } from "./lab-handle.js";

export interface FaultSpec {
  node: string;
  fault: string;
  arg?: string;
}

interface FaultKind {
  help: string;
  /** What the argument is, when the fault takes one. */
  arg?: { name: string; optional?: boolean; parse: (v: string) => number };
  slavesOnly?: boolean;
}

function ms(name: string, signed = false): (v: string) => number {
  return (v) => {
    const neg = signed && v.startsWith("-");
    const d = parseDuration(neg ? v.slice(1) : v);
    if (d === undefined) throw new Error(`${name} must be a duration such as 2s${signed ? " or -30s" : ""}, not "${v}"`);
    return neg ? -d : d;
  };
}

function status(v: string): number {
  const n = Number(v);
  if (!/^5\d\d$/.test(v) || !Number.isInteger(n)) throw new Error(`the status must be 500..599, not "${v}"`);
  return n;
}

/** Every fault by name. */
export const FAULT_KINDS: Record<string, FaultKind> = {
  refuse: { help: "refuse connections, as if SafeSquid were not running" },
  "never-return": { help: "the next restart takes the node down for good" },
  "deny-sync": { help: "the master answers 403 to this slave's sync, whatever its access rows say", slavesOnly: true },
  delay: { help: "hold every reply this long", arg: { name: "DURATION", parse: ms("the delay") } },
  error: { help: "answer every request with this 5xx status (default 503)", arg: { name: "STATUS", optional: true, parse: status } },
  drop: { help: "cut every reply off halfway" },
  skew: { help: "run the node's clock this far ahead (or behind: -30s)", arg: { name: "DURATION", parse: ms("the skew", true) } },
  "backup-fails": { help: "the cloud backup answers with an error" },
  clear: { help: "clear every fault of the node" },
};

/** Parses `NODE=FAULT[:ARG]`; throws with what is accepted. */
export function parseFaultSpec(text: string): FaultSpec {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)=([a-z-]+)(?::(.+))?$/.exec(text.trim());
  const names = Object.keys(FAULT_KINDS).join(", ");
  if (!m) throw new Error(`"${text}" is not NODE=FAULT (e.g. slave-2=refuse, slave-1=delay:2s); faults: ${names}`);
  const [, node, fault, arg] = m;
  const kind = FAULT_KINDS[fault!];
  if (!kind) throw new Error(`"${fault}" is not a fault; faults: ${names}`);
  if (arg !== undefined && !kind.arg) throw new Error(`${fault} takes no argument ("${text}")`);
  if (arg === undefined && kind.arg && !kind.arg.optional) throw new Error(`${fault} needs ${kind.arg.name}: ${node}=${fault}:${kind.arg.name}`);
  if (arg !== undefined) kind.arg!.parse(arg);
  return { node: node!, fault: fault!, ...(arg !== undefined ? { arg } : {}) };
}

/** The faults set on a lab's nodes by name, and the list of those in force. */
export class LabFaults {
  private readonly inForce = new Map<string, Map<string, string>>();
  private readonly denied = new Set<string>();

  constructor(private readonly lab: Lab) {}

  /** Checks a spec against this lab (its node exists; deny-sync only on a slave); throws with what to do. */
  check(s: FaultSpec): void {
    const names = this.lab.nodes.map((n) => n.name);
    if (!names.includes(s.node)) throw new Error(`the lab has no node "${s.node}" (nodes: ${names.length > 6 ? `${names.slice(0, 5).join(", ")} ... ${names.at(-1)}` : names.join(", ")})`);
    if (FAULT_KINDS[s.fault]!.slavesOnly && s.node === this.lab.master.name) throw new Error(`${s.fault} is a fault of a slave (the master denies its sync), not of the master`);
  }

  /** Sets one fault (checked first). */
  async apply(s: FaultSpec): Promise<void> {
    this.check(s);
    const node = this.lab.node(s.node);
    const f = node.faults;
    const arg = s.arg === undefined ? undefined : FAULT_KINDS[s.fault]!.arg!.parse(s.arg);
    switch (s.fault) {
      case "refuse":
        await f.refuseConnections();
        break;
      case "never-return":
        f.neverComeBack();
        break;
      case "deny-sync":
        this.denied.add(node.host);
        this.lab.master.faults.denySyncFrom(...this.denied);
        break;
      case "delay":
        f.delayReplies(arg!);
        break;
      case "error":
        f.failWith(arg ?? 503);
        break;
      case "drop":
        f.dropMidReply();
        break;
      case "skew":
        f.skewClock(arg!);
        break;
      case "backup-fails":
        f.failCloudBackup();
        break;
      case "clear":
        await f.clear();
        if (this.denied.delete(node.host)) this.lab.master.faults.denySyncFrom(...this.denied);
        if (node === this.lab.master) this.lab.master.faults.denySyncFrom(...this.denied);
        this.inForce.delete(s.node);
        return;
    }
    const mine = this.inForce.get(s.node) ?? new Map<string, string>();
    mine.set(s.fault, s.arg === undefined ? s.fault : `${s.fault}:${s.arg}`);
    this.inForce.set(s.node, mine);
  }

  /** The faults in force, by node (nodes without any left out). */
  list(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const n of this.lab.nodes) {
      const mine = this.inForce.get(n.name);
      if (mine?.size) out[n.name] = [...mine.values()];
    }
    return out;
  }
}
