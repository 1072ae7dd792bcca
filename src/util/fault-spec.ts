/**
 * The lab's faults by name and their syntax, `NODE=FAULT` or `NODE=FAULT:ARGUMENT`
 * (docs/monitoring.md lists them): pure, so that the lab command checks `--fault` and `lab
 * control` specs without loading the emulator (src/emulator/lab-faults.ts sets them on nodes).
 */
import { parseDuration } from "./duration.js";

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

