/** `safesquid-fleet restart [SLAVE...]`: a rolling restart, each slave back and syncing before the next. */
import type { Command } from "commander";
import { action, type CommandContext } from "./common.js";
import { addFleetOptions, buildReport, emitReport, openRun, type FleetFlags } from "./fleet-options.js";
import { restartTimeoutOption } from "./join-slave.js";
import { progressFor } from "./progress.js";
import { confirmRestarts } from "./questions.js";

interface RestartFlags extends FleetFlags {
  keepGoing?: boolean;
  restartTimeout: number;
}

export function registerRestart(program: Command): void {
  const cmd = program
    .command("restart")
    .description("rolling restart of slaves: each is saved, restarted, and back (and syncing with its master) before the next")
    .argument("[slave...]", "only these slaves (names or globs; same as --limit)");
  addFleetOptions(cmd, { junit: false, concurrency: 1, dryRun: true, decline: { shard: { reason: "a rolling restart takes one slave at a time across the fleet; parallel shards would restart several at once" } } });
  cmd
    .option("--keep-going", "go on past a slave that does not come back right (default: stop the rollout there)")
    .addOption(restartTimeoutOption())
    .addHelpText(
      "after",
      `
Examples:
  $ safesquid-fleet restart --dry-run                    # which slaves, and the master each syncs with
  $ safesquid-fleet restart --yes                        # one at a time; stops at the first that does not come back
  $ safesquid-fleet restart 'pune-*' --concurrency 2 --keep-going --yes -o json
  $ safesquid-fleet join-slave --no-restart --yes && safesquid-fleet restart --yes   # join now, restart in a rolling fashion`,
    )
    .action(action(runRestartCommand));
}

async function runRestartCommand(ctx: CommandContext, names: string[], flags: RestartFlags): Promise<number> {
  const progress = await progressFor(ctx);
  const run = await openRun(ctx, "restart", flags, names, progress);
  try {
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
  } finally {
    progress.stop();
    run.session.close();
  }
}
