/** `safesquid-fleet detach [SLAVE...]`: make slaves stand-alone again (the inverse of join-slave). */
import type { Command } from "commander";
import type { CommandContext } from "./common.js";
import { buildReport, emitReport, withRun } from "./fleet-options.js";
import { lifecycleOptions } from "./lifecycle.js";
import { defineCommand, option, type FlagsOf } from "./options.js";
import { confirmRestarts } from "./questions.js";

export const DETACH_DEFAULT_CONCURRENCY = 2;

const detachOptions = lifecycleOptions(
  { formats: ["text", "json"], concurrency: DETACH_DEFAULT_CONCURRENCY, noShard: "it is not split into parallel jobs: run it once for the slaves it detaches (--prune-allow changes the master's one allow row)" },
  option("--prune-allow", "also remove the detached slaves' addresses from the master's allow row (saved, read back)"),
);
type DetachFlags = FlagsOf<typeof detachOptions>;

export function registerDetach(program: Command): void {
  defineCommand(
    program,
    {
      name: "detach",
      description: "make slaves stand-alone: MASTER_IP / MASTER_PORT emptied, restarted, and checked to no longer sync (the inverse of join-slave)",
      arguments: [["[slave...]", "only these slaves (names or globs; same as --limit)"]],
      options: detachOptions,
      help: `
Examples:
  $ safesquid-fleet detach pune-3 --dry-run               # what would change
  $ safesquid-fleet detach pune-3 --yes --prune-allow     # stand-alone, and out of the master's allow row
  $ safesquid-fleet detach --limit 'old-*' --yes -o json

Confirming that a slave no longer syncs takes one SYNCTIME (plus a grace) after its restart.
Then remove it from the inventory, or a later allow / apply lets it in again.`,
    },
    runDetachCommand,
  );
}

async function runDetachCommand(ctx: CommandContext, names: string[], flags: DetachFlags): Promise<number> {
  return withRun(ctx, "detach", flags, names, async (run, progress) => {
    const { runDetach } = await import("../fleet/detach.js");
    const { pruneAllow } = await import("../fleet/detach-allow.js");
    const o = { slaves: run.slaves, concurrency: flags.concurrency ?? DETACH_DEFAULT_CONCURRENCY, restartTimeoutMs: flags.restartTimeout };
    let slaves = await runDetach(run.session, { ...o, dryRun: true });
    const planned = slaves.filter((n) => n.status === "planned");
    if (!flags.dryRun && planned.length) {
      await confirmRestarts(ctx, flags, progress, planned.map((n) => n.name));
      const done = await runDetach(run.session, { ...o, dryRun: false, slaves: run.slaves.filter((sl) => planned.some((p) => p.name === sl.name)) });
      slaves = slaves.map((n) => done.find((d) => d.name === n.name) ?? n);
    }
    const leaving = run.slaves.filter((sl) => ["detached", "unchanged", "planned"].includes(slaves.find((n) => n.name === sl.name)!.status));
    const master = flags.pruneAllow && leaving.length ? [await pruneAllow(run.session, leaving, flags.dryRun === true)] : [];
    const notes = slaves.some((n) => n.status === "detached") ? ["remove the detached slaves from the inventory, or a later allow / apply lets them in again"] : [];
    progress.stop();
    return await emitReport(run, buildReport(run, "detach", [...master, ...slaves], { notes }));
  });
}
