/**
 * The report every fleet command returns: plain data, never printed here. Renderers in
 * src/report/ turn it into text, JSON (docs/output.md "`-o json`") or JUnit. Statuses and exit codes
 * are docs/output.md's ("Exit codes").
 */
import type { ErrorCode } from "../errors.js";
import type { FromSchema } from "../util/from-schema.js";
import type { reportSchema, VERIFY_STATUSES } from "./report-schema.js";

// The report's types are made from its schema, the one place a field is declared
// (src/fleet/report-schema.ts; docs/development.md "Adding a field to the report"). Error codes
// are held to ErrorCode here, where the published schema stays open to codes added later.
type Definitions = (typeof reportSchema)["definitions"];

/**
 * The report's types, by the name of their definition in the schema, where each is explained:
 * `Report["SectionDiff"]` is the type of `definitions.SectionDiff`.
 */
export type Report = { [N in keyof Definitions]: FromSchema<Definitions[N], Definitions, { ErrorCode: ErrorCode }> };

// The two types every layer speaks of have a name of their own.
/** One node's result: what every runner returns per node (the schema's `Node`). */
export type NodeResult = Report["Node"];
/** The report of one run: what `-o json` prints, and what the text and JUnit views show. */
export type RunReport = Report["RunReport"];

// Narrower types the code holds to, made from those.
/** verify's statuses, per slave. */
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];
/** What the inventory must say after `promote`. */
export type InventoryChange = NonNullable<RunReport["inventoryChange"]>;
/** One line of `undo --list`. */
export type RunSummary = Report["RunList"]["runs"][number];
/** The exit codes a run report can carry. */
export type ExitCode = RunReport["exitCode"];

/** The commands whose nodes one table shows (apply and promote show their phases). */
export type BodyCommand = Exclude<Report["FleetCommand"], "apply" | "promote">;

/** The table a report's nodes are shown in when it has no phases. */
export function bodyCommandOf(r: Pick<RunReport, "command">): BodyCommand {
  return r.command === "apply" || r.command === "promote" ? "verify" : r.command;
}

/** Statuses that make a run fail (exit 1). */
export const FAILING: ReadonlySet<string> = new Set(["failed", "rolled_back", "unreachable", "out_of_sync", "pending", "not_joined", "conflict"]);

/** Statuses that mean "would change" in a dry run. */
export const CHANGING: ReadonlySet<string> = new Set(["planned"]);

/** Counts nodes by status. */
export function summarize(nodes: readonly NodeResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nodes) out[n.status] = (out[n.status] ?? 0) + 1;
  return out;
}

/**
 * The exit code a report means (docs/output.md "Exit codes"): 130 interrupted; 2 when the master
 * refused the tool's login before anything was written (no run record: nothing could be done,
 * as with a password missing from the inventory); 1 when a node failed, was rolled back, is
 * unreachable or not in sync; 3 for a dry run with changes under --detailed-exitcode; else 0.
 */
export function exitCodeOf(r: Pick<RunReport, "nodes" | "interrupted" | "dryRun" | "changes" | "phases" | "runRecord">, detailedExitcode = false): ExitCode {
  if (r.interrupted) return 130;
  const all = [...r.nodes, ...(r.phases ?? []).flatMap((p) => p.nodes)];
  if (!r.runRecord && all.some((n) => n.role === "master" && n.error?.code === "BAD_CREDENTIALS")) return 2;
  if (all.some((n) => FAILING.has(n.status) || (n.join && FAILING.has(n.join.status)))) return 1;
  // A phase that did not run (a dry run's verify) is no failure of its own; a phase that was
  // stopped shows its failure in its nodes.
  if (r.phases?.some((p) => !p.ok && !p.skipped)) return 1;
  if (r.dryRun && detailedExitcode && r.changes) return 3;
  return 0;
}
