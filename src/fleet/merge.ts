/**
 * `report merge`: the JSON reports of the N shards of one run (`--shard I/N`) become one
 * report, as if one job had done the whole fleet, with the exit code that report means.
 *
 * Rules (decided here, explained in docs/large-fleets.md):
 * - Refused (exit 2, nothing merged): reports of different commands, inventory file names,
 *   masters, shard counts or dry-run modes; a report without `shard`; two DIFFERENT reports of the same
 *   shard (a rerun: pass the one you mean); one slave in two shards' reports (the shards were
 *   not cut from the same inventory). Picking one silently could hide a failure.
 * - Deduplicated: the same report given twice (same shard, same run) counts once, with a note.
 * - Failing (exit 1, still merged): a shard with no report (named), a file holding an error
 *   envelope (the shard stopped; named with its error), and whatever the shards' nodes say.
 */
import { FleetError } from "../errors.js";
import { mergePhases, orderNodes } from "./merge-phases.js";
import { exitCodeOf, summarize, type Report, type RunReport } from "./report.js";

/** One input file, read and validated. */
export type MergePart = { file: string; report: RunReport } | { file: string; envelope: Report["ErrorEnvelope"] };

function refuse(message: string, hint: string): never {
  throw new FleetError("USAGE", message, { hint });
}

/** Checks that every report belongs to one sharded run; returns the shard count. */
function checkSameRun(reports: { file: string; report: RunReport }[]): number {
  const first = reports[0]!;
  const unsharded = reports.find((p) => !p.report.shard);
  if (unsharded) refuse(`${unsharded.file} is not a shard's report (it has no "shard" field)`, "report merge joins the -o json reports of join-slave / verify / apply runs with --shard I/N");
  const same: [string, (r: RunReport) => unknown][] = [
    ["command", (r) => r.command],
    // The file name, not its folder: N runners or pods check the repository out to different
    // folders. Another fleet shows in its master (name and address) or its file name.
    ["inventory", (r) => r.inventory.split(/[\\/]/).pop()],
    ["master", (r) => `${r.master.name} ${r.master.address}`],
    ["shard count", (r) => r.shard!.count],
    ["dry-run mode", (r) => r.dryRun],
  ];
  for (const [what, key] of same) {
    const other = reports.find((p) => key(p.report) !== key(first.report));
    if (other) refuse(`${first.file} and ${other.file} are not shards of one run: their ${what} differs (${String(key(first.report))} / ${String(key(other.report))})`, "merge the reports of one command over one inventory, cut with the same --shard I/N");
  }
  return first.report.shard!.count;
}

/** Keeps one report per shard; the same report given twice counts once, different ones are refused. */
function onePerShard(reports: { file: string; report: RunReport }[], notes: string[]): { file: string; report: RunReport }[] {
  const kept = new Map<number, { file: string; report: RunReport }>();
  for (const p of reports) {
    const i = p.report.shard!.index;
    const seen = kept.get(i);
    if (!seen) kept.set(i, p);
    else if (JSON.stringify(seen.report) === JSON.stringify(p.report)) notes.push(`${p.file} is the same report as ${seen.file} (shard ${i}/${p.report.shard!.count}): counted once`);
    else refuse(`${seen.file} and ${p.file} are two different runs of shard ${i}/${p.report.shard!.count}`, "pass one report per shard (e.g. only the rerun's)");
  }
  const out = [...kept.values()].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
  const where = new Map<string, string>();
  for (const p of out) {
    for (const n of p.report.nodes.concat((p.report.phases ?? []).flatMap((ph) => ph.nodes))) {
      if (n.role === "master") continue;
      const label = `shard ${p.report.shard!.index}/${p.report.shard!.count} (${p.file})`;
      const prev = where.get(n.name);
      if (prev && prev !== label) refuse(`${n.name} is in ${prev} and in ${label}`, "the shards were not cut from the same inventory and version: run every shard again from one inventory");
      where.set(n.name, label);
    }
  }
  return out;
}

