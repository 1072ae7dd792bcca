/**
 * The report every fleet command returns: plain data, never printed here. Renderers in
 * src/report/ turn it into text, JSON (docs/output.md "`-o json`") or JUnit. Statuses and exit codes
 * are docs/output.md's ("Exit codes").
 */
import type { ErrorCode } from "../errors.js";

export type FleetCommand = "join-slave" | "allow" | "verify" | "apply" | "undo" | "restart" | "detach" | "promote";

export type JoinStatus = "joined" | "unchanged" | "planned" | "failed" | "rolled_back" | "skipped";
export type AllowStatus = "updated" | "unchanged" | "planned" | "failed";
export type VerifyStatus = "in_sync" | "out_of_sync" | "pending" | "not_joined" | "unreachable";
export type SectionStatus = "in_sync" | "out_of_sync" | "pending" | "excluded" | "unknown";
/** undo, per node: put back as before the run, already as before, changed since (nothing written), failed. */
export type UndoStatus = "restored" | "unchanged" | "conflict" | "planned" | "failed" | "skipped";
export type RestartStatus = "restarted" | "planned" | "failed" | "skipped";
export type DetachStatus = "detached" | "unchanged" | "planned" | "failed" | "skipped";
/** promote, the new master: made stand-alone with the slaves' allow row. */
export type PromoteStatus = "promoted" | "unchanged" | "planned" | "failed";
export type NodeStatus = JoinStatus | AllowStatus | VerifyStatus | UndoStatus | RestartStatus | DetachStatus | PromoteStatus;

export interface NodeErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** The fix for a slave whose sync the master refuses: `allow` (the command to run), or a deny row to change. */
export interface SyncRefused {
  fix: "allow" | "deny_row";
  /** The command line that applies the fix, runnable as printed (keeps `-i FILE`). */
  command?: string;
}

/** MASTER_IP / MASTER_PORT as read or written. */
export interface MasterPointer {
  MASTER_IP: string;
  MASTER_PORT: string;
}

/** An access row as reports show it (secrets never included). */
export interface RowSummary {
  id?: string;
  position: number;
  enabled: boolean;
  ip: string[];
  access: string[];
  pamauth: boolean;
  username?: string;
  userGroups: string[];
  comment: string;
}

export interface SectionResult {
  name: string;
  status: SectionStatus;
  /** Why, when it is not in sync ("differs from the master for 3m", "in NEVER_SYNC"). */
  detail?: string;
}

/** The sync activity read from a slave's log. */
export interface SyncInfo {
  /** `ip:port` of the last attempt. */
  target: string;
  /** When the last attempt was logged: ISO 8601 with offset (the node's clock, its log read as UTC). */
  at: string;
  /** The log line's timestamp as the node wrote it (`YYYY MM DD HH:MM:SS.mmm`, no zone). */
  stamp: string;
  /** How long before the slave was read that attempt was (its clock's offset from the Date header taken out). */
  ageMs?: number;
  /** "attempted": the last attempt has neither taken sections nor (as far as the log says) failed. */
  outcome: "synchronized" | "no_changes" | "failed" | "attempted";
  reason?: string;
  /** Sections named by the last successful sync with sections. */
  sections?: string[];
  /**
   * When the slave last took sections from this master (the vendor's `synchronizing with`
   * line naming it, then `synchronized section:` lines), converted to this machine's clock
   * with the node's offset; absent when its log does not show one (docs/monitoring.md).
   */
  lastSyncedAt?: string;
}

/** One field that differs: its value on the master and on the slave (absent: not there). */
export interface FieldDiff {
  field: string;
  master?: string;
  slave?: string;
  /** A credential field: the values are never shown, only that they differ. */
  hidden?: true;
}

/**
 * One difference in a section, read as the plan of the next sync (what it would do to the
 * slave): `add` a row only the master has, `remove` a row only the slave has, `change` the
 * fields of a row both have at that place, `move` a row both have elsewhere; `field` a global
 * field of the section. Rows are compared in canonical form, ids ignored.
 */
export interface SectionChange {
  op: "add" | "remove" | "change" | "move" | "field";
  /** The subsection (element name) of a row: "allow", "deny"... */
  subsection?: string;
  /** 1-based place of the row among its subsection's rows, on the master and on the slave. */
  masterPosition?: number;
  slavePosition?: number;
  /** The row's comment, to recognise it. */
  label?: string;
  /** change and field: what differs; add and remove: the row's fields. */
  fields: FieldDiff[];
}

/** The differences of one section that is not in sync (`verify --diff`). */
export interface SectionDiff {
  section: string;
  status: SectionStatus;
  /** The slave has no such section at all. */
  missingOnSlave?: true;
  changes: SectionChange[];
  /** How many more changes there are beyond those listed. */
  more?: number;
}

