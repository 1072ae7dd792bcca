/**
 * The text report (the default `-o text`): a header line, a table per command (the allow row
 * before and after; verify's slave × section grid), what needs attention with the next step,
 * the warnings, and the recap. Plain aligned columns; with colour off there is not one escape
 * code in it, and every value from the network or the inventory is made safe first.
 */
import { bodyCommandOf, type BodyCommand, type NodeResult, type RunReport } from "../fleet/report.js";
import { formatDuration } from "../util/duration.js";
import { glyphsFor, styleFor, unicodeSupported } from "./symbols.js";
import { visibleWidth, wrapText } from "./table.js";
import { safeLine } from "../util/safe-text.js";
import { allSectionsFine, collapsedGrid, gridLegend, sectionNames } from "./text-grid.js";
import { diffBlock } from "./text-diff.js";
import { allowBlock, joinTable, restartTable, undoTable, verifyTable, type TextCtx } from "./text-nodes.js";
import { attentionBlock, attentionRecap, countsLine, needsAttention, warningLines, warningsBlock } from "./text-recap.js";
import { planBlock } from "./text-plan.js";

export interface TextOptions {
  /** Colour the report (pass `chalk.level > 0`: setupColor has applied NO_COLOR / --no-color). */
  color: boolean;
  /** Columns to fit (process.stdout.columns on a terminal). Default 100. */
  width?: number;
  /** Unicode symbols, else ASCII. Default: what the terminal and locale can show. */
  unicode?: boolean;
  /** verify --summary: one line per slave, no section grid. */
  summary?: boolean;
}

/** Renders a run report as the text a person reads at a terminal. */
export function renderText(report: RunReport, opts: TextOptions): string {
  const c: TextCtx = { s: styleFor(opts.color), g: glyphsFor(opts.unicode ?? unicodeSupported()), width: Math.max(40, opts.width ?? 100) };
  const out: string[] = [header(report, c), ""];
  const attention: { node: NodeResult; phase?: string }[] = [];
  let warned: NodeResult[] = [];
  if (report.phases) {
    for (const p of report.phases) {
      out.push(c.s.bold(p.command), ...phaseBody(p, c, noNodes(report)), "");
      attention.push(...p.nodes.filter(needsAttention).map((node) => ({ node, phase: p.command })));
      // A skipped phase says why once, in its own line; its slaves do not repeat it.
      if (p.skipped === undefined) warned = warned.concat(p.nodes);
    }
  } else {
    out.push(...body(bodyCommandOf(report), report.nodes, c, noNodes(report), opts.summary === true), "");
    const diff = diffBlock(report.nodes, c);
    if (diff.length) out.push(...diff, "");
    attention.push(...report.nodes.filter(needsAttention).map((node) => ({ node })));
    warned = report.nodes;
  }
  // Each thing said once: a node that needs attention carries its warnings there.
  const said = new Set(warningLines(attention.map((a) => a.node)));
  for (const block of [attentionBlock(attention, c), warningsBlock(warned, c, said), planBlock(report.plan, c)]) if (block.length) out.push(...block, "");
  for (const note of report.notes ?? []) out.push(...labelled(c, "note: ", safeLine(note)));
  // A path is never cut: when it does not fit after its label it gets a line of its own.
  if (report.runRecord) out.push(...labelled(c, "run record (previous values): ", safeLine(report.runRecord)));
  if (report.notes?.length || report.runRecord) out.push("");
  if (report.inventoryChange) out.push(...inventoryBlock(report.inventoryChange, c), "");
  out.push(...recap(report, c));
  return out.join("\n") + "\n";
}

/** promote: the inventory change to make (or made). */
function inventoryBlock(ch: NonNullable<RunReport["inventoryChange"]>, c: TextCtx): string[] {
  const out = [c.s.bold(ch.written ? `Inventory change (written to ${safeLine(ch.written)})` : "Inventory change to make (or run again with --write-inventory FILE)")];
  out.push(`  master: ${safeLine(ch.master.from)} ${c.g.arrow} ${safeLine(ch.master.to)}`);
  for (const n of ch.removedSlaves) out.push(`  slaves: ${safeLine(n)} leaves the list (it is the master now)`);
  out.push(`  ${safeLine(ch.master.from)} leaves the fleet (make it a slave of ${safeLine(ch.master.to)} later, if it comes back)`);
  if (ch.yaml && !ch.written) out.push("", c.s.dim("  the new inventory:"), ...ch.yaml.trimEnd().split("\n").map((l) => `    ${safeLine(l)}`));
  return out;
}

/** "label: text" wrapped at word boundaries to the width; a single long word (a path) goes on its own line. */
function labelled(c: TextCtx, label: string, text: string, indent = ""): string[] {
  const room = c.width - indent.length;
  if (label.length + visibleWidth(text) <= room) return [indent + c.s.dim(label.trimEnd()) + " " + text];
  if (!text.includes(" ")) return [indent + c.s.dim(label.trimEnd()), indent + "  " + text];
  const [first, ...more] = wrapText(label + text, room - 2).split("\n");
  return [indent + c.s.dim(label.trimEnd()) + " " + first!.slice(label.length), ...more.map((l) => indent + "  " + l)];
}