/** Merges the parts of one sharded run into one report (throws a USAGE FleetError when they cannot be merged). */
export function mergeReports(parts: readonly MergePart[]): RunReport {
  const reports = parts.flatMap((p) => ("report" in p ? [p] : []));
  const envelopes = parts.flatMap((p) => ("envelope" in p ? [p] : []));
  if (reports.length === 0) {
    const why = envelopes.map((e) => `${e.file}: ${e.envelope.error.code}: ${e.envelope.error.message}`);
    throw new FleetError("SHARD_FAILED", "no shard produced a report: every file holds an error envelope", { details: why, hint: "fix the error the shards stopped with and run them again" });
  }
  const count = checkSameRun(reports);
  const command = reports[0]!.report.command;
  const foreign = envelopes.find((e) => e.envelope.command !== "" && e.envelope.command !== command);
  if (foreign) refuse(`${foreign.file} is an error envelope of ${foreign.envelope.command}, the reports are of ${command}`, "merge the reports of one command");
  const notes: string[] = [];
  const kept = onePerShard(reports, notes);
  const present = new Set(kept.map((p) => p.report.shard!.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !present.has(i));
  const failed = envelopes.map((e) => ({ file: e.file, error: { code: e.envelope.error.code, message: e.envelope.error.message, ...(e.envelope.error.hint ? { hint: e.envelope.error.hint } : {}) } }));
  const merged: Report["MergeInfo"] = {
    count,
    shards: kept.map(({ file, report: r }) => ({ index: r.shard!.index, file, exitCode: r.exitCode, nodes: r.nodes.length, ...(r.runRecord ? { runRecord: r.runRecord } : {}) })),
    missing,
    failed,
  };
  const head = [`merged ${kept.length} of ${count} shard report(s) of ${command}`];
  if (missing.length) head.push(`no report for shard ${missing.map((i) => `${i}/${count}`).join(", ")}: its slaves are not in this report`);
  for (const f of failed) head.push(`${f.file}: a shard stopped with an error (${f.error.code}): ${f.error.message}`);
  const shardNotes = [...new Set(kept.flatMap((p) => p.report.notes ?? []))];
  const records = kept.filter((p) => p.report.runRecord).map((p) => `shard ${p.report.shard!.index}/${count}: ${p.report.runRecord}`);
  if (records.length) notes.push(`run records (previous values) stay on each shard's machine: ${records.join("; ")}`);

  const rs = kept.map((p) => p.report);
  const nodes = orderNodes(rs.flatMap((r) => r.nodes));
  const startedAt = rs.map((r) => r.startedAt).sort()[0]!;
  const finishedAt = rs.map((r) => r.finishedAt).sort().at(-1)!;
  const phases = rs.some((r) => r.phases) ? mergePhases(kept, notes) : undefined;
  const report: RunReport = {
    schemaVersion: 1,
    command,
    ok: false,
    exitCode: 0,
    dryRun: rs[0]!.dryRun,
    changes: rs.some((r) => r.changes),
    interrupted: rs.some((r) => r.interrupted) || envelopes.some((e) => e.envelope.error.code === "INTERRUPTED"),
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    inventory: rs[0]!.inventory,
    master: rs[0]!.master,
    nodes,
    summary: summarize(nodes),
    ...(phases ? { phases } : {}),
    notes: [...head, ...notes, ...shardNotes],
    merged,
  };
  // Dry runs: one plan, the shards' restarts in the merged report's order (flags are the same per job).
  const plans = rs.flatMap((r) => (r.plan ? [r.plan] : []));
  if (plans.length) {
    const restart = new Set(plans.flatMap((p) => p.restart));
    report.plan = { ...plans[0]!, restart: [...new Set(nodes.map((n) => n.name))].filter((n) => restart.has(n)) };
  }
  // --detailed-exitcode is the shards' choice: a shard with changes that exited 3 used it.
  const detailed = rs.some((r) => r.changes && r.exitCode === 3);
  let code = exitCodeOf(report, detailed);
  // 2 (the master refused the login, nothing written) only when no shard wrote anything.
  if (code === 2 && rs.some((r) => r.runRecord)) code = 1;
  if ((code === 0 || code === 3) && (missing.length > 0 || failed.length > 0 || rs.some((r) => r.exitCode === 1))) code = 1;
  report.exitCode = code;
  report.ok = code === 0 || code === 3;
  return report;
}
