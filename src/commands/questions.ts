/**
 * The questions join-slave and apply may ask before slaves are restarted (README
 * "Questions"): confirm the restarts, and the vendor's "backup current configuration to
 * cloud?" (never answered by --yes: it sends data off the network). Flags answer them;
 * without a terminal (or with CI set) the prompts in
 * src/report/prompts.ts stop the run with exit 2 naming the flag, nothing touched.
 */
import { FleetError } from "../errors.js";
import type { Confirm } from "../fleet/join.js";
import type { Progress } from "../report/spinner.js";
import type { CommandContext } from "./common.js";

export interface QuestionFlags {
  yes?: boolean;
  restart?: boolean;
  backupToCloud?: boolean;
  move?: boolean;
}

/** Builds the confirm step from the flags and, on a terminal, the prompts. */
export function confirmFor(ctx: CommandContext, flags: QuestionFlags, progress: Progress): Confirm {
  return async (planned) => {
    const { askBackupToCloud, confirmMove, confirmRestart } = await import("../report/prompts.js");
    const pctx = { ...ctx, progress, ...(flags.yes ? { yes: true } : {}) };
    const restarting = flags.restart !== false;
    // Slaves joined to another master move only with --move or a yes at a terminal; refused ones are not restarted.
    const moving = planned.filter((n) => n.joinedTo !== undefined);
    const move = flags.move === true || (await confirmMove(moving.map((n) => ({ name: n.name, from: n.joinedTo!, to: `${n.planned?.MASTER_IP}:${n.planned?.MASTER_PORT}` })), pctx));
    const changing = planned.filter((n) => move || n.joinedTo === undefined);
    if (changing.length === 0) return { backupToCloud: false, move };
    let confirmed: boolean;
    try {
      confirmed = !restarting || (await confirmRestart(changing.map((n) => n.name), pctx));
    } catch (e) {
      // Without a terminal, name every flag the run needs at once (not one per failed CI run),
      // and say what --yes alone means for the cloud backup (none: it sends data off the network).
      if (e instanceof FleetError && e.code === "NEEDS_INPUT" && flags.backupToCloud === undefined) {
        throw new FleetError("NEEDS_INPUT", e.message, {
          hint: `${e.hint ?? "pass --yes"} (--yes alone means no cloud backup: add --backup-to-cloud for one)`,
          cause: e,
        });
      }
      throw e;
    }
    if (!confirmed) throw new FleetError("INTERRUPTED", "cancelled: no slave was restarted and nothing was changed");
    // The vendor asks about the backup as part of the restart: no restart, no question.
    const backupToCloud = flags.backupToCloud ?? (restarting ? await askBackupToCloud(pctx) : false);
    return { backupToCloud, move };
  };
}

/** Confirms restarting these slaves (restart, detach, undo, promote): --yes, or a yes at a terminal. */
export async function confirmRestarts(ctx: CommandContext, flags: { yes?: boolean }, progress: Progress, names: readonly string[]): Promise<void> {
  const { confirmRestart } = await import("../report/prompts.js");
  const ok = await confirmRestart(names, { ...ctx, progress, ...(flags.yes ? { yes: true } : {}) }, "pass --yes to restart them");
  if (!ok) throw new FleetError("INTERRUPTED", "cancelled: no slave was restarted and nothing was changed");
}
