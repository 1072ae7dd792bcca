/**
 * `verify --watch [INTERVAL]`: the fleet drawn again in place on the terminal every INTERVAL
 * until Ctrl-C (then exit 130, the cursor shown, the last view left on screen). No spinner:
 * the view's header says when a round is being read.
 */
import { addressOf } from "../fleet/address.js";
import type { WatchRound } from "../fleet/watch.js";
import type { CommandContext } from "./common.js";
import { openRun } from "./fleet-options.js";
import { verifyConcurrency, type VerifyFlags } from "./verify.js";

/** Runs the watch until the run's signal is aborted; returns 130. */
export async function runWatch(ctx: CommandContext, names: string[], flags: VerifyFlags, intervalMs: number): Promise<number> {
  const run = await openRun(ctx, "verify", flags, names);
  const { watchVerify } = await import("../fleet/watch.js");
  const { LiveView } = await import("../report/live.js");
  const { renderWatch } = await import("../report/watch.js");
  const chalk = (await import("chalk")).default;
  const view = new LiveView(process.stdout);
  const master = { name: run.inventory.master.name, address: addressOf(run.inventory.master) };
  let last: WatchRound | undefined;
  const draw = (reading: boolean): void => view.draw(renderWatch({ master, intervalMs, reading, color: chalk.level > 0, ...view.size, ...(last ? { round: last } : {}) }));
  try {
    await watchVerify(
      run.session,
      { slaves: run.slaves, concurrency: flags.concurrency ?? verifyConcurrency(run.slaves.length), intervalMs },
      {
        reading: () => draw(true),
        round: (r) => {
          last = r;
          draw(false);
        },
      },
    );
  } finally {
    if (last) draw(false); // the last view, without "reading…" in its header
    view.close();
    run.session.close();
  }
  return 130;
}
