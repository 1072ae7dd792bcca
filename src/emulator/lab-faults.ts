/**
 * Faults a lab user can set by name, from the command line (`lab --fault slave-2=refuse`) or
 * while the lab runs (`lab control slave-2=clear`): each maps to a node's fault injection
 * (src/emulator/faults.ts), and the lab keeps the list of those in force to show it. A spec is
 * `NODE=FAULT` or `NODE=FAULT:ARGUMENT` (src/util/fault-spec.ts; docs/monitoring.md lists them).
 */
import { FAULT_KINDS, parseFaultSpec, type FaultSpec } from "../util/fault-spec.js";
import type { Lab } from "./lab-handle.js";

export { FAULT_KINDS, parseFaultSpec, type FaultSpec };

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