export interface NodeResult {
  name: string;
  role: "master" | "slave";
  /** host:port as the inventory gives it. */
  address: string;
  status: NodeStatus;
  error?: NodeErrorInfo;
  /** Sentences the user should act on. */
  warnings?: string[];
  /** What was done, in order ("params written", "restarted", ...), for the recap. */
  steps?: string[];
  durationMs: number;
  // join-slave
  current?: MasterPointer;
  planned?: MasterPointer;
  /** Why a node was rolled back, and whether its previous values are in effect again. */
  rollback?: { reason: string; restored: boolean };
  /** The change is written and saved but waits for a restart (--no-restart). */
  pendingRestart?: boolean;
  /**
   * A failed join: MASTER_IP / MASTER_PORT as the tool last read them on the node, with no
   * write since (what it was left with); absent when a write's outcome is not known.
   */
  left?: MasterPointer;
  // allow
  row?: { before?: RowSummary; after?: RowSummary; moves: string[]; writes: number };
  // verify
  joined?: boolean;
  sync?: SyncInfo;
  sections?: SectionResult[];
  /**
   * Joined (its parameters name this master) but not syncing: the master refuses it. The README
   * keeps such a slave `joined` in join-slave (the vendor's order allows it after the join);
   * this says so as data, with the fix, for the recap and for scripts.
   */
  syncRefused?: SyncRefused;
  /** verify --diff: what differs, per section not in sync. */
  diff?: SectionDiff[];
  /** For apply and promote: the slave's join-slave result, its verify result being `status`. */
  join?: { status: JoinStatus; warnings?: string[]; error?: NodeErrorInfo; rollback?: { reason: string; restored: boolean }; left?: MasterPointer; syncRefused?: SyncRefused };
  /** join-slave: the other master this slave is joined to now ("ip:port"); moving it needs --move. */
  joinedTo?: string;
  /** undo: what the run being undone changed on this node, in words ("MASTER_IP:MASTER_PORT (none) -> 10.0.0.10:8080, restarted"). */
  changes?: string[];
}

/** The commands whose nodes one table shows (apply and promote show their phases). */
export type BodyCommand = Exclude<FleetCommand, "apply" | "promote">;

/** The table a report's nodes are shown in when it has no phases. */
export function bodyCommandOf(r: Pick<RunReport, "command">): BodyCommand {
  return r.command === "apply" || r.command === "promote" ? "verify" : r.command;
}

export interface PhaseReport {
  command: "join-slave" | "allow" | "verify" | "detach";
  ok: boolean;
  durationMs: number;
  nodes: NodeResult[];
  /** Set when the phase did not run ("stopped after allow: ..."). */
  skipped?: string;
}

export interface RunReport {
  schemaVersion: 1;
  command: FleetCommand;
  ok: boolean;
  exitCode: number;
  dryRun: boolean;
  /** Dry runs: would anything change? (--detailed-exitcode gives 3 when true). */
  changes: boolean;
  interrupted: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  inventory: string;
  master: { name: string; address: string };
  shard?: { index: number; count: number };
  nodes: NodeResult[];
  /** How many nodes ended in each status. */
  summary: Record<string, number>;
  /** apply: the three phases in order. */
  phases?: PhaseReport[];
  /** Notes about the run as a whole (e.g. "join and verify only: allow runs before the shards"). */
  notes?: string[];
  /** Where this run's record of previous values is, when anything was written. */
  runRecord?: string;
  /** `report merge`: the shard reports this report was merged from, and what was missing. */
  merged?: MergeInfo;
  /** `undo`: the run record that was undone. */
  undone?: { runRecord: string; command: string; startedAt: string };
  /** `promote`: the inventory change the user must make (or that --write-inventory made). */
  inventoryChange?: InventoryChange;
  /** Dry runs of join-slave and apply: what the real run would also do (restarts, questions). */
  plan?: RunPlan;
}

/** What the inventory must say after `promote`. */
export interface InventoryChange {
  /** The master before and after, by name. */
  master: { from: string; to: string };
  /** The promoted slave leaves `slaves`; the old master leaves the fleet. */
  removedSlaves: string[];
  /** Where --write-inventory wrote the new inventory. */
  written?: string;
  /** The new inventory as YAML (when not written). */
  yaml?: string;
}

/**
 * What a dry run of join-slave or apply says the real run would do beyond the values it
 * writes: which slaves it restarts (proxy traffic through each stops while it restarts), and
 * how the questions before the restarts would be answered.
 */
export interface RunPlan {
  /** The slaves the real run would restart, in order. Empty with --no-restart. */
  restart: string[];
  /** How many slaves restart at once (--concurrency). */
  concurrency: number;
  /** --no-restart: the new values are written and saved, and take effect at each slave's next restart. */
  noRestart: boolean;
  /** The question before the restarts: "ask" on a terminal (without one the run stops and names --yes), or "yes" (--yes). */
  confirm: "ask" | "yes";
  /** The cloud backup before each restart: "yes", "no", or "ask" (on a terminal; --yes does not answer it). */
  cloudBackup: "yes" | "no" | "ask";
  /** The flag that decided cloudBackup; absent: the terminal (asked) or its absence (no backup). */
  cloudBackupBy?: "--backup-to-cloud" | "--no-backup-to-cloud" | "--no-restart";
}

/** Where a merged report's parts came from (`safesquid-fleet report merge`). */
export interface MergeInfo {
  /** N: how many shards the run was cut into. */
  count: number;
  /** The shard reports merged, by shard index. */
  shards: { index: number; file: string; exitCode: number; nodes: number; runRecord?: string }[];
  /** Shard indexes (1-based) no report was given for. */
  missing: number[];
  /** Files holding an error envelope: a shard that stopped before it could report per node. */
  failed: { file: string; error: NodeErrorInfo }[];
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
export function exitCodeOf(r: Pick<RunReport, "nodes" | "interrupted" | "dryRun" | "changes" | "phases" | "runRecord">, detailedExitcode = false): number {
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
