/**
 * `verify --diff` in the text report: per slave and section not in sync, what differs from
 * the master's, read as the plan of the next sync (`+` a row only the master has, `-` a row
 * only the slave has, `~` a row or field changed, `>` a row moved), with each changed field's
 * value on the master and on the slave. Values come from the network: made safe, cut to the
 * width; credential fields are named, never shown.
 */
import type { NodeResult, Report } from "../fleet/report.js";
import { labelOf } from "./symbols.js";
import { visibleWidth } from "./table.js";
import { safeLine } from "../util/safe-text.js";
import type { TextCtx } from "./text-nodes.js";
import { cut } from "./watch.js";

/** How many fields of an added or removed row are listed. */
const ROW_FIELDS_SHOWN = 8;

const quote = (v: string | undefined): string => (v === undefined ? "(none)" : JSON.stringify(v));

/** A changed field: its value on the master, and under it the slave's (each cut to the width). */
function fieldLines(f: Report["FieldDiff"], c: TextCtx, width: number, pad: number): string[] {
  const name = safeLine(f.field).padEnd(pad);
  if (f.hidden) return [`${name}  ${c.s.dim(cut("(a credential: differs, values not shown)", Math.max(8, width - visibleWidth(name) - 2)))}`];
  return [cut(`${name}  master ${safeLine(quote(f.master))}`, width), cut(`${" ".repeat(visibleWidth(name))}  slave  ${safeLine(quote(f.slave))}`, width)];
}

function rowName(x: Report["SectionChange"], c: TextCtx): string {
  const label = x.label !== undefined ? ` ${cut(safeLine(JSON.stringify(x.label)), 60)}` : "";
  const where = x.masterPosition !== undefined ? `row ${x.masterPosition}` : `row ${x.slavePosition}`;
  return `${safeLine(x.subsection ?? "")} ${where}${c.s.dim(label)}`;
}

function changeLines(x: Report["SectionChange"], c: TextCtx, width: number): string[] {
  const ind = "      ";
  const pad = Math.min(16, Math.max(0, ...x.fields.map((f) => visibleWidth(safeLine(f.field)))));
  const fields = (fs: Report["FieldDiff"][]): string[] => fs.flatMap((f) => fieldLines(f, c, width - ind.length, pad).map((l) => ind + l));
  switch (x.op) {
    case "field":
      return fieldLines(x.fields[0]!, c, width - 6, 0).map((l, i) => `    ${i === 0 ? c.s.tone("warn", "~") : " "} ${l}`);
    case "move":
      return [`    ${c.s.tone("warn", ">")} ${rowName(x, c)}: row ${x.slavePosition} on the slave`];
    case "change":
      return [`    ${c.s.tone("warn", "~")} ${rowName(x, c)}${x.slavePosition !== x.masterPosition ? ` (row ${x.slavePosition} on the slave)` : ""}`, ...fields(x.fields)];
    default: {
      const only = x.op === "add" ? "only on the master" : "only on the slave";
      const set = x.fields.filter((f) => f.hidden || (x.op === "add" ? f.master : f.slave));
      const lines = set.slice(0, ROW_FIELDS_SHOWN).map((f) => {
        if (f.hidden) return `${ind}${safeLine(f.field).padEnd(pad)}  ${c.s.dim("(a credential)")}`;
        return ind + cut(`${safeLine(f.field).padEnd(pad)}  ${safeLine(quote(x.op === "add" ? f.master : f.slave))}`, width - ind.length);
      });
      if (set.length > ROW_FIELDS_SHOWN) lines.push(`${ind}${c.g.ellipsis} ${set.length - ROW_FIELDS_SHOWN} more fields`);
      return [`    ${x.op === "add" ? c.s.tone("ok", "+") : c.s.tone("bad", "-")} ${rowName(x, c)} ${only}`, ...lines];
    }
  }
}

function sectionLines(n: NodeResult, d: Report["SectionDiff"], c: TextCtx): string[] {
  const head = `  ${c.s.bold(safeLine(n.name))}  ${safeLine(d.section)}  ${labelOf(d.status)}`;
  if (d.missingOnSlave) return [`${head}: the slave has no such section`];
  if (d.changes.length === 0) return [`${head}: ${c.s.dim("no difference once ids are ignored")}`];
  const out = [head, ...d.changes.flatMap((x) => changeLines(x, c, c.width))];
  if (d.more) out.push(`    ${c.g.ellipsis} ${d.more} more change${d.more === 1 ? "" : "s"} (all of them: -o json)`);
  return out;
}

/** The "Differences" block; empty when no slave carries a diff. */
export function diffBlock(nodes: readonly NodeResult[], c: TextCtx): string[] {
  const with_ = nodes.filter((n) => n.diff !== undefined);
  if (with_.length === 0) return [];
  const body = with_.flatMap((n) => n.diff!.flatMap((d) => sectionLines(n, d, c)));
  const title = `${c.s.bold("Differences")} ${c.s.dim("(as the next sync would change the slave: + only on the master, - only on the slave, ~ changed, > moved)")}`;
  return [title, ...(body.length ? body : [`  ${c.s.dim("none: no section differs")}`])];
}
