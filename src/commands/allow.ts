/** `safesquid-fleet allow`: one allow row on the master lets every slave sync without a login. */
import type { Command } from "commander";
import { action, type CommandContext } from "./common.js";
import { addFleetOptions, buildReport, emitReport, openRun, type FleetFlags } from "./fleet-options.js";
import { progressFor } from "./progress.js";
import { allowConfirmFor } from "./questions.js";

export interface AllowFlags extends FleetFlags {
  prune?: boolean;
}

export function registerAllow(program: Command): void {
  const cmd = program
    .command("allow")
    .description("on the master: make sure one allow row lets every slave's address reach CONFIG without a login, above any row that would challenge or deny them");
  addFleetOptions(cmd, {
    junit: false,
    concurrency: 1,
    dryRun: true,
    decline: {
      // The allow row is the master's, one for the whole fleet: N shards each rewriting it would race.
      shard: {
        reason: "it changes the master once for the whole fleet",
        hint: "run `safesquid-fleet allow` once (without --shard) before the sharded join-slave / verify / apply jobs",
      },
      concurrency: { reason: "it changes one node, the master, so there is nothing to run at once" },
    },
  });
  cmd
    .option("--prune", "remove addresses of slaves no longer in the inventory from the row")
    .addHelpText(
      "after",
      `
Examples:
  $ safesquid-fleet allow --dry-run             # the row before and after, and the moves
  $ safesquid-fleet allow                       # on a terminal: shows the change, asks; then write, save, read back
  $ safesquid-fleet allow --yes                 # no question (none is asked without a terminal either)
  $ safesquid-fleet allow --prune -o json       # also drop addresses of removed slaves`,
    )
    .action(action(runAllowCommand));
}

async function runAllowCommand(ctx: CommandContext, flags: AllowFlags): Promise<number> {
  const progress = await progressFor(ctx);
  const run = await openRun(ctx, "allow", flags, [], progress);
  try {
    const { runAllow } = await import("../fleet/allow.js");
    const master = await runAllow(run.session, { slaves: run.slaves, dryRun: flags.dryRun === true, prune: flags.prune === true, confirm: allowConfirmFor(ctx, flags, progress) });
    progress.stop();
    return await emitReport(run, buildReport(run, "allow", [master]));
  } finally {
    progress.stop();
    run.session.close();
  }
}
