/** `safesquid-fleet verify [SLAVE...]`: joined? syncing? every section equal to the master's? */
import type { Command } from "commander";
import { action, duration, type CommandContext } from "./common.js";
import { addFleetOptions, buildReport, emitReport, openRun, type FleetFlags } from "./fleet-options.js";
import { progressFor } from "./progress.js";

export interface VerifyFlags extends FleetFlags {
  wait?: number;
}

/** The fewest slaves verify reads at once by default (see verifyConcurrency). */
export const VERIFY_DEFAULT_CONCURRENCY = 16;
/** The most slaves verify reads at once by default. */
export const VERIFY_MAX_DEFAULT_CONCURRENCY = 64;

/**
 * verify's default concurrency for a fleet of `slaves`: a quarter of them, at least 16, at most
 * 64 (200 slaves: 50). Each node only ever sees its own reads, so more at once costs the nodes
 * nothing; what it costs is this machine's memory and sockets (two per slave in flight). Each
 * slave's read ends with a quiet spell on its log stream (tens of milliseconds of waiting, see
 * src/safesquid/log.ts): with enough slaves in flight those waits overlap and the run is bound
 * by this machine's CPU, not by the waits.
 */
export function verifyConcurrency(slaves: number): number {
  return Math.min(VERIFY_MAX_DEFAULT_CONCURRENCY, Math.max(VERIFY_DEFAULT_CONCURRENCY, Math.ceil(slaves / 4)));
}

export const VERIFY_CONCURRENCY_HELP = `a quarter of the slaves, at least ${VERIFY_DEFAULT_CONCURRENCY}, at most ${VERIFY_MAX_DEFAULT_CONCURRENCY}`;

export function registerVerify(program: Command): void {
  const cmd = program
    .command("verify")
    .description("per slave and per section: is it joined to this master, is it syncing, does each section match the master's")
    .argument("[slave...]", "only these slaves (names or globs; same as --limit)");
  addFleetOptions(cmd, { junit: true, concurrency: VERIFY_CONCURRENCY_HELP, dryRun: false });
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
      concurrency: flags.concurrency ?? verifyConcurrency(run.slaves.length),
      ...(flags.wait ? { waitMs: flags.wait } : {}),
    });
    progress.stop();
    return await emitReport(run, buildReport(run, "verify", nodes, { notes: await masterNotes(run.session) }));
  } finally {
    progress.stop();
    run.session.close();
  }
}
