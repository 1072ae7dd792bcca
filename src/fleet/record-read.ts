/**
 * Reading run records back (docs/run-records.md): the runs in a record folder, newest last,
 * and for one run what it changed on each node, in the order it first touched them. Records
 * older than format 2 are listed but not undone: they lack the places and the snapshots that
 * tell "as the run left it" from "changed since".
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { FleetError } from "../errors.js";
import { RECORD_FORMAT, type Change, type RecordEntry } from "./record.js";
import type { RunSummary } from "./report.js";

export interface RunHeader {
  at: string;
  tool?: string;
  command: string;
  /** Absent in records written before format 2. */
  record?: number;
  inventory?: string;
}

export interface RunFile {
  path: string;
  header: RunHeader;
  entries: (RecordEntry & { at?: string })[];
  /** Lines that could not be read (a run killed mid-line leaves one at the end). */
  unreadable: number;
}

/** What the run changed on one node, in the order of the record. */
export interface NodeChanges {
  node: string;
  role: "master" | "slave";
  address?: string;
  changes: Change[];
}

/** Reads one record; a file that is not one is a usage error (nothing touched). */
export function readRun(path: string): RunFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new FleetError("USAGE", `cannot read the run record ${path}: ${(e as Error).message}`, { hint: "see the runs with `safesquid-fleet undo --list`" });
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const parsed: Record<string, unknown>[] = [];
  let unreadable = 0;
  lines.forEach((l, i) => {
    try {
      parsed.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      if (i < lines.length - 1 || i === 0) throw new FleetError("USAGE", `${path} is not a run record (line ${i + 1} is not JSON)`, { hint: "see the runs with `safesquid-fleet undo --list`" });
      unreadable++;
    }
  });
  const header = parsed[0];
  if (!header || typeof header.command !== "string" || typeof header.at !== "string") throw new FleetError("USAGE", `${path} is not a run record (no header line)`);
  return { path, header: header as unknown as RunHeader, entries: parsed.slice(1) as unknown as RunFile["entries"], unreadable };
}

/** Why a record cannot be undone by this version, or undefined. */
export function notUndoable(run: RunFile): string | undefined {
  const format = run.header.record ?? 1;
  if (format < RECORD_FORMAT) {
    return `written by ${run.header.tool ?? "an older safesquid-fleet"} in record format ${format}, which lacks the row places and snapshots undo needs; its before-values are in the file for restoring by hand`;
  }
  if (format > RECORD_FORMAT) return `written in record format ${format} by a newer safesquid-fleet (${run.header.tool ?? "?"}); this version reads format ${RECORD_FORMAT}`;
  const changes = run.entries.filter((e) => e.action === "change");
  if (changes.length === 0) return "it records no change to undo";
  if (changes.every((e) => e.change?.kind === "restart")) return "it only restarted nodes: a restart leaves nothing to put back";
  return undefined;
}

/** Per node, what the run changed, in the order the run first touched the nodes. */
export function changesByNode(run: RunFile): NodeChanges[] {
  const out = new Map<string, NodeChanges>();
  for (const e of run.entries) {
    if (e.action !== "change" || !e.change) continue;
    let n = out.get(e.node);
    if (!n) out.set(e.node, (n = { node: e.node, role: e.role ?? "slave", ...(e.address ? { address: e.address } : {}), changes: [] }));
    n.changes.push(e.change);
  }
  return [...out.values()];
}

/** The runs in a folder, oldest first (file names start with the time). */
export function listRuns(dir: string): RunSummary[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort();
  return files.map((f) => {
    const path = join(dir, f);
    try {
      const run = readRun(path);
      const nodes = [...new Set(run.entries.map((e) => e.node).filter(Boolean))];
      const why = notUndoable(run);
      return { file: f, at: run.header.at, command: run.header.command, nodes, writes: run.entries.filter((e) => e.action !== "change").length, ...(why ? { notUndoable: why } : {}) };
    } catch (e) {
      return { file: f, at: statSync(path).mtime.toISOString(), command: "?", nodes: [], writes: 0, notUndoable: (e as Error).message };
    }
  });
}

/**
 * The record RUN names: a path, a file name in the folder, or the start of one (unique);
 * without RUN, the newest run in the folder.
 */
export function findRun(dir: string, arg: string | undefined, cwd: string, looked: readonly string[] = [dir]): string {
  const hint = "see the runs with `safesquid-fleet undo --list`";
  if (arg === undefined) {
    const runs = listRuns(dir);
    if (runs.length === 0) {
      throw new FleetError("USAGE", `no run records in ${looked.join(" nor in ")}: nothing to undo`, {
        hint: "run records are written in .safesquid-fleet/runs of the folder a command ran in (else the XDG state folder, or --record-dir); run undo there, or name the record or its folder (--record-dir)",
      });
    }
    return join(dir, runs.at(-1)!.file);
  }
  const direct = resolve(cwd, arg);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".jsonl") && f.startsWith(basename(arg))) : [];
  if (files.length === 1) return join(dir, files[0]!);
  if (files.length > 1) throw new FleetError("USAGE", `"${arg}" names ${files.length} run records: ${files.slice(0, 5).join(", ")}${files.length > 5 ? ", ..." : ""}`, { hint });
  throw new FleetError("USAGE", `no run record "${arg}" (neither a file nor a run in ${dir})`, { hint });
}
