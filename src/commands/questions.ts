/**
 * The questions join-slave and apply may ask before slaves are restarted (README
 * "Questions"): confirm the restarts, and the vendor's "backup current configuration to
 * cloud?" (never answered by --yes: it sends data off the network). Flags answer them;
 * without a terminal (or with CI set) the prompts in
 * src/report/prompts.ts stop the run with exit 2 naming the flag, nothing touched.
 */
import { FleetError } from "../errors.js";
import type { Confirm } from "../fleet/join.js";
import type { NodeResult, Report } from "../fleet/report.js";
import type { Progress } from "../report/spinner.js";
import type { CommandContext } from "./common.js";
import type { FleetFlags } from "./fleet-options.js";
import { option, optionList, type FlagsOf } from "./options.js";

/** The options that answer the questions before slaves are restarted (join-slave, apply); --yes is a fleet option. */
export const questionOptions = optionList(
  option("--backup-to-cloud", "back up each slave's configuration to the vendor's cloud before its restart (--yes never does: it sends data off the network)").orNo(
    "do not back up to cloud (no question asked; without a terminal, --yes alone means this too)",
  ),
  option("--no-restart", "write and save the change but do not restart (it takes effect at the next restart)"),
  option("--move", "re-point slaves that are joined to another master (without it they are refused, unless you answer yes at a terminal)"),
);

export type QuestionFlags = FlagsOf<typeof questionOptions> & Pick<FleetFlags, "yes">;

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

/**
 * A dry run's word on what the real run would do beyond its writes: the slaves it would
 * restart (the planned ones), and how --yes and the backup flags answer the questions.
 */
export function dryRunPlan(flags: QuestionFlags, joinNodes: readonly NodeResult[], concurrency: number, interactive: boolean): Report["RunPlan"] {
  const noRestart = flags.restart === false;
  const planned = joinNodes.filter((n) => n.status === "planned").map((n) => n.name);
  // --yes never answers the cloud backup (its yes sends data off the network): a person at a
  // terminal does, and without one there is none unless --backup-to-cloud.
  const plan: Report["RunPlan"] = { restart: noRestart ? [] : planned, concurrency, noRestart, confirm: flags.yes ? "yes" : "ask", cloudBackup: interactive ? "ask" : "no" };
  if (noRestart) Object.assign(plan, { cloudBackup: "no", cloudBackupBy: "--no-restart" });
  else if (flags.backupToCloud === true) Object.assign(plan, { cloudBackup: "yes", cloudBackupBy: "--backup-to-cloud" });
  else if (flags.backupToCloud === false) Object.assign(plan, { cloudBackup: "no", cloudBackupBy: "--no-backup-to-cloud" });
  return plan;
}

/**
 * allow's question on a terminal: the change to the master's access rows (the row's addresses,
 * where it goes), then "Change ... now?". --yes, or no terminal, answers yes without asking.
 */
export function allowConfirmFor(ctx: CommandContext, flags: Pick<FleetFlags, "yes">, progress: Progress): (planned: NodeResult) => Promise<boolean> {
  return async (planned) => {
    if (flags.yes || !ctx.interactive) return true;
    const { confirmAccessChange } = await import("../report/prompts.js");
    const row = planned.row;
    const after = row?.after;
    const lines = [`allow will change the access rows of the master ${planned.name} (${planned.address}):`];
    if (after) {
      const what = row.before ? `update the slaves' allow row${row.before.id ? ` (id ${row.before.id})` : ""}` : "add an allow row";
      lines.push(`  ${what} at row ${after.position}: ${after.ip.join(", ") || "(no addresses)"} may reach ${after.access.join(", ")} without a login`);
    }
    for (const m of row?.moves ?? []) lines.push(`  ${m}`);
    lines.push("  then save it on the master (--dry-run shows every field of the row, and changes nothing)");
    return confirmAccessChange(lines, `Change the master's access rows now?`, { ...ctx, progress, command: "allow" });
  };
}