function header(r: RunReport, c: TextCtx): string {
  const parts = [c.s.bold(r.command) + (r.dryRun ? c.s.tone("warn", " (dry run)") : "")];
  parts.push(`${c.s.dim("master")} ${safeLine(r.master.name)} ${safeLine(r.master.address)}`);
  parts.push(`${c.s.dim("inventory")} ${safeLine(r.inventory)}`);
  if (r.shard) parts.push(`${c.s.dim("shard")} ${r.shard.index}/${r.shard.count}`);
  if (r.merged) parts.push(`${c.s.dim("merged")} ${r.merged.shards.length} of ${r.merged.count} shards`);
  // Cut between its parts where it would not fit the width (a long inventory path).
  const sep = `  ${c.s.dim(c.g.sep)}  `;
  const lines: string[] = [];
  for (const part of parts) {
    const cur = lines.at(-1);
    if (cur !== undefined && visibleWidth(cur + sep + part) <= c.width) lines[lines.length - 1] = cur + sep + part;
    else lines.push(cur === undefined ? part : "  " + part);
  }
  return lines.join("\n");
}

/** Why a report has no node to show: an empty shard, shards that held none, or an empty selection. */
function noNodes(r: RunReport): string {
  if (r.merged) return `no slaves: the merged reports hold none (${r.merged.shards.length} of ${r.merged.count} shards)`;
  if (r.shard) return `no slaves: shard ${r.shard.index}/${r.shard.count} holds none of the selected slaves`;
  return "no slaves selected";
}

function body(command: BodyCommand, nodes: readonly NodeResult[], c: TextCtx, empty: string, summary = false): string[] {
  if (nodes.length === 0) return ["  " + c.s.dim(empty)];
  if (command === "allow") return allowBlock(nodes, c);
  if (command === "join-slave") return joinTable(nodes, c);
  if (command === "restart") return restartTable(nodes, c);
  if (command === "undo") return undoTable(nodes, c);
  if (command === "detach") {
    const masters = nodes.filter((n) => n.role === "master");
    const slaves = joinTable(nodes.filter((n) => n.role === "slave"), c);
    return masters.length ? [...slaves, "", ...allowBlock(masters, c)] : slaves;
  }
  if (summary) return verifyTable(nodes, c, true);
  const grid = collapsedGrid(nodes, c);
  const legend = sectionNames(nodes.filter((n) => !allSectionsFine(n))).length ? ["", gridLegend(c)] : [];
  return grid.length ? [...verifyTable(nodes, c), "", ...grid, ...legend] : verifyTable(nodes, c);
}

function phaseBody(p: NonNullable<RunReport["phases"]>[number], c: TextCtx, empty: string): string[] {
  if (p.skipped !== undefined) return ["  " + c.s.dim("skipped: ") + safeLine(p.skipped)];
  return body(p.command, p.nodes, c, empty);
}

function recap(r: RunReport, c: TextCtx): string[] {
  const tail = (r.dryRun ? " (dry run: nothing was changed)" : "") + `  ${c.s.dim(c.g.sep)}  ${formatDuration(r.durationMs)}`;
  const lead = r.interrupted ? c.s.tone("bad", "interrupted") + " before the run finished: " : "";
  const all = r.phases ? r.phases.flatMap((p) => p.nodes) : r.nodes;
  // Green only when nothing is left to do: a run that succeeded with warnings (a slave joined
  // but refused by the master) says how many, and the one thing to run next.
  const whole = attentionRecap(all);
  const mark = !r.ok ? c.s.tone("bad", c.g.bad) : whole.warnings || whole.parts.length ? c.s.tone("warn", c.g.warning) : c.s.tone("ok", c.g.ok);
  const counts = (command: BodyCommand, nodes: readonly NodeResult[]): string => {
    const a = attentionRecap(nodes);
    // On a failed run "Needs attention" leads; the count matters where the mark alone is not red.
    const extra = r.ok && a.warnings ? ` (${a.warnings} ${a.warnings === 1 ? "warning" : "warnings"})` : "";
    return [countsLine(command, nodes, c), ...a.parts].join(", ") + extra;
  };
  // A failed run's nodes say their next step under "Needs attention"; the recap does not repeat it.
  const next = r.ok ? whole.next.flatMap((n) => labelled(c, "next: ", n, "  ")) : [];
  if (r.phases) {
    const lines = r.phases.map((p) => `  ${p.command}: ${p.skipped !== undefined ? `skipped: ${safeLine(p.skipped)}` : counts(p.command, p.nodes)}`);
    return [`${mark} ${lead}${r.command}${tail}`, ...lines, ...next];
  }
  return [`${mark} ${lead}${counts(bodyCommandOf(r), r.nodes)}${tail}`, ...next];
}
