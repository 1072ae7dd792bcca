/**
 * The run record: before each write, the previous values are appended to
 * `.safesquid-fleet/runs/<time>-<command>-<pid>.jsonl` and flushed to disk, so nothing the
 * tool changed is ever lost, even if the run is killed. Secrets are redacted by construction
 * (only row values without passwords and startup parameters are recorded) and again here.
 */
import { appendFileSync, fsyncSync, mkdirSync, openSync, closeSync } from "node:fs";
import { join, relative } from "node:path";
import { SECRET_FIELDS } from "../safesquid/access.js";
import { VERSION } from "../version.js";

export interface RecordEntry {
  node: string;
  /** What is about to be done: "params-write", "row-add", "row-edit", "row-shift", "save", "restart", "rollback"... */
  action: string;
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
      this.append({ at: this.started.toISOString(), tool: `safesquid-fleet ${VERSION}`, command: this.command, ...this.meta });
    }
    this.append({ at: new Date().toISOString(), ...entry });
  }

  /** The record's path relative to `cwd`, once anything was written. */
  location(cwd: string): string | undefined {
    return this.path ? relative(cwd, this.path) || this.path : undefined;
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
