/**
 * The per-command tables of the text report: the slaves of `join-slave`, the master and its
 * allow row of `allow`, the slaves of `verify`. Every value that came from the inventory or
 * the network goes through safeLine() before it is styled.
 */
import type { NodeResult, Report } from "../fleet/report.js";
import { formatDuration } from "../util/duration.js";
import { glyphOf, labelOf, toneOf, type Glyphs, type Style } from "./symbols.js";
import { table, wrapList, wrapText, type TableOptions } from "./table.js";
import { safeLine } from "../util/safe-text.js";

/** What every renderer of the text report is given. */
export interface TextCtx {
  s: Style;
  g: Glyphs;
  width: number;
}

/** A status with its symbol, coloured by its tone. */
export function statusCell(status: string, c: TextCtx): string {
  return c.s.tone(toneOf(status), `${glyphOf(status, c.g)} ${labelOf(status)}`);
}

/** MASTER_IP:MASTER_PORT as a slave holds it ("(none)" when both are empty). */
export function pointer(p: Report["MasterPointer"] | undefined): string | undefined {
  if (!p) return undefined;
  if (p.MASTER_IP === "" && p.MASTER_PORT === "") return "(none)";
  return `${safeLine(p.MASTER_IP)}:${safeLine(p.MASTER_PORT)}`;
}

function pointerCell(n: NodeResult, c: TextCtx): string {
  const cur = pointer(n.current);
  const next = pointer(n.planned);
  const change = cur !== undefined && next !== undefined && cur !== next ? `${cur} ${c.g.arrow} ${next}` : (next ?? cur ?? "-");
  if (n.status === "rolled_back") {
    if (n.rollback?.restored === true) return `${cur ?? "-"} (restored)`;
    if (n.rollback?.restored === false) return c.s.tone("bad", `${change} (NOT restored)`);
  }
  if (n.status === "unchanged") return cur ?? next ?? "-";
  return n.pendingRestart ? `${change} (restart pending)` : change;
}

const head = (c: TextCtx, ...names: string[]): string[] => names.map((h) => c.s.dim(h));

/** Table options that fit the report's width, cutting these plain columns first (the full values are in `-o json`). */
function fit(c: TextCtx, ...shrink: number[]): TableOptions {
  return { width: c.width, shrink, ellipsis: c.g.ellipsis };
}

/** join-slave: one line per slave with its current and planned MASTER_IP:PORT. */
export function joinTable(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const rows = [head(c, "SLAVE", "ADDRESS", "STATUS", "MASTER_IP:PORT", "TIME")];
  for (const n of nodes) rows.push([safeLine(n.name), safeLine(n.address), statusCell(n.status, c), pointerCell(n, c), formatDuration(n.durationMs)]);
  return table(rows, fit(c, 1, 0));
}

function rowField(r: Report["RowSummary"] | undefined, key: string, w: number): string {
  if (!r) return "-";
  switch (key) {
    case "position":
      return String(r.position);
    case "enabled":
      return r.enabled ? "yes" : "no";
    case "ip":
      return wrapList(r.ip.map(safeLine), w);
    case "access":
      return wrapList(r.access.map(safeLine), w);
    case "login":
      return [r.pamauth ? "pamauth" : "", r.username ? `user ${safeLine(r.username)}` : ""].filter(Boolean).join(", ") || "none";
    case "user groups":
      return wrapList(r.userGroups.map(safeLine), w) || "-";
    case "comment":
      return wrapText(safeLine(r.comment), w) || "-";
    default:
      return r.id === undefined ? "-" : safeLine(r.id);
  }
}

const ROW_FIELDS = ["position", "enabled", "ip", "access", "login", "user groups", "comment", "id"];

