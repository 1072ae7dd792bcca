/**
 * The short summary of an interrupted run for stderr. When stdout is not a terminal (`apply |
 * tee out.txt`: Ctrl-C kills tee with the tool, so the report on stdout reaches nobody), the
 * person at the terminal still learns what each node was left doing, where the run record
 * is, and what to run next.
 */
import type { NodeResult, RunReport } from "../fleet/report.js";
import { safeLine } from "../util/safe-text.js";

/** How many nodes the summary names before it counts the rest. */
const MAX_NAMED = 10;

/**
 * The summary's lines; `next` is the command to look with, `undo` the one that puts the run
 * back (both keep the user's -i FILE).
 */
export function interruptedSummary(report: RunReport, next: string, undo?: string): string {
  const all = [...report.nodes];
  const cut = all.filter((n) => n.error?.code === "INTERRUPTED" || n.join?.error?.code === "INTERRUPTED");
  const notStarted = all.filter((n) => n.status === "skipped" && !cut.includes(n) && (n.warnings ?? []).some((w) => /interrupted/.test(w)));
  const out = [`interrupted: ${report.command} stopped before it finished (exit ${report.exitCode})`];
  for (const n of cut.slice(0, MAX_NAMED)) out.push(`  ${safeLine(n.name)}: ${safeLine(messageOf(n))}`);
  if (cut.length > MAX_NAMED) out.push(`  ... and ${cut.length - MAX_NAMED} more cut short`);
  if (notStarted.length) out.push(`  not started: ${notStarted.length} slave${notStarted.length === 1 ? "" : "s"}`);
  out.push(`  run record (previous values): ${report.runRecord ? safeLine(report.runRecord) : "none (nothing was written)"}`);
  out.push(`  next: ${next} shows where each node stands`);
  if (undo && report.runRecord) out.push(`  undo: ${undo} puts back what this run changed`);
  return out.join("\n") + "\n";
}

function messageOf(n: NodeResult): string {
  const e = n.error?.code === "INTERRUPTED" ? n.error : n.join?.error;
  return e?.message ?? "interrupted";
}
