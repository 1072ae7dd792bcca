/** `safesquid-fleet restart [SLAVE...]`: a rolling restart, each slave back and syncing before the next. */
import type { Command } from "commander";
import type { CommandContext } from "./common.js";
import { buildReport, emitReport, withRun } from "./fleet-options.js";
import { lifecycleOptions } from "./lifecycle.js";
import { defineCommand, option, type FlagsOf } from "./options.js";
import { confirmRestarts } from "./questions.js";

const restartOptions = lifecycleOptions(
  { formats: ["text", "json"], concurrency: 1, noShard: "a rolling restart takes one slave at a time across the fleet; parallel shards would restart several at once" },
  option("--keep-going", "go on past a slave that does not come back right (default: stop the rollout there)"),
);
type RestartFlags = FlagsOf<typeof restartOptions>;

export function registerRestart(program: Command): void {
  defineCommand(
    program,
    {
      name: "restart",
      description: "rolling restart of slaves: each is saved, restarted, and back (and syncing with its master) before the next",
      arguments: [["[slave...]", "only these slaves (names or globs; same as --limit)"]],
      options: restartOptions,
      help: `
Examples:
  $ safesquid-fleet restart --dry-run                    # which slaves, and the master each syncs with
  $ safesquid-fleet restart --yes                        # one at a time; stops at the first that does not come back
  $ safesquid-fleet restart 'pune-*' --concurrency 2 --keep-going --yes -o json
  $ safesquid-fleet join-slave --no-restart --yes && safesquid-fleet restart --yes   # join now, restart in a rolling fashion`,
    },
    runRestartCommand,
  );
}

async function runRestartCommand(ctx: CommandContext, names: string[], flags: RestartFlags): Promise<number> {
  return withRun(ctx, "restart", flags, names, async (run, progress) => {
    const { planRestart, runRestart } = await import("../fleet/restart.js");
    const plan = await planRestart(run.session, run.slaves);
    const planned = plan.filter((r) => r.status === "planned").map((r) => r.name);
    let nodes = plan;
    if (!flags.dryRun && planned.length) {
      await confirmRestarts(ctx, flags, progress, planned);
      nodes = await runRestart(run.session, { slaves: run.slaves, concurrency: flags.concurrency ?? 1, restartTimeoutMs: flags.restartTimeout, keepGoing: flags.keepGoing === true }, plan);
    }
    progress.stop();
    return await emitReport(run, buildReport(run, "restart", nodes));
  });
}
