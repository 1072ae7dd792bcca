/** `safesquid-fleet join-slave [SLAVE...]`: point slaves at the master, restart, wait for sync. */
import type { Command } from "commander";
import type { CommandContext } from "./common.js";
import { buildReport, dryRunOptions, emitReport, fleetOptions, recordOptions, restartTimeoutOption, withRun } from "./fleet-options.js";
import { defineCommand, optionList, type FlagsOf } from "./options.js";
import { confirmFor, dryRunPlan, questionOptions } from "./questions.js";

export const JOIN_DEFAULT_CONCURRENCY = 2;

/** The options join-slave and apply share, after the fleet options. */
export const joinOptions = optionList(...questionOptions, restartTimeoutOption);

const joinSlaveOptions = optionList(...fleetOptions({ formats: ["text", "json"], concurrency: JOIN_DEFAULT_CONCURRENCY }), ...dryRunOptions, ...recordOptions, ...joinOptions);
type JoinFlags = FlagsOf<typeof joinSlaveOptions>;

export function registerJoinSlave(program: Command): void {
  defineCommand(
    program,
    {
      name: "join-slave",
      description: "point slaves at the master (MASTER_IP / MASTER_PORT), restart them and wait until they sync",
      arguments: [["[slave...]", "only these slaves (names or globs; same as --limit)"]],
      options: joinSlaveOptions,
      help: `
Examples:
  $ safesquid-fleet join-slave --dry-run                  # what would change, which slaves restart, what --yes answers
  $ safesquid-fleet join-slave pune-1 --yes                    # no question; no cloud backup
  $ safesquid-fleet join-slave --yes --backup-to-cloud         # unattended, with each slave backed up to cloud
  $ safesquid-fleet join-slave --limit 'pune-*' --concurrency 1 -o json --yes
  $ safesquid-fleet join-slave pune-7 --move --yes      # pune-7 is joined to another master: move it here
  $ safesquid-fleet join-slave --shard 1/3 --yes -o json > shard-1.json   # one of 3 parallel jobs

A slave the master refuses (allow has not run yet) is joined, exit 0, but the
recap says so: "! 2 joined, 2 need allow", and the command to run next.`,
    },
    runJoinSlave,
  );
}

async function runJoinSlave(ctx: CommandContext, names: string[], flags: JoinFlags): Promise<number> {
  return withRun(ctx, "join-slave", flags, names, async (run, progress) => {
    const { masterFacts, planAndJoin } = await import("../fleet/join.js");
    const facts = await masterFacts(run.session);
    const nodes = await planAndJoin(
      run.session,
      {
        slaves: run.slaves,
        dryRun: flags.dryRun === true,
        restart: flags.restart,
        backupToCloud: false,
        concurrency: flags.concurrency ?? JOIN_DEFAULT_CONCURRENCY,
        restartTimeoutMs: flags.restartTimeout,
        move: flags.move === true,
      },
      facts,
      confirmFor(ctx, flags, progress),
    );
    progress.stop();
    const plan = flags.dryRun ? dryRunPlan(flags, nodes, flags.concurrency ?? JOIN_DEFAULT_CONCURRENCY, ctx.interactive) : undefined;
    return await emitReport(run, buildReport(run, "join-slave", nodes, plan ? { plan } : {}));
  });
}
