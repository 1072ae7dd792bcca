/** The text `inventory validate` prints on stdout for a valid inventory: a table and a summary. */
import { safe } from "../report/terminal.js";
import { WILL_BE_RESOLVED, type NodeView } from "./explain.js";
import type { Inventory } from "./types.js";

/** `host:port`, with brackets around an IPv6 literal. */
export function endpoint(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Renders the normalised fleet for people. */
export function renderFleet(inv: Inventory, file: string, nodes: NodeView[]): string {
  const header = ["NAME", "ROLE", "HOST:PORT", "TRANSPORT", "TIMEOUT", "ADDRESS", "CREDENTIALS", "MASTER_IP:MASTER_PORT"];
  const rows = nodes.map((n) => [
    n.name,
    n.role,
    endpoint(n.host, n.port),
    n.transport,
    n.timeout,
    n.address ?? (n.error ? "does not resolve" : WILL_BE_RESOLVED),
    n.credentials ? `${n.credentials.username} (${n.credentials.source})` : "none",
    n.role === "slave" ? `${n.masterIp}:${n.masterPort}` : `advertises ${n.masterIp}:${n.masterPort}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  const slaves = nodes.filter((n) => n.role === "slave");
  const allow = slaves.map((s) => (s.allowAs ?? `${s.name} (${WILL_BE_RESOLVED})`)).join(", ");
  const out = [
    `inventory ${file}: valid, 1 master, ${slaves.length} ${slaves.length === 1 ? "slave" : "slaves"}`,
    "",
    line(header),
    ...rows.map(line),
    "",
    `slaves get MASTER_IP=${nodes[0]?.masterIp ?? inv.master.advertise.ip} MASTER_PORT=${inv.master.advertise.port}`,
    `allow row on ${inv.master.name}: user group ${inv.allowList.userGroup}, addresses ${allow}`,
    `verify checks: ${inv.sync.sections ? inv.sync.sections.join(", ") : "every section that syncs"}`,
  ];
  return safe(out.join("\n")) + "\n";
}
