/**
 * Hand-built reports for every command and status, shared by the renderer tests. The `FULL_*`
 * values are typed `Required<...>`: when a field is added to the report schema
 * (src/fleet/report-schema.ts, from which the report's types are made), `tsc -p test` fails
 * here until the sample sets it too, and json.test.ts validates it against the schema.
 */
import type { NodeResult, Report, RunReport } from "../../src/fleet/report.js";
import { summarize } from "../../src/fleet/report.js";

export const HOSTILE = "evil\u001b[31mRED\u001b]0;pwned\u0007\u202etxt.exe";

function run(command: RunReport["command"], nodes: NodeResult[], extra: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    command,
    ok: true,
    exitCode: 0,
    dryRun: false,
    changes: false,
    interrupted: false,
    startedAt: "2025-11-26T10:00:00.000Z",
    finishedAt: "2025-11-26T10:01:02.500Z",
    durationMs: 62_500,
    inventory: "safesquid-fleet.yaml",
    master: { name: "hq", address: "10.0.0.10:8080" },
    nodes,
    summary: summarize(nodes),
    ...extra,
  };
}

const slave = (name: string, n: number, rest: Partial<NodeResult>): NodeResult => ({
  name,
  role: "slave",
  address: `10.0.1.${10 + n}:8080`,
  status: "joined",
  durationMs: 12_300,
  ...rest,
});

