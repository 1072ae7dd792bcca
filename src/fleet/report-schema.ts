/**
 * The JSON Schema (draft-07) of everything `-o json` prints: the run report, the error
 * envelope, and the run list of `undo --list` (docs/output.md "`-o json`"). It is the SINGLE
 * source of the report's shape: the types of src/fleet/report.ts are made from it
 * (src/util/from-schema.ts), and `examples/report.schema.json` is generated from it
 * (`npm run build`, or `node --import tsx src/fleet/write-report-schema.ts`); a test keeps the
 * committed file equal to it. Adding a field: docs/development.md "Adding a field to the report".
 */
import { ERROR_CODES } from "../errors.js";
import type { SchemaNode } from "../util/from-schema.js";

/** join-slave, per slave. */
export const JOIN_STATUSES = ["joined", "unchanged", "planned", "failed", "rolled_back", "skipped"] as const;
/** allow, on the master. */
export const ALLOW_STATUSES = ["updated", "unchanged", "planned", "failed"] as const;
export const VERIFY_STATUSES = ["in_sync", "out_of_sync", "pending", "not_joined", "unreachable"] as const;
/** undo, per node: put back as before the run, already as before, changed since (nothing written), failed. */
export const UNDO_STATUSES = ["restored", "unchanged", "conflict", "planned", "failed", "skipped"] as const;
export const RESTART_STATUSES = ["restarted", "planned", "failed", "skipped"] as const;
export const DETACH_STATUSES = ["detached", "unchanged", "planned", "failed", "skipped"] as const;
/** promote, the new master: made stand-alone with the slaves' allow row. */
export const PROMOTE_STATUSES = ["promoted", "unchanged", "planned", "failed"] as const;

/** Every node status, each once, in the order the commands above first name it. */
const NODE_STATUSES = [...new Set([JOIN_STATUSES, ALLOW_STATUSES, VERIFY_STATUSES, UNDO_STATUSES, RESTART_STATUSES, DETACH_STATUSES, PROMOTE_STATUSES].flat())];

const list = (statuses: readonly string[]): string => statuses.join(", ");

/**
 * An object with these fields and no other (`additionalProperties: false`); `required` can
 * only name fields it declares.
 */
function closed<const P extends { readonly [field: string]: SchemaNode }, const R extends readonly (keyof P & string)[]>(required: R, properties: P) {
  return { type: "object", required, additionalProperties: false, properties } as const;
}

/** A reference to a definition of this schema. */
const ref = <const N extends string>(name: N) => ({ $ref: `#/definitions/${name}` }) as const;

/**
 * What a node's result says besides its status, in a node of any command and in `join` (the
 * join-slave result of a slave in apply and promote): the warnings and the error, and for a
 * join its rollback, the values it was left with, a sync the master refuses.
 */
const OUTCOME = {
  error: ref("NodeError"),
  // Sentences the user should act on.
  warnings: ref("Sentences"),
  rollback: ref("Rollback"),
  left: {
    ...ref("MasterPointer"),
    description: "a failed join: MASTER_IP / MASTER_PORT as last read on the node with no write since (what it was left with); absent when a write's outcome is not known",
  },
  // Joined (its parameters name this master) but not syncing: the master refuses it. Such a
  // slave stays `joined` in join-slave (the vendor's order allows it after the join); this
  // says so as data, with the fix, for the recap and for scripts.
  syncRefused: ref("SyncRefused"),
} as const;

/** The exit codes a run report can carry (docs/output.md "Exit codes"). */
const EXIT_CODES = [0, 1, 2, 3, 130] as const;

