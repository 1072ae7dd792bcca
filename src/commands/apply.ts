/** `safesquid-fleet apply`: allow, then join-slave, then verify --wait: the whole job in order. */
import { Option, type Command } from "commander";
import { action, duration, usageError, type CommandContext } from "./common.js";
import { addFleetOptions, buildReport, emitReport, openRun } from "./fleet-options.js";
import { addJoinOptions, JOIN_DEFAULT_CONCURRENCY, type JoinFlags } from "./join-slave.js";
import { confirmFor, dryRunPlan } from "./questions.js";
import { progressFor } from "./progress.js";
import { verifyConcurrency } from "./verify.js";

interface ApplyFlags extends JoinFlags {
  prune?: boolean;
  wait: number;
}

export function registerApply(program: Command): void {
  const cmd = program.command("apply").description("the whole job in order: allow on the master, then join-slave, then verify --wait");
  addFleetOptions(cmd, { junit: true, concurrency: JOIN_DEFAULT_CONCURRENCY, dryRun: true });
  addJoinOptions(cmd)
    .option("--prune", "allow: remove addresses of slaves no longer in the inventory from the row")
    .addOption(new Option("--wait <duration>", "verify: how long to wait for every slave to be in sync").argParser(duration("--wait")).default(120_000, "2m"))
    .addHelpText(
      "after",
      `
Examples:
  $ safesquid-fleet apply --dry-run                       # change nothing; say which slaves restart, what --yes answers
  $ safesquid-fleet apply --yes                           # unattended (CI); --yes never backs up to cloud
  $ safesquid-fleet apply --yes --backup-to-cloud         # unattended, each slave backed up to cloud first
  $ safesquid-fleet apply --yes -o junit > apply.xml      # with a CI test report
  $ safesquid-fleet apply --yes --shard 2/4 -o json        # join + verify of one shard (run allow once first)`,
    )
    .action(action(runApplyCommand));
}

async function runApplyCommand(ctx: CommandContext, flags: ApplyFlags): Promise<number> {
  if (flags.shard && flags.prune) {
    throw usageError("--prune goes with allow, which apply --shard does not run", "run `safesquid-fleet allow --prune` once before the shards, and apply --shard without --prune");
  }
  const progress = await progressFor(ctx);
  const run = await openRun(ctx, "apply", flags, [], progress);
  try {
    const { runApply } = await import("../fleet/apply.js");
    const r = await runApply(
      run.session,
      {
        // Under --shard the master-side allow is not this job's: it runs once, before the
        // shards (fleet/apply.ts then adds a note saying so).
        allow: flags.shard ? undefined : { slaves: run.slaves, prune: flags.prune === true },
        join: {
          slaves: run.slaves,
          restart: flags.restart,
          concurrency: flags.concurrency ?? JOIN_DEFAULT_CONCURRENCY,
          restartTimeoutMs: flags.restartTimeout,
          move: flags.move === true,
        },
        verify: { concurrency: verifyConcurrency(run.slaves.length), waitMs: flags.wait },
        dryRun: flags.dryRun === true,
      },
      confirmFor(ctx, flags, progress),
    );
    progress.stop();
    const joinPhase = r.phases.find((p) => p.command === "join-slave" && p.skipped === undefined);
    const plan = flags.dryRun && joinPhase ? dryRunPlan(flags, joinPhase.nodes, flags.concurrency ?? JOIN_DEFAULT_CONCURRENCY, ctx.interactive) : undefined;
    return await emitReport(run, buildReport(run, "apply", r.nodes, { phases: r.phases, notes: r.notes, ...(plan ? { plan } : {}) }));
  } finally {
    progress.stop();
    run.session.close();
  }
}