/** allow: the master's line, its row before and after (changed fields marked ~), the moves. */
export function allowBlock(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const rows = [head(c, "MASTER", "ADDRESS", "STATUS", "WRITES", "TIME")];
  for (const n of nodes) rows.push([safeLine(n.name), safeLine(n.address), statusCell(n.status, c), n.row ? String(n.row.writes) : "-", formatDuration(n.durationMs)]);
  const out = table(rows);
  for (const n of nodes) {
    if (!n.row) continue;
    const { before, after, moves } = n.row;
    const w = Math.max(16, Math.floor((c.width - 20) / 2));
    const diff = [head(c, "  ALLOW ROW", "BEFORE", "AFTER")];
    for (const key of ROW_FIELDS) {
      const b = rowField(before, key, w);
      // A row still to be added has no id yet: the master gives it one when it is added.
      const a = key === "id" && after && after.id === undefined && !before ? "(new)" : rowField(after, key, w);
      const changed = b !== a;
      diff.push([(changed ? c.s.tone("warn", "~") : " ") + " " + key, b, changed ? c.s.bold(a) : a]);
    }
    out.push("", ...table(diff));
    if (moves.length) out.push("", `  ${c.s.dim("moves")}`, ...moves.map((m) => `    ${safeLine(m)}`));
  }
  return out;
}

/** "12s ago", "3m ago", "2h ago", "4d ago": as precise as a glance needs (`-o json` has the stamp). */
export function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return "just now";
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86_400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

/** The last sync in a few words: "synchronized 12s ago"; the master it was with only when it is not this one. */
function syncCell(n: NodeResult): string {
  if (!n.sync) return "-";
  const what = n.sync.outcome === "no_changes" ? "no changes" : n.sync.outcome;
  const when = n.sync.ageMs !== undefined ? ago(n.sync.ageMs) : safeLine(n.sync.stamp);
  return `${what} ${when}${n.joined ? "" : ` from ${safeLine(n.sync.target)}`}`;
}

/** The sections of a slave that differ from the master's (out of sync or pending), by name. */
function behindCell(n: NodeResult, c: TextCtx): string {
  const names = (n.sections ?? []).filter((s) => s.status === "out_of_sync" || s.status === "pending").map((s) => safeLine(s.name));
  if (names.length === 0) return "-";
  return names.length <= 4 ? names.join(", ") : `${names.slice(0, 3).join(", ")} ${c.g.ellipsis} (${names.length})`;
}

/** verify: one line per slave (joined? last sync seen in its log); with `summary`, the sections that differ too. */
export function verifyTable(nodes: readonly NodeResult[], c: TextCtx, summary = false): string[] {
  const rows = [head(c, "SLAVE", "ADDRESS", "STATUS", "JOINED", "LAST SYNC", ...(summary ? ["DIFFERS"] : []), "TIME")];
  for (const n of nodes) {
    const joined = n.joined === undefined ? "?" : n.joined ? "yes" : "no";
    rows.push([safeLine(n.name), safeLine(n.address), statusCell(n.status, c), joined, syncCell(n), ...(summary ? [behindCell(n, c)] : []), formatDuration(n.durationMs)]);
  }
  return table(rows, fit(c, 4, 1, 0));
}

/** restart: one line per slave with the master it syncs with. */
export function restartTable(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const rows = [head(c, "SLAVE", "ADDRESS", "STATUS", "MASTER_IP:PORT", "TIME")];
  for (const n of nodes) rows.push([safeLine(n.name), safeLine(n.address), statusCell(n.status, c), pointer(n.current) ?? "-", formatDuration(n.durationMs)]);
  return table(rows);
}

/** undo: one line per node with what the run had changed on it. */
export function undoTable(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const rows = [head(c, "NODE", "ROLE", "STATUS", "WHAT THE RUN CHANGED", "TIME")];
  const w = Math.max(24, c.width - 50);
  for (const n of nodes) rows.push([safeLine(n.name), n.role, statusCell(n.status, c), wrapText((n.changes ?? []).map(safeLine).join("; "), w) || "-", formatDuration(n.durationMs)]);
  return table(rows);
}
