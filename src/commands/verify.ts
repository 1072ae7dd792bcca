/** `safesquid-fleet verify [SLAVE...]`: joined? syncing? every section equal to the master's? */
import type { Command } from "commander";
import { action, duration, type CommandContext } from "./common.js";
import { addFleetOptions, buildReport, emitReport, openRun, type FleetFlags } from "./fleet-options.js";
import { progressFor } from "./progress.js";

export interface VerifyFlags extends FleetFlags {
  wait?: number;
}

export const VERIFY_DEFAULT_CONCURRENCY = 16;

export function registerVerify(program: Command): void {
  const cmd = program
    .command("verify")
    .description("per slave and per section: is it joined to this master, is it syncing, does each section match the master's")
    .argument("[slave...]", "only these slaves (names or globs; same as --limit)");
  addFleetOptions(cmd, { junit: true, concurrency: VERIFY_DEFAULT_CONCURRENCY, dryRun: false });
  cmd
    .option("--wait <duration>", "poll until every slave is in sync or this much time has passed, e.g. 5m", duration("--wait"))
    .addHelpText(
      "after",
      `
Examples:
  $ safesquid-fleet verify                          # one look
  $ safesquid-fleet verify --wait 5m                # poll until in sync (or 5 minutes)
  $ safesquid-fleet verify -o junit > verify.xml    # for CI test reports
  $ safesquid-fleet verify --shard 2/4 -o json      # one of 4 parallel jobs (then: report merge)`,
    )
    .action(action(runVerifyCommand));
}

async function runVerifyCommand(ctx: CommandContext, names: string[], flags: VerifyFlags): Promise<number> {
  const progress = await progressFor(ctx);
  const run = await openRun(ctx, "verify", flags, names, progress);
  try {
    const { masterNotes, runVerify } = await import("../fleet/verify.js");
    const nodes = await runVerify(run.session, {
      slaves: run.slaves,
      concurrency: flags.concurrency ?? VERIFY_DEFAULT_CONCURRENCY,
      ...(flags.wait ? { waitMs: flags.wait } : {}),
    });
    progress.stop();
    return await emitReport(run, buildReport(run, "verify", nodes, { notes: await masterNotes(run.session) }));
  } finally {
    progress.stop();
    run.session.close();
  }
}
