/**
 * The run record: before each write, the previous values are appended to
 * `<record folder>/<time>-<command>-<pid>.jsonl` (./record-dir.ts: `.safesquid-fleet/runs` in
 * the working folder by default) and flushed to disk, so nothing the
 * tool changed is ever lost, even if the run is killed. Secrets are redacted by construction
 * (only row values without passwords and startup parameters are recorded) and again here.
 *
 * Format 2 (docs/run-records.md): a header line `{"record": 2, ...}`, then one line per step.
 * Before a node's first write, a `change` line says what the run is about to change on it,
 * with everything `undo` needs to put it back (./record-read.ts reads them back).
 */
import { appendFileSync, fsyncSync, mkdirSync, openSync, closeSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { SECRET_FIELDS } from "../safesquid/access.js";
import type { AccessSnapshot, RowState } from "./access-snapshot.js";
import { VERSION } from "../version.js";
import type { Report } from "./report.js";

/** The record format this version writes. */
export const RECORD_FORMAT = 2;

/** What a run changes on one node: enough to put it back, and to see whether it changed since. */
export type Change =
  /** MASTER_IP / MASTER_PORT, and whether the node is restarted for them to take effect. */
  | { kind: "params"; before: Report["MasterPointer"]; after: Report["MasterPointer"]; restart: boolean }
  /** The managed allow row: null before = added, null after = removed; the whole section around it. */
  | { kind: "allow-row"; userGroup: string; before: RowState | null; after: RowState | null; access: { before: AccessSnapshot; after: AccessSnapshot } }
  /** A restart alone: nothing to put back. */
  | { kind: "restart" };

export interface RecordEntry {
  node: string;
  /** What is about to be done: "change", "params-write", "row-add", "row-edit", "row-delete", "row-shift", "save", "restart", "rollback"... */
  action: string;
  role?: "master" | "slave";
  /** host:port of the node as the inventory gave it. */
  address?: string;
  change?: Change;
  before?: unknown;
  after?: unknown;
  note?: string;
}

export class RunRecord {
  private path: string | undefined;
  private readonly started = new Date();

  constructor(
    private readonly dir: string,
    private readonly command: string,
    private readonly meta: Record<string, unknown>,
    private readonly secrets: () => string[] = () => [],
  ) {}

  /** Appends an entry and flushes it before the caller writes to a node. */
  write(entry: RecordEntry): void {
    if (!this.path) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const stamp = this.started.toISOString().replace(/[:.]/g, "-");
      this.path = join(this.dir, `${stamp}-${this.command}-${process.pid}.jsonl`);
      this.append({ at: this.started.toISOString(), tool: `safesquid-fleet ${VERSION}`, record: RECORD_FORMAT, command: this.command, ...this.meta });
    }
    this.append({ at: new Date().toISOString(), ...entry });
  }

  /** Adds fields to the header line (before the first write). */
  annotate(meta: Record<string, unknown>): void {
    Object.assign(this.meta, meta);
  }

  /** The record's path, once anything was written: relative to `cwd` when inside it, else absolute. */
  location(cwd: string): string | undefined {
    if (!this.path) return undefined;
    const rel = relative(cwd, this.path);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : this.path;
  }

  private append(obj: Record<string, unknown>): void {
    let line = JSON.stringify(obj, (k, v) => (SECRET_FIELDS.has(k) && v ? "[redacted]" : v));
    for (const s of this.secrets()) if (s) line = line.split(s).join("[redacted]");
    appendFileSync(this.path!, line + "\n", { mode: 0o600 });
    const fd = openSync(this.path!, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
