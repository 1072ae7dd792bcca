/**
 * A slave left `unchanged` that its master refuses: said as a fresh join would say it. Apart
 * from hints.ts, which the command layer loads at start-up and must stay free of the client.
 */
import type { SlaveSpec } from "../inventory/types.js";
import { refusedFix, refusedWarning } from "./hints.js";
import type { NodeResult } from "./report.js";
import { warn } from "./results.js";
import type { FleetSession } from "./session.js";

/**
 * A slave left `unchanged` (it names this master and tries to sync with it) that the master
 * refuses all the same: the same warning and `syncRefused` a fresh join would give, so a
 * second run is not green while the slave takes nothing.
 */
export async function noteRefusedUnchanged(s: FleetSession, slave: SlaveSpec, result: NodeResult): Promise<void> {
  const master = await s.masterDocument().current(5000);
  const refusal = await s.refusalFor(slave, master.access);
  // Refused only by the master's own rows: a 407/403 line is a hint (see fleet/verify.ts).
  if (!refusal) return;
  result.syncRefused = refusedFix(s, refusal.denyRow);
  warn(result, await refusedWarning(s, slave, `by its access rows: ${refusal.reason}`, refusal.denyRow));
}
