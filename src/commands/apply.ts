/** `safesquid-fleet apply`: allow, then join-slave, then verify --wait: the whole job in order. */
import type { Command } from "commander";
import { usageError, type CommandContext } from "./common.js";
import { buildReport, dryRunOptions, emitReport, fleetOptions, recordOptions, verifyWaitOption, withRun } from "./fleet-options.js";
import { joinOptions, JOIN_DEFAULT_CONCURRENCY } from "./join-slave.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";
import { confirmFor, dryRunPlan } from "./questions.js";
import { verifyConcurrency } from "./verify.js";

const applyOptions = optionList(
  ...fleetOptions({ formats: ["text", "json", "junit"], concurrency: JOIN_DEFAULT_CONCURRENCY }),
  ...dryRunOptions,
  ...recordOptions,
  ...joinOptions,
  option("--prune", "allow: remove addresses of slaves no longer in the inventory from the row"),
  verifyWaitOption,
);
type ApplyFlags = FlagsOf<typeof applyOptions>;

export function registerApply(program: Command): void {
  defineCommand(
    program,
    {
      name: "apply",
      description: "the whole job in order: allow on the master, then join-slave, then verify --wait",
      options: applyOptions,
      help: `
Examples:
  $ safesquid-fleet apply --dry-run                       # change nothing; say which slaves restart, what --yes answers
  $ safesquid-fleet apply --yes                           # unattended (CI); --yes never backs up to cloud
  $ safesquid-fleet apply --yes --backup-to-cloud         # unattended, each slave backed up to cloud first
  $ safesquid-fleet apply --yes -o junit > apply.xml      # with a CI test report
  $ safesquid-fleet apply --yes --shard 2/4 -o json        # join + verify of one shard (run allow once first)`,
    },
    runApplyCommand,
  );
}

async function runApplyCommand(ctx: CommandContext, flags: ApplyFlags): Promise<number> {
  if (flags.shard && flags.prune) {
    throw usageError("--prune goes with allow, which apply --shard does not run", "run `safesquid-fleet allow --prune` once before the shards, and apply --shard without --prune");
  }
  return withRun(ctx, "apply", flags, [], async (run, progress) => {
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
  });
}
