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
/** The type of one definition of the report schema. */
type Def<N extends keyof Definitions> = FromSchema<Definitions[N], Definitions, { ErrorCode: ErrorCode }>;

export type FleetCommand = Def<"FleetCommand">;
/** Every status a node can end a command in (each command's own are listed in report-schema.ts). */
export type NodeStatus = Def<"NodeStatus">;
/** join-slave, per slave (also `join` of apply and promote). */
export type JoinStatus = Def<"JoinStatus">;
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];
export type SectionStatus = Def<"SectionStatus">;
/** A node's failure: its code, the message, what to do next. */
export type NodeErrorInfo = Def<"NodeError">;
/** The fix for a slave whose sync the master refuses: `allow` (the command to run), or a deny row to change. */
export type SyncRefused = Def<"SyncRefused">;
/** MASTER_IP / MASTER_PORT as read or written. */
export type MasterPointer = Def<"MasterPointer">;
/** An access row as reports show it (secrets never included). */
export type RowSummary = Def<"RowSummary">;
/** One section of a slave's policy, compared with the master's. */
export type SectionResult = Def<"SectionResult">;
/** The sync activity read from a slave's log. */
export type SyncInfo = Def<"SyncInfo">;
/** One field that differs: its value on the master and on the slave (absent: not there). */
export type FieldDiff = Def<"FieldDiff">;
/** One difference in a section, read as the plan of the next sync. */
export type SectionChange = Def<"SectionChange">;
/** The differences of one section that is not in sync (`verify --diff`). */
export type SectionDiff = Def<"SectionDiff">;
/** One node's result: what every runner returns per node. */
export type NodeResult = Def<"Node">;
/** One phase of apply, promote or detach, with its nodes. */
export type PhaseReport = Def<"Phase">;
/** The report of one run: what `-o json` prints, and what the text and JUnit views show. */
export type RunReport = Def<"RunReport">;
/** What the inventory must say after `promote`. */
export type InventoryChange = NonNullable<RunReport["inventoryChange"]>;
/** What a dry run of join-slave or apply says the real run would do beyond the values it writes. */
export type RunPlan = Def<"RunPlan">;
/** Where a merged report's parts came from (`safesquid-fleet report merge`). */
export type MergeInfo = Def<"MergeInfo">;
/** The error envelope `-o json` prints when a run stops before it can report per node. */
export type ErrorEnvelope = Def<"ErrorEnvelope">;
/** The document of `undo --list -o json`. */
export type RunList = Def<"RunList">;
/** One line of `undo --list`. */
export type RunSummary = RunList["runs"][number];
/** The exit codes a run report can carry. */
export type ExitCode = RunReport["exitCode"];

/** The commands whose nodes one table shows (apply and promote show their phases). */
export type BodyCommand = Exclude<FleetCommand, "apply" | "promote">;

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
