/** `safesquid-fleet allow`: one allow row on the master lets every slave sync without a login. */
import type { Command } from "commander";
import type { CommandContext } from "./common.js";
import { buildReport, dryRunOptions, emitReport, fleetOptions, recordOptions, withRun } from "./fleet-options.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";
import { allowConfirmFor } from "./questions.js";

const allowOptions = optionList(
  ...fleetOptions({
    formats: ["text", "json"],
    concurrency: 1,
    decline: {
      // The allow row is the master's, one for the whole fleet: N shards each rewriting it would race.
      shard: {
        reason: "it changes the master once for the whole fleet",
        hint: "run `safesquid-fleet allow` once (without --shard) before the sharded join-slave / verify / apply jobs",
      },
      concurrency: { reason: "it changes one node, the master, so there is nothing to run at once" },
    },
  }),
  ...dryRunOptions,
  ...recordOptions,
  option("--prune", "remove addresses of slaves no longer in the inventory from the row"),
);
type AllowFlags = FlagsOf<typeof allowOptions>;

export function registerAllow(program: Command): void {
  defineCommand(
    program,
    {
      name: "allow",
      description: "on the master: make sure one allow row lets every slave's address reach CONFIG without a login, above any row that would challenge or deny them",
      options: allowOptions,
      help: `
Examples:
  $ safesquid-fleet allow --dry-run             # the row before and after, and the moves
  $ safesquid-fleet allow                       # on a terminal: shows the change, asks; then write, save, read back
  $ safesquid-fleet allow --yes                 # no question (none is asked without a terminal either)
  $ safesquid-fleet allow --prune -o json       # also drop addresses of removed slaves`,
    },
    runAllowCommand,
  );
}

async function runAllowCommand(ctx: CommandContext, flags: AllowFlags): Promise<number> {
  return withRun(ctx, "allow", flags, [], async (run, progress) => {
    const { runAllow } = await import("../fleet/allow.js");
    const master = await runAllow(run.session, { slaves: run.slaves, dryRun: flags.dryRun === true, prune: flags.prune === true, confirm: allowConfirmFor(ctx, flags, progress) });
    progress.stop();
    return await emitReport(run, buildReport(run, "allow", [master]));
  });
}
