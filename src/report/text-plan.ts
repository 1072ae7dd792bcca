/**
 * A dry run's "if run for real" block (join-slave and apply): which slaves would restart,
 * that proxy traffic through each stops while it restarts, and how --yes and the backup flags
 * answer the questions before the restarts. Each item is word-wrapped to the width.
 */
import type { Report } from "../fleet/report.js";
import { wrapText } from "./table.js";
import { safeLine } from "../util/safe-text.js";
import type { TextCtx } from "./text-nodes.js";

const LISTED = 10;

function names(list: readonly string[]): string {
  const shown = list.slice(0, LISTED).map(safeLine).join(", ");
  return list.length > LISTED ? `${shown} and ${list.length - LISTED} more` : shown;
}

/** The sentences, plain. */
export function planSentences(p: Report["RunPlan"]): string[] {
  if (p.noRestart) {
    return ["no slave is restarted (--no-restart): the new MASTER_IP / MASTER_PORT are saved and take effect at each slave's next restart"];
  }
  if (p.restart.length === 0) return ["no slave would be restarted"];
  const n = p.restart.length;
  const out = [
    `restarts ${n === 1 ? "1 slave" : `${n} slaves`}, ${p.concurrency === 1 || n === 1 ? "one at a time" : `${Math.min(p.concurrency, n)} at a time`}: ${names(p.restart)}; proxy traffic through each stops while it restarts`,
    p.confirm === "yes" ? "the restarts are not asked about: --yes answers yes" : "asks before the restarts on a terminal; without one (or in CI) it stops unless --yes is given",
  ];
  const leaves = "its yes sends each slave's configuration off the network";
  switch (p.cloudBackupBy) {
    case "--backup-to-cloud":
      out.push("cloud backup: yes (--backup-to-cloud): each slave's configuration is sent to the cloud before its restart");
      break;
    case "--no-backup-to-cloud":
      out.push("cloud backup: no (--no-backup-to-cloud)");
      break;
    default:
      out.push(
        p.cloudBackup === "ask"
          ? `cloud backup: asked on a terminal, also with --yes (${leaves}); --backup-to-cloud or --no-backup-to-cloud answers it`
          : `cloud backup: none: without a terminal only --backup-to-cloud makes one (--yes does not: ${leaves})`,
      );
  }
  return out;
}

/** The block, or nothing when the report has no plan. */
export function planBlock(plan: Report["RunPlan"] | undefined, c: TextCtx): string[] {
  if (!plan) return [];
  const width = Math.max(20, c.width - 4);
  const items = planSentences(plan).flatMap((s) => wrapText(s, width).split("\n").map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)));
  return [c.s.bold("if run without --dry-run"), ...items];
}
