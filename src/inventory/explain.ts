/**
 * What `inventory validate` shows of a valid inventory: per node its endpoint, transport,
 * address (or "will be resolved"), where its password comes from (never the value), and for
 * each slave the MASTER_IP / MASTER_PORT it will get and the address the allow row admits.
 */
import { isIpLiteral } from "./hosts.js";
import { describeRef } from "./secrets.js";
import { resolveAddress, type LookupFn } from "./resolve.js";
import type { Inventory, NodeSpec } from "./types.js";
import { formatDuration } from "../util/duration.js";

export const WILL_BE_RESOLVED = "will be resolved";

export interface NodeView {
  name: string;
  role: "master" | "slave";
  /** "valid", or "unresolved" when --resolve found no address. */
  status: "valid" | "unresolved";
  host: string;
  port: number;
  transport: string;
  timeout: string;
  timeoutMs: number;
  /** The IP address, or null when the host is a name not resolved (yet). */
  address: string | null;
  credentials: { username: string; source: string } | null;
  /** Slaves: what they will get. The master: what it advertises. */
  masterIp: string;
  masterPort: number;
  /** Slaves: the address the master's allow row admits for them (sourceIp, else the address). */
  allowAs?: string | null;
  error?: string;
}

/** Builds the per-node view; with `resolve`, host names are looked up (failures are per node). */
export async function explain(inv: Inventory, opts: { resolve?: boolean; lookup?: LookupFn } = {}): Promise<NodeView[]> {
  const advertised = await addressOf(inv.master.advertise.ip, inv.master.name, opts);
  const views: NodeView[] = [];
  for (const n of [inv.master, ...inv.slaves]) {
    const a = await addressOf(n.host, n.name, opts);
    const view: NodeView = {
      name: n.name,
      role: n.role,
      status: a.error ? "unresolved" : "valid",
      host: n.host,
      port: n.port,
      transport: n.transport,
      timeout: formatDuration(n.timeoutMs, { exact: true }),
      timeoutMs: n.timeoutMs,
      address: a.address,
      credentials: credentialsOf(n),
      masterIp: advertised.address ?? inv.master.advertise.ip,
      masterPort: inv.master.advertise.port,
      ...(a.error ? { error: a.error } : {}),
    };
    if (n.role === "slave") view.allowAs = "sourceIp" in n && n.sourceIp !== undefined ? n.sourceIp : a.address;
    views.push(view);
  }
  return views;
}

async function addressOf(host: string, node: string, opts: { resolve?: boolean; lookup?: LookupFn }): Promise<{ address: string | null; error?: string }> {
  if (!opts.resolve) return { address: isIpLiteral(host) ? host : null };
  const r = await resolveAddress(host, { node, ...(opts.lookup ? { lookup: opts.lookup } : {}) });
  return r.ok ? { address: r.address } : { address: null, error: r.error.message };
}

function credentialsOf(n: NodeSpec): NodeView["credentials"] {
  return n.credentials ? { username: n.credentials.username, source: describeRef(n.credentials.password) } : null;
}

/** The JSON document `inventory validate -o json` prints (secrets never included: only their sources). */
export function validateDocument(args: {
  file: string;
  inventory: Inventory | undefined;
  nodes: NodeView[];
  errors: { text: string }[];
  warnings: { text: string }[];
}): Record<string, unknown> {
  const ok = args.inventory !== undefined && args.errors.length === 0 && args.nodes.every((n) => n.status === "valid");
  return {
    schemaVersion: 1,
    command: "inventory validate",
    ok,
    file: args.file,
    inventory: args.inventory ?? null,
    nodes: args.nodes,
    errors: args.errors,
    warnings: args.warnings,
  };
}
