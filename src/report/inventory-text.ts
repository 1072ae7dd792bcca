/** The text `inventory validate` prints on stdout for a valid inventory: a table and a summary. */
import { visibleWidth, wrapText } from "./table.js";
import { hostPort } from "../util/host-port.js";
import { safe } from "../util/safe-text.js";
import { WILL_BE_RESOLVED, type NodeView } from "../inventory/explain.js";
import type { Inventory } from "../inventory/types.js";

/**
 * Renders the normalised fleet for people. With `width` (a terminal's columns) a table that
 * would not fit becomes one short block per node, wrapped at word boundaries; through a pipe
 * the table is whole. The full data is in `-o json` either way.
 */
export function renderFleet(inv: Inventory, file: string, nodes: NodeView[], width?: number): string {
  const header = ["NAME", "ROLE", "HOST:PORT", "TRANSPORT", "TIMEOUT", "ADDRESS", "CREDENTIALS", "MASTER_IP:MASTER_PORT"];
  const rows = nodes.map((n) => [
    n.name,
    n.role,
    hostPort(n.host, n.port),
    n.transport,
    n.timeout,
    n.address ?? (n.error ? "does not resolve" : WILL_BE_RESOLVED),
    n.credentials ? `${n.credentials.username} (${n.credentials.source})` : "none",
    n.role === "slave" ? `${n.masterIp}:${n.masterPort}` : `advertises ${n.masterIp}:${n.masterPort}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  const slaves = nodes.filter((n) => n.role === "slave");
  const allow = slaves.map((s) => (s.allowAs ?? `${s.name} (${s.error ? "does not resolve" : WILL_BE_RESOLVED})`)).join(", ");
  const fits = width === undefined || visibleWidth(line(header)) <= width;
  const wrap = (text: string, indent = ""): string[] => (width === undefined ? [indent + text] : wrapText(text, width - indent.length).split("\n").map((l) => indent + l));
  const blocks = rows.flatMap(([name, role, hostPort, transport, timeout, address, credentials, master]) => [
    `${name}  ${role}  ${hostPort}`,
    ...wrap(`${transport}, timeout ${timeout}, address ${address}, credentials ${credentials}, ${role === "slave" ? `MASTER_IP:MASTER_PORT ${master}` : master}`, "    "),
  ]);
  const fleet = `1 master, ${slaves.length} ${slaves.length === 1 ? "slave" : "slaves"}`;
  // With --resolve, a name that does not resolve makes the run fail (exit 1): the first line
  // says so, rather than "valid" above an error.
  const unresolved = nodes.filter((n) => n.status !== "valid").length;
  const verdict = unresolved === 0 ? `valid, ${fleet}` : `the file is valid (${fleet}), but ${unresolved} host ${unresolved === 1 ? "name does" : "names do"} not resolve`;
  const out = [
    ...wrap(`inventory ${file}: ${verdict}`),
    "",
    ...(fits ? [line(header), ...rows.map(line)] : blocks),
    "",
    ...wrap(`slaves get MASTER_IP=${nodes[0]?.masterIp ?? inv.master.advertise.ip} MASTER_PORT=${inv.master.advertise.port}`),
    ...wrap(`allow row on ${inv.master.name}: user group ${inv.allowList.userGroup}, addresses ${allow}`, ""),
    ...wrap(`verify checks: ${inv.sync.sections ? inv.sync.sections.join(", ") : "every section that syncs"}`),
  ];
  return safe(out.join("\n")) + "\n";
}
