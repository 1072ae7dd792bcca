/** `safesquid-fleet join-slave [SLAVE...]`: point slaves at the master, restart, wait for sync. */
import { Option, type Command } from "commander";
import { action, duration, type CommandContext } from "./common.js";
import { addFleetOptions, buildReport, emitReport, openRun, type FleetFlags } from "./fleet-options.js";
import { confirmFor, dryRunPlan } from "./questions.js";
import { progressFor } from "./progress.js";

export interface JoinFlags extends FleetFlags {
  restart: boolean;
  move?: boolean;
  backupToCloud?: boolean;
  restartTimeout: number;
}

export const JOIN_DEFAULT_CONCURRENCY = 2;

/** --restart-timeout, for every command that restarts slaves. */
export function restartTimeoutOption(): Option {
  return new Option("--restart-timeout <duration>", "how long a slave may take to come back after its restart (its SYNCTIME is added)").argParser(duration("--restart-timeout")).default(120_000, "2m");
}

/** Adds the options join-slave and apply share. */
export function addJoinOptions(cmd: Command): Command {
  return cmd
    .option("--backup-to-cloud", "back up each slave's configuration to the vendor's cloud before its restart (--yes never does: it sends data off the network)")
    .option("--no-backup-to-cloud", "do not back up to cloud (no question asked; without a terminal, --yes alone means this too)")
    .option("--no-restart", "write and save the change but do not restart (it takes effect at the next restart)")
    .option("--move", "re-point slaves that are joined to another master (without it they are refused, unless you answer yes at a terminal)")
    .addOption(restartTimeoutOption());
}

export function registerJoinSlave(program: Command): void {
  const cmd = program
    .command("join-slave")
    .description("point slaves at the master (MASTER_IP / MASTER_PORT), restart them and wait until they sync")
    .argument("[slave...]", "only these slaves (names or globs; same as --limit)");
  addFleetOptions(cmd, { junit: false, concurrency: JOIN_DEFAULT_CONCURRENCY, dryRun: true });
  addJoinOptions(cmd).addHelpText(
    "after",
    `
Examples:
  $ safesquid-fleet join-slave --dry-run                  # what would change, which slaves restart, what --yes answers
  $ safesquid-fleet join-slave pune-1 --yes                    # no question; no cloud backup
  $ safesquid-fleet join-slave --yes --backup-to-cloud         # unattended, with each slave backed up to cloud
  $ safesquid-fleet join-slave --limit 'pune-*' --concurrency 1 -o json --yes
  $ safesquid-fleet join-slave pune-7 --move --yes      # pune-7 is joined to another master: move it here
  $ safesquid-fleet join-slave --shard 1/3 --yes -o json > shard-1.json   # one of 3 parallel jobs

A slave the master refuses (allow has not run yet) is joined, exit 0, but the
recap says so: "! 2 joined, 2 need allow", and the command to run next.`,
  );
  cmd.action(action(runJoinSlave));
}

async function runJoinSlave(ctx: CommandContext, names: string[], flags: JoinFlags): Promise<number> {
  const progress = await progressFor(ctx);
  const run = await openRun(ctx, "join-slave", flags, names, progress);
  try {
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
  } finally {
    progress.stop();
    run.session.close();
  }
}
