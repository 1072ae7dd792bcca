/** `safesquid-fleet undo [RUN]`: put back what one run changed, from its run record; `--list` shows the runs. */
import type { Command } from "commander";
import { isAbsolute, relative } from "node:path";
import { FleetError } from "../errors.js";
import type { CommandContext } from "./common.js";
import { buildReport, emitReport, withRun } from "./fleet-options.js";
import { lifecycleOptions } from "./lifecycle.js";
import { defineCommand, option, type FlagsOf } from "./options.js";
import { confirmRestarts } from "./questions.js";

export const UNDO_DEFAULT_CONCURRENCY = 2;

const undoOptions = lifecycleOptions(
  { formats: ["text", "json"], concurrency: UNDO_DEFAULT_CONCURRENCY, noShard: "it puts back what one run recorded: run it once, where that run's record is" },
  option("--list", "list the runs in the record folder (time, command, nodes, writes) and change nothing"),
  option("--force", "also put back nodes that changed since the run (a conflict): the run's before-values are written anyway"),
);
type UndoFlags = FlagsOf<typeof undoOptions>;

export function registerUndo(program: Command): void {
  defineCommand(
    program,
    {
      name: "undo",
      description: "put back what one run changed, from its run record (default: the newest run in the record folder: .safesquid-fleet/runs, else the XDG state folder's, or --record-dir)",
      arguments: [["[run]", "the run record: a path, a file name in the record folder, or its start (see --list)"]],
      options: undoOptions,
      help: `
Examples:
  $ safesquid-fleet undo --list                         # the runs, newest last
  $ safesquid-fleet undo --dry-run                      # what undoing the newest run would do
  $ safesquid-fleet undo --yes                          # undo the newest run; run it again to redo
  $ safesquid-fleet undo 2026-11-26T10-00-00-000Z-apply --yes -o json
  $ safesquid-fleet undo --limit pune-3 --yes           # only pune-3's change

Per node: restored, unchanged (already as before), conflict (changed since the run: nothing
written without --force), failed. An undo is a run with its own record: undoing it redoes.`,
    },
    runUndoCommand,
  );
}

async function runUndoCommand(ctx: CommandContext, runArg: string | undefined, flags: UndoFlags): Promise<number> {
  const { findRun, listRuns, notUndoable, readRun } = await import("../fleet/record-read.js");
  const { recordDirForReading } = await import("../fleet/record-dir.js");
  // The folder this working folder's runs went to (docs/run-records.md "Where records go").
  const { dir, looked } = recordDirForReading({ cwd: ctx.cwd, env: ctx.env, ...(flags.recordDir ? { option: flags.recordDir } : {}) });
  if (flags.list) {
    if (runArg !== undefined) throw new FleetError("USAGE", "--list takes no RUN", { hint: "safesquid-fleet undo --list" });
    const { renderRunListJson, renderRunListText } = await import("../report/run-list.js");
    const runs = listRuns(dir);
    ctx.printer.data(flags.output === "json" ? renderRunListJson(shown(ctx.cwd, dir), runs) : renderRunListText(shown(ctx.cwd, dir), runs, process.stdout.columns));
    return 0;
  }
  const path = findRun(dir, runArg, ctx.cwd, looked);
  const record = readRun(path);
  const why = notUndoable(record);
  if (why) throw new FleetError("USAGE", `${shown(ctx.cwd, path)} cannot be undone: ${why}`, { hint: "see the runs with `safesquid-fleet undo --list`" });
  return withRun(ctx, "undo", flags, [], async (run, progress) => {
    const undoes = shown(ctx.cwd, path);
    run.record.annotate({ undoes });
    const { planUndo, reported, restarting, runUndo } = await import("../fleet/undo.js");
    const o = {
      run: record,
      force: flags.force === true,
      concurrency: flags.concurrency ?? UNDO_DEFAULT_CONCURRENCY,
      restartTimeoutMs: flags.restartTimeout,
      ...(flags.limit?.length ? { only: new Set(run.slaves.map((sl) => sl.name)) } : {}),
    };
    const plan = await planUndo(run.session, o);
    if (record.header.inventory && record.header.inventory !== run.inventory.file) plan.notes.push(`the run used the inventory ${record.header.inventory}; this undo uses ${run.inventory.file}`);
    let nodes = reported(plan);
    if (!flags.dryRun && plan.works.some((w) => w.result.status === "planned")) {
      await confirmRestarts(ctx, flags, progress, restarting(plan));
      nodes = await runUndo(run.session, o, plan);
    }
    progress.stop();
    const report = buildReport(run, "undo", nodes, { notes: plan.notes });
    report.undone = { runRecord: undoes, command: record.header.command, startedAt: record.header.at };
    return await emitReport(run, report);
  });
}

/** A path as the report shows it: relative to the working folder when inside it, else absolute. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
