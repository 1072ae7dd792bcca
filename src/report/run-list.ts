/**
 * `undo --list`: the runs in the record folder, oldest first, as a table (time, command, nodes,
 * writes, whether undo can take it) or as one JSON document (examples/report.schema.json
 * "RunList").
 */
import type { Report, RunSummary } from "../fleet/report.js";
import { SCHEMA_VERSION } from "./envelope.js";
import { terminalSafeJson } from "./json.js";
import { table, wrapText } from "./table.js";
import { safeLine } from "../util/safe-text.js";

/** The JSON document of `undo --list -o json`. */
export function renderRunListJson(dir: string, runs: readonly RunSummary[]): string {
  const doc: Report["RunList"] = { schemaVersion: SCHEMA_VERSION, command: "undo", ok: true, exitCode: 0, nodes: [], recordDir: dir, runs: [...runs] };
  return terminalSafeJson(JSON.stringify(doc, null, 2)) + "\n";
}

/** The text of `undo --list`. */
export function renderRunListText(dir: string, runs: readonly RunSummary[], width = 100): string {
  if (runs.length === 0) return `no run records in ${safeLine(dir)}\n`;
  const rows = [["RUN", "TIME", "COMMAND", "NODES", "WRITES", "UNDO"]];
  for (const r of runs) {
    const nodes = r.nodes.length > 4 ? `${r.nodes.slice(0, 4).map(safeLine).join(", ")} +${r.nodes.length - 4}` : r.nodes.map(safeLine).join(", ");
    rows.push([safeLine(r.file), r.at.replace("T", " ").slice(0, 19), safeLine(r.command), wrapText(nodes, Math.max(20, width - 90)) || "-", String(r.writes), r.notUndoable ? "no" : "yes"]);
  }
  const out = [`run records in ${safeLine(dir)} (oldest first; \`undo\` alone takes the newest)`, "", ...table(rows)];
  const refused = runs.filter((r) => r.notUndoable);
  if (refused.length) out.push("", ...refused.map((r) => `  ${safeLine(r.file)}: cannot be undone: ${safeLine(r.notUndoable!)}`));
  return out.join("\n") + "\n";
}