export const reportSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "safesquid-fleet -o json output (schemaVersion 1)",
  description:
    "What `safesquid-fleet join-slave|allow|verify|apply|undo|restart|detach|promote|report merge -o json` prints on stdout: a run report, or an error envelope when the run stopped before it could report per node (usage, inventory, credentials, master unreachable, interrupted...), or for `undo --list` the list of runs. They are told apart by the `error` and `runs` fields.",
  oneOf: [ref("RunReport"), ref("ErrorEnvelope"), ref("RunList")],
  definitions: {
    FleetCommand: { enum: ["join-slave", "allow", "verify", "apply", "undo", "restart", "detach", "promote"] },
    NodeStatus: {
      description: `join-slave: ${list(JOIN_STATUSES)}; allow: ${list(ALLOW_STATUSES)}; verify: ${list(VERIFY_STATUSES)}; undo: ${list(UNDO_STATUSES)}; restart: ${list(RESTART_STATUSES)}; detach: ${list(DETACH_STATUSES)} (its master: the allow statuses); promote: the new master ${list(PROMOTE_STATUSES)} (each other slave: the verify statuses, with its join result in \`join\`).`,
      enum: NODE_STATUSES,
    },
    // join-slave, per slave (also `join` of apply and promote).
    JoinStatus: { enum: JOIN_STATUSES },
    SectionStatus: { enum: ["in_sync", "out_of_sync", "pending", "excluded", "unknown"] },
    // Open (a pattern, not an enum), so that a consumer's validator accepts codes a newer
    // version adds; the code itself holds to ErrorCode (src/fleet/report.ts).
    ErrorCode: { type: "string", pattern: "^[A-Z][A-Z_]*$", description: `${list(ERROR_CODES)} (more may be added).` },
    Duration: { type: "number", minimum: 0, description: "milliseconds" },
    Sentences: { type: "array", items: { type: "string" } },
    // A node's failure: its code, the message, what to do next.
    NodeError: closed(["code", "message"], {
      code: ref("ErrorCode"),
      message: { type: "string" },
      hint: { type: "string", description: "what to do next" },
    }),
    // MASTER_IP / MASTER_PORT as read or written.
    MasterPointer: closed(["MASTER_IP", "MASTER_PORT"], { MASTER_IP: { type: "string" }, MASTER_PORT: { type: "string" } }),
    Rollback: closed(["reason", "restored"], { reason: { type: "string" }, restored: { type: "boolean", description: "the previous values are in effect again" } }),
    // An access row as reports show it (secrets never included).
    RowSummary: closed(["position", "enabled", "ip", "access", "pamauth", "userGroups", "comment"], {
      id: { type: "string" },
      position: { type: "integer", minimum: 0 },
      enabled: { type: "boolean" },
      ip: { type: "array", items: { type: "string" } },
      access: { type: "array", items: { type: "string" } },
      pamauth: { type: "boolean" },
      username: { type: "string" },
      userGroups: { type: "array", items: { type: "string" } },
      comment: { type: "string" },
    }),
    // One section of a slave's policy, compared with the master's. detail: why, when it is not in
    // sync ("differs from the master for 3m", "in NEVER_SYNC").
    SectionResult: closed(["name", "status"], { name: { type: "string" }, status: ref("SectionStatus"), detail: { type: "string" } }),
    // The sync activity read from a slave's log (docs/monitoring.md).
    SyncInfo: closed(["target", "at", "stamp", "outcome"], {
      target: { type: "string", description: "ip:port of the last sync attempt" },
      at: {
        type: "string",
        format: "date-time",
        description: "when the last attempt was logged, ISO 8601 with offset (the node's clock; its log is read as UTC, like its Date header)",
      },
      stamp: { type: "string", description: "the log line's timestamp as the node wrote it (YYYY MM DD HH:MM:SS.mmm, no zone)" },
      ageMs: {
        $ref: "#/definitions/Duration",
        description: "how long before the slave was read that attempt was (the node's clock offset, from its Date header, taken out)",
      },
      // attempted: the last attempt has neither taken sections nor (as far as the log says) failed.
      outcome: { enum: ["synchronized", "no_changes", "failed", "attempted"] },
      reason: { type: "string" },
      // The sections named by the last successful sync with sections.
      sections: { type: "array", items: { type: "string" } },
      // The vendor's `synchronizing with` line naming this master, then `synchronized section:`
      // lines; converted to this machine's clock with the node's offset.
      lastSyncedAt: {
        type: "string",
        format: "date-time",
        description:
          "when the slave last took sections from this master (its log's `synchronizing with` then `synchronized section:` lines), in this machine's clock; absent when its log does not show one",
      },
    }),
    // One field that differs: its value on the master and on the slave (absent: not there).
    FieldDiff: closed(["field"], {
      field: { type: "string", description: "the field's element name (`@name` for an attribute, `name[2]` for a repeated one)" },
      master: { type: "string", description: "its value on the master (absent: the master has no such field)" },
      slave: { type: "string", description: "its value on the slave (absent: the slave has no such field)" },
      hidden: { const: true, description: "a credential field (a password...): its values are never shown" },
    }),
    // Rows are compared in canonical form, ids ignored. `fields`: for change and field, what
    // differs; for add and remove, the row's fields.
    SectionChange: {
      description:
        "one difference, read as the plan of the next sync: add a row only the master has, remove a row only the slave has, change a row's fields in place, move a row, or a section-wide field",
      ...closed(["op", "fields"], {
        op: { enum: ["add", "remove", "change", "move", "field"] },
        subsection: { type: "string", description: "the row's subsection (element name), e.g. allow" },
        // 1-based place of the row among its subsection's rows, on the master and on the slave.
        masterPosition: { type: "integer", minimum: 1 },
        slavePosition: { type: "integer", minimum: 1 },
        label: { type: "string", description: "the row's comment, to recognise it" },
        fields: { type: "array", items: ref("FieldDiff") },
      }),
    },
    // The differences of one section that is not in sync (`verify --diff`).
    SectionDiff: closed(["section", "status", "changes"], {
      section: { type: "string" },
      status: ref("SectionStatus"),
      // The slave has no such section at all.
      missingOnSlave: { const: true },
      changes: { type: "array", items: ref("SectionChange") },
      more: { type: "integer", minimum: 1, description: "how many more changes there are beyond those listed" },
    }),
    // `command` is runnable as printed (it keeps the run's `-i FILE`).
    SyncRefused: {
      description:
        "joined, but the master refuses the slave's sync: what lets it in. `allow` (command: the line to run, with the run's -i FILE) or `deny_row` (a deny row on the master matches the slave: change it there; no command does that)",
      ...closed(["fix"], {
        fix: { enum: ["allow", "deny_row"] },
        command: { type: "string" },
      }),
    },
    Node: closed(["name", "role", "address", "status", "durationMs"], {
      name: { type: "string" },
      role: { enum: ["master", "slave"] },
      address: { type: "string", description: "host:port as the inventory gives it" },
      status: ref("NodeStatus"),
      ...OUTCOME,
      // What was done, in order ("params written", "restarted", ...), for the recap.
      steps: ref("Sentences"),
      durationMs: ref("Duration"),
      // join-slave
      current: ref("MasterPointer"),
      planned: ref("MasterPointer"),
      // The change is written and saved but waits for a restart (--no-restart).
      pendingRestart: { type: "boolean" },
      // allow
      row: closed(["moves", "writes"], {
        before: ref("RowSummary"),
        after: ref("RowSummary"),
        moves: ref("Sentences"),
        writes: { type: "integer", minimum: 0 },
      }),
      // verify
      joined: { type: "boolean" },
      sync: ref("SyncInfo"),
      sections: { type: "array", items: ref("SectionResult") },
      diff: { type: "array", description: "verify --diff: what differs, per section not in sync", items: ref("SectionDiff") },
      // apply and promote: the slave's join-slave result, its verify result being `status`.
      join: closed(["status"], { status: ref("JoinStatus"), ...OUTCOME }),
      joinedTo: { type: "string", description: "join-slave: the other master (ip:port) the slave is joined to now; moving it needs --move" },
      // In words: "MASTER_IP:MASTER_PORT (none) -> 10.0.0.10:8080, restarted".
      changes: { $ref: "#/definitions/Sentences", description: "undo: what the run being undone changed on this node" },
    }),
    // One phase of apply, promote or detach, with its nodes.
    Phase: closed(["command", "ok", "durationMs", "nodes"], {
      command: { enum: ["join-slave", "allow", "verify", "detach"] },
      ok: { type: "boolean" },
      durationMs: ref("Duration"),
      nodes: { type: "array", items: ref("Node") },
      // e.g. "stopped after allow: ..."
      skipped: { type: "string", description: "why the phase did not run" },
    }),
    RunReport: closed(["schemaVersion", "command", "ok", "exitCode", "dryRun", "changes", "interrupted", "startedAt", "finishedAt", "durationMs", "inventory", "master", "nodes", "summary"], {
      schemaVersion: { const: 1 },
      command: ref("FleetCommand"),
      ok: { type: "boolean" },
      exitCode: { enum: EXIT_CODES },
      dryRun: { type: "boolean" },
      changes: { type: "boolean", description: "dry runs: would anything change (--detailed-exitcode exits 3)" },
      interrupted: { type: "boolean" },
      startedAt: { type: "string", format: "date-time" },
      finishedAt: { type: "string", format: "date-time" },
      durationMs: ref("Duration"),
      inventory: { type: "string" },
      master: closed(["name", "address"], { name: { type: "string" }, address: { type: "string" } }),
      shard: closed(["index", "count"], { index: { type: "integer", minimum: 1 }, count: { type: "integer", minimum: 1 } }),
      nodes: { type: "array", items: ref("Node") },
      summary: {
        type: "object",
        description: "how many nodes ended in each status",
        propertyNames: ref("NodeStatus"),
        additionalProperties: { type: "integer", minimum: 0 },
      },
      // apply and promote: the phases in order.
      phases: { type: "array", items: ref("Phase") },
      // e.g. "join and verify only: allow runs before the shards"
      notes: ref("Sentences"),
      // Set when anything was written.
      runRecord: { type: "string", description: "where this run's record of previous values is" },
      merged: ref("MergeInfo"),
      undone: {
        description: "undo: the run record that was undone",
        ...closed(["runRecord", "command", "startedAt"], { runRecord: { type: "string" }, command: { type: "string" }, startedAt: { type: "string", format: "date-time" } }),
      },
      inventoryChange: {
        description: "promote: the inventory change the user must make, or that --write-inventory made",
        ...closed(["master", "removedSlaves"], {
          // The master before and after, by name.
          master: closed(["from", "to"], { from: { type: "string" }, to: { type: "string" } }),
          // The promoted slave leaves `slaves`; the old master leaves the fleet.
          removedSlaves: { type: "array", items: { type: "string" } },
          written: { type: "string", description: "where --write-inventory wrote the new inventory" },
          yaml: { type: "string", description: "the new inventory, when it was not written" },
        }),
      },
      plan: ref("RunPlan"),
    }),
    RunList: {
      description: "undo --list: the runs in the record folder, oldest first",
      ...closed(["schemaVersion", "command", "ok", "exitCode", "nodes", "recordDir", "runs"], {
        schemaVersion: { const: 1 },
        command: { const: "undo" },
        ok: { const: true },
        exitCode: { const: 0 },
        nodes: { type: "array", maxItems: 0 },
        recordDir: { type: "string" },
        runs: {
          type: "array",
          items: closed(["file", "at", "command", "nodes", "writes"], {
            file: { type: "string" },
            at: { type: "string" },
            command: { type: "string" },
            nodes: { type: "array", items: { type: "string" } },
            writes: { type: "integer", minimum: 0 },
            notUndoable: { type: "string", description: "why undo cannot take this run" },
          }),
        },
      }),
    },
    RunPlan: {
      description: "dry runs of join-slave and apply: what the real run would do beyond the values it writes",
      ...closed(["restart", "concurrency", "noRestart", "confirm", "cloudBackup"], {
        restart: {
          type: "array",
          items: { type: "string" },
          description: "the slaves the real run would restart (proxy traffic through each stops while it restarts); empty with --no-restart",
        },
        concurrency: { type: "integer", minimum: 1, description: "how many slaves restart at once (--concurrency)" },
        noRestart: { type: "boolean", description: "--no-restart: the new values are saved and take effect at each slave's next restart" },
        confirm: {
          enum: ["ask", "yes"],
          description: "the question before the restarts: asked on a terminal (without one the run stops and names --yes), or answered yes by --yes",
        },
        cloudBackup: {
          enum: ["yes", "no", "ask"],
          description:
            "the cloud backup of each slave's configuration before its restart (it leaves the network): --yes never answers it; asked on a terminal, none without one unless --backup-to-cloud",
        },
        cloudBackupBy: {
          enum: ["--backup-to-cloud", "--no-backup-to-cloud", "--no-restart"],
          description: "the flag that decided cloudBackup; absent: the terminal, or its absence",
        },
      }),
    },
    MergeInfo: {
      description: "report merge: the shard reports this report was merged from, and what was missing",
      ...closed(["count", "shards", "missing", "failed"], {
        count: { type: "integer", minimum: 1, description: "N: how many shards the run was cut into" },
        // The shard reports merged, by shard index.
        shards: {
          type: "array",
          items: closed(["index", "file", "exitCode", "nodes"], {
            index: { type: "integer", minimum: 1 },
            file: { type: "string" },
            exitCode: { enum: EXIT_CODES },
            nodes: { type: "integer", minimum: 0 },
            runRecord: { type: "string" },
          }),
        },
        missing: { type: "array", items: { type: "integer", minimum: 1 }, description: "shard indexes no report was given for" },
        failed: {
          type: "array",
          description: "files holding an error envelope: shards that stopped before they could report per node",
          items: closed(["file", "error"], { file: { type: "string" }, error: ref("NodeError") }),
        },
      }),
    },
    // What `-o json` prints when a run stops before it can report per node.
    ErrorEnvelope: closed(["schemaVersion", "command", "ok", "exitCode", "nodes", "error"], {
      schemaVersion: { const: 1 },
      command: { type: "string", description: "the command that stopped (may be empty when the arguments could not be read)" },
      ok: { const: false },
      exitCode: { enum: [1, 2, 130] },
      nodes: { type: "array", maxItems: 0 },
      error: closed(["code", "message"], {
        code: ref("ErrorCode"),
        message: { type: "string" },
        node: { type: "string" },
        hint: { type: "string" },
        details: { type: "array", items: { type: "string" } },
      }),
    }),
  },
} as const satisfies SchemaNode;

/** The schema as the committed `examples/report.schema.json` holds it. */
export function reportSchemaJson(): string {
  return JSON.stringify(reportSchema, null, 2) + "\n";
}
