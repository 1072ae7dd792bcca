/**
 * verify's slave × section grid: one symbol per cell, readable without colour. About 30
 * sections do not fit one screen, so the grid is cut into blocks of columns that each fit the
 * width (the slave names repeat), the way wide tables are printed by data tools. A slave whose
 * every section is in sync (or excluded) has nothing to show there: it is collapsed into one
 * line under the grid, so a large fleet's grid shows only the slaves that need a look.
 */
import type { NodeResult } from "../fleet/report.js";
import { glyphOf, labelOf, toneOf } from "./symbols.js";
import { pad, table, truncate, visibleWidth } from "./table.js";
import { safeLine } from "../util/safe-text.js";
import type { TextCtx } from "./text-nodes.js";

const SECTION_STATUSES = ["in_sync", "out_of_sync", "pending", "excluded", "unknown"] as const;

/** The section names reported by any slave, in order of first appearance. */
export function sectionNames(nodes: readonly NodeResult[]): string[] {
  const seen = new Set<string>();
  for (const n of nodes) for (const s of n.sections ?? []) seen.add(s.name);
  return [...seen];
}

/** Is every section the slave reported in sync or excluded? (false when it reported none) */
export function allSectionsFine(n: NodeResult): boolean {
  const secs = n.sections ?? [];
  return secs.length > 0 && secs.every((s) => s.status === "in_sync" || s.status === "excluded");
}

/** The grid of the slaves that have a section to show, and the line naming the slaves collapsed. */
export function collapsedGrid(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const fine = nodes.filter(allSectionsFine);
  const shown = nodes.filter((n) => !allSectionsFine(n));
  const grid = sectionGrid(shown, c);
  if (fine.length === 0) return grid;
  const names = fine.slice(0, 10).map((n) => safeLine(n.name)).join(", ") + (fine.length > 10 ? ` and ${fine.length - 10} more` : "");
  const who = fine.length === nodes.length ? (fine.length === 1 ? "the slave" : `all ${fine.length} slaves`) : `${fine.length} slave${fine.length === 1 ? "" : "s"} (${names})`;
  const line = `  ${c.s.tone("ok", c.g.ok)} every section in sync on ${who}${fine.some((n) => n.sections!.some((s) => s.status === "excluded")) ? ", excluded ones aside" : ""}`;
  return grid.length ? [...grid, "", line] : [line];
}

/** The grid, cut into blocks that fit `c.width`; empty when no slave reported sections. */
export function sectionGrid(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const names = sectionNames(nodes);
  if (names.length === 0) return [];
  const headers = names.map(safeLine);
  // A very long name is cut (the table above and -o json have it whole): the grid's blocks need the room.
  const slaves = nodes.map((n) => truncate(safeLine(n.name), Math.max(12, Math.floor(c.width / 3)), c.g.ellipsis));
  const first = Math.max(visibleWidth("SLAVE"), ...slaves.map(visibleWidth));
  const gap = 2;
  const blocks: number[][] = [];
  let used = 2 + first;
  let cur: number[] = [];
  headers.forEach((h, i) => {
    const w = gap + Math.max(1, visibleWidth(h));
    if (cur.length > 0 && used + w > c.width) {
      blocks.push(cur);
      cur = [];
      used = 2 + first;
    }
    cur.push(i);
    used += w;
  });
  blocks.push(cur);
  const out: string[] = [];
  for (const block of blocks) {
    if (out.length) out.push("");
    const rows = [[pad(c.s.dim("SLAVE"), first), ...block.map((i) => c.s.dim(headers[i]!))]];
    nodes.forEach((n, k) => {
      const byName = new Map((n.sections ?? []).map((s) => [s.name, s.status]));
      rows.push([slaves[k]!, ...block.map((i) => cell(byName.get(names[i]!), c))]);
    });
    out.push(...table(rows, { gap }));
  }
  return out;
}

function cell(status: string | undefined, c: TextCtx): string {
  if (status === undefined) return " "; // this slave did not report the section (unreachable...)
  return c.s.tone(toneOf(status), glyphOf(status, c.g));
}

/** The key to the grid's symbols. */
export function gridLegend(c: TextCtx): string {
  const parts = SECTION_STATUSES.map((st) => {
    const label = st === "excluded" ? "excluded (NEVER_SYNC)" : labelOf(st);
    return `${c.s.tone(toneOf(st), glyphOf(st, c.g))} ${label}`;
  });
  return "  " + parts.join("   ");
}