const OLD = { MASTER_IP: "10.0.0.5", MASTER_PORT: "8080" };
const NEW = { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" };

export const JOIN: RunReport = run(
  "join-slave",
  [
    slave("pune-1", 1, { current: OLD, planned: NEW, steps: ["params written", "saved", "restarted"], warnings: ["the master refuses pune-1 (407): run `safesquid-fleet allow`"] }),
    slave("pune-2", 2, { current: OLD, planned: NEW }),
    slave("pune-3", 3, { status: "unchanged", current: NEW, planned: NEW, durationMs: 400 }),
    slave("pune-4", 4, {
      status: "rolled_back",
      current: OLD,
      planned: NEW,
      rollback: { reason: "master unreachable from pune-4", restored: true },
      steps: ["params written", "saved", "restarted", "previous values restored", "restarted"],
      error: { code: "UNREACHABLE", message: "pune-4 cannot reach the master 10.0.0.10:8080 (connection refused)", hint: "check the route and firewall from pune-4 to 10.0.0.10:8080, then run `safesquid-fleet join-slave pune-4`" },
    }),
    slave("pune-5", 5, { status: "failed", error: { code: "UNREACHABLE", message: "pune-5 (10.0.1.15:8080) refused the connection", hint: "is SafeSquid running on 10.0.1.15:8080?" } }),
  ],
  { ok: false, exitCode: 1, runRecord: ".safesquid-fleet/runs/2025-11-26T10-00-00Z-join-slave.json" },
);

export const JOIN_DRY: RunReport = run(
  "join-slave",
  [slave("pune-1", 1, { status: "planned", current: { MASTER_IP: "", MASTER_PORT: "" }, planned: NEW }), slave("pune-3", 3, { status: "unchanged", current: NEW, planned: NEW })],
  { dryRun: true, changes: true },
);

const ROW_BEFORE: Report["RowSummary"] = { id: "17", position: 7, enabled: true, ip: ["10.0.1.11"], access: ["CONFIG"], pamauth: false, userGroups: ["PROXY_SLAVES"], comment: "safesquid-fleet: pune-1" };
const ROW_AFTER: Report["RowSummary"] = { ...ROW_BEFORE, position: 2, ip: ["10.0.1.11", "10.0.1.12", "10.0.1.13"], comment: "safesquid-fleet: pune-1, pune-2, pune-3" };

export const ALLOW: RunReport = run("allow", [
  { name: "hq", role: "master", address: "10.0.0.10:8080", status: "updated", durationMs: 800, row: { before: ROW_BEFORE, after: ROW_AFTER, moves: ["moved the row from position 7 to 2, above 'login for everyone else'"], writes: 2 } },
]);

export const ALLOW_DRY: RunReport = run(
  "allow",
  [{ name: "hq", role: "master", address: "10.0.0.10:8080", status: "planned", durationMs: 300, row: { after: { ...ROW_AFTER, id: undefined }, moves: [], writes: 0 } }],
  { dryRun: true, changes: true },
);

const sec = (name: string, status: Report["SectionResult"]["status"], detail?: string): Report["SectionResult"] => (detail ? { name, status, detail } : { name, status });
const SYNC: Report["SyncInfo"] = { target: "10.0.0.10:8080", at: "2025-11-26T10:00:41.000Z", stamp: "2025 11 26 10:00:41.000", outcome: "synchronized", sections: ["access", "profiles"] };

export const VERIFY: RunReport = run(
  "verify",
  [
    slave("pune-1", 1, { status: "in_sync", joined: true, sync: SYNC, sections: [sec("access", "in_sync"), sec("profiles", "in_sync"), sec("sslcert", "excluded", "in NEVER_SYNC"), sec("cache", "unknown")] }),
    slave("pune-2", 2, { status: "pending", joined: true, sync: SYNC, sections: [sec("access", "pending", "changed on the master 20s ago"), sec("profiles", "in_sync"), sec("sslcert", "in_sync")] }),
    slave("pune-3", 3, {
      status: "out_of_sync",
      joined: true,
      sync: { target: "10.0.0.10:8080", at: "2025-11-26T09:58:02.000Z", stamp: "2025 11 26 09:58:02.000", outcome: "failed", reason: "407 from the master" },
      sections: [sec("access", "out_of_sync", "differs from the master for 3m"), sec("profiles", "in_sync"), sec("sslcert", "in_sync")],
      warnings: ["the master refuses pune-3 (407): run `safesquid-fleet allow`"],
    }),
    slave("pune-4", 4, { status: "not_joined", joined: false }),
    slave("pune-5", 5, { status: "unreachable", error: { code: "TIMEOUT", message: "pune-5 did not answer within 10s" } }),
  ],
  { ok: false, exitCode: 1 },
);

const phase = (command: Report["Phase"]["command"], nodes: NodeResult[], rest: Partial<Report["Phase"]> = {}): Report["Phase"] => ({ command, ok: true, durationMs: 1000, nodes, ...rest });

export const APPLY: RunReport = run(
  "apply",
  [
    slave("pune-1", 1, { status: "in_sync", join: { status: "joined" }, joined: true, sections: [sec("access", "in_sync")] }),
    slave("pune-2", 2, { status: "not_joined", joined: false, join: { status: "rolled_back", rollback: { reason: "did not come back within 2m", restored: true }, error: { code: "TIMEOUT", message: "pune-2 did not come back within 2m", hint: "look at pune-2's console" } } }),
  ],
  {
    ok: false,
    exitCode: 1,
    phases: [
      phase("allow", ALLOW.nodes),
      phase("join-slave", [slave("pune-1", 1, { current: OLD, planned: NEW }), slave("pune-2", 2, { status: "rolled_back", current: OLD, planned: NEW, rollback: { reason: "did not come back within 2m", restored: true } })], { ok: false }),
      phase("verify", [slave("pune-1", 1, { status: "in_sync", joined: true, sections: [sec("access", "in_sync")] }), slave("pune-2", 2, { status: "not_joined", joined: false })], { ok: false }),
    ],
  },
);

export const APPLY_STOPPED: RunReport = run(
  "apply",
  [],
  {
    ok: false,
    exitCode: 1,
    phases: [
      phase("allow", [{ name: "hq", role: "master", address: "10.0.0.10:8080", status: "failed", durationMs: 200, error: { code: "LOCKOUT", message: "the change would shut the tool out of hq", hint: "add 127.0.0.1 to an allow row above" } }], { ok: false }),
      phase("join-slave", [], { ok: false, skipped: "stopped after allow: the master is not ready" }),
      phase("verify", [], { ok: false, skipped: "stopped after allow: the master is not ready" }),
    ],
  },
);

export const HOSTILE_REPORT: RunReport = run(
  "join-slave",
  [slave(HOSTILE, 1, { status: "failed", current: { MASTER_IP: HOSTILE, MASTER_PORT: "80\u001b[2J" }, error: { code: "HANDLER_REFUSED", message: `refused: ${HOSTILE}`, hint: HOSTILE }, warnings: [HOSTILE], steps: [HOSTILE] })],
  { ok: false, exitCode: 1, notes: [HOSTILE], inventory: HOSTILE, master: { name: HOSTILE, address: HOSTILE } },
);

const FULL_ERROR: Required<Report["NodeError"]> = { code: "ACCESS_DENIED", message: "denied", hint: "run allow" };
const FULL_ROW: Required<Report["RowSummary"]> = { ...ROW_AFTER, id: "17", username: "fleet" };
const FULL_SYNC: Required<Report["SyncInfo"]> = { ...SYNC, sections: ["access"], outcome: "failed", reason: "403", ageMs: 12_000, lastSyncedAt: "2025-11-26T09:57:02.000Z" };
const FULL_FIELD: Required<Report["FieldDiff"]> = { field: "comment", master: "a", slave: "b", hidden: true };
const FULL_CHANGE: Required<Report["SectionChange"]> = { op: "change", subsection: "allow", masterPosition: 2, slavePosition: 3, label: "slaves", fields: [FULL_FIELD] };
const FULL_DIFF: Required<Report["SectionDiff"]> = { section: "access", status: "out_of_sync", missingOnSlave: true, changes: [FULL_CHANGE], more: 2 };
const FULL_SECTION: Required<Report["SectionResult"]> = { name: "access", status: "out_of_sync", detail: "differs" };
const FULL_NODE: Required<NodeResult> = {
  name: "pune-1",
  role: "slave",
  address: "10.0.1.11:8080",
  status: "out_of_sync",
  error: FULL_ERROR,
  warnings: ["w"],
  steps: ["s"],
  durationMs: 1,
  current: OLD,
  planned: NEW,
  rollback: { reason: "r", restored: false },
  pendingRestart: true,
  left: NEW,
  syncRefused: { fix: "allow", command: "safesquid-fleet allow -i fleet.yaml" },
  row: { before: FULL_ROW, after: FULL_ROW, moves: ["m"], writes: 1 },
  joined: true,
  sync: FULL_SYNC,
  sections: [FULL_SECTION],
  diff: [FULL_DIFF],
  join: { status: "joined", warnings: ["w"], error: FULL_ERROR, rollback: { reason: "r", restored: true }, left: OLD, syncRefused: { fix: "deny_row" } },
  joinedTo: "10.0.0.5:8080",
  changes: ["MASTER_IP:MASTER_PORT stand-alone -> 10.0.0.10:8080, restarted"],
};
const FULL_PHASE: Required<Report["Phase"]> = { command: "verify", ok: false, durationMs: 1, nodes: [FULL_NODE], skipped: "no" };

/** Every optional field set, to prove the schema knows each one. */
export const FULL: Required<RunReport> = {
  ...run("apply", [FULL_NODE], { ok: false, exitCode: 1 }),
  shard: { index: 1, count: 2 },
  phases: [FULL_PHASE],
  notes: ["n"],
  runRecord: ".safesquid-fleet/runs/x.json",
  merged: {
    count: 3,
    shards: [{ index: 1, file: "shard-1.json", exitCode: 1, nodes: 1, runRecord: ".safesquid-fleet/runs/x.json" }],
    missing: [2],
    failed: [{ file: "shard-3.json", error: FULL_ERROR }],
  },
  undone: { runRecord: ".safesquid-fleet/runs/y.jsonl", command: "apply", startedAt: "2025-11-26T09:00:00.000Z" },
  inventoryChange: { master: { from: "hq", to: "pune-1" }, removedSlaves: ["pune-1"], written: "new.yaml", yaml: "version: 1\n" },
  plan: { restart: ["pune-1"], concurrency: 2, noRestart: false, confirm: "yes", cloudBackup: "yes", cloudBackupBy: "--backup-to-cloud" },
};

const STAND_ALONE = { MASTER_IP: "", MASTER_PORT: "" };

export const UNDO: RunReport = {
  ...run(
    "undo",
    [
      { name: "hq", role: "master", address: "10.0.0.10:8080", status: "restored", durationMs: 900, changes: ["allow row added at row 1"], steps: ["row removed (read back)", "saved"] },
      slave("pune-1", 1, { status: "restored", current: NEW, planned: STAND_ALONE, changes: ["MASTER_IP:MASTER_PORT stand-alone -> 10.0.0.10:8080, restarted"] }),
      slave("pune-2", 2, { status: "unchanged", changes: ["MASTER_IP:MASTER_PORT stand-alone -> 10.0.0.10:8080, restarted"] }),
      slave("pune-3", 3, {
        status: "conflict",
        changes: ["MASTER_IP:MASTER_PORT stand-alone -> 10.0.0.10:8080, restarted"],
        error: { code: "CONFLICT", message: "pune-3 changed since the run: MASTER_IP:MASTER_PORT is 10.0.0.99:8080 now; nothing was written", hint: "--force puts the run's before-values back anyway" },
      }),
    ],
    { ok: false, exitCode: 1, runRecord: ".safesquid-fleet/runs/2025-11-26T10-00-00-000Z-undo-42.jsonl" },
  ),
  undone: { runRecord: ".safesquid-fleet/runs/2025-11-26T09-00-00-000Z-apply-41.jsonl", command: "apply", startedAt: "2025-11-26T09:00:00.000Z" },
};

export const RESTART: RunReport = run(
  "restart",
  [
    slave("pune-1", 1, { status: "restarted", current: NEW, steps: ["configuration saved", "restarted", "synchronizing with 10.0.0.10:8080: synchronized 12 section(s)"] }),
    slave("pune-2", 2, { status: "failed", current: NEW, error: { code: "UNREACHABLE", message: "pune-2: it did not come back after its restart" } }),
    slave("pune-3", 3, { status: "skipped", warnings: ["not restarted: the rollout stopped at pune-2, which did not come back right (--keep-going goes on past a failed slave)"] }),
  ],
  { ok: false, exitCode: 1 },
);

export const DETACH: RunReport = run("detach", [
  { name: "hq", role: "master", address: "10.0.0.10:8080", status: "updated", durationMs: 300, row: { before: ROW_AFTER, after: ROW_BEFORE, moves: [], writes: 2 } },
  slave("pune-2", 2, { status: "detached", current: NEW, planned: STAND_ALONE }),
  slave("pune-3", 3, { status: "unchanged", current: STAND_ALONE, planned: STAND_ALONE }),
]);

/** Every sample by name. */
export const SAMPLES: Record<string, RunReport> = { JOIN, JOIN_DRY, ALLOW, ALLOW_DRY, VERIFY, APPLY, APPLY_STOPPED, HOSTILE_REPORT, UNDO, RESTART, DETACH, FULL };
