/**
 * A slave left `unchanged` that its master refuses: said as a fresh join would say it. Apart
 * from hints.ts, which the command layer loads at start-up and must stay free of the client.
 */
import type { SlaveSpec } from "../inventory/types.js";
import { refusedFix, refusedWarning } from "./hints.js";
import type { NodeResult } from "./report.js";
import { warn } from "./results.js";
import type { FleetSession } from "./session.js";
import type { SlaveView } from "./slave-view.js";
import { attemptsWith } from "./sync-judge.js";

/**
 * A slave left `unchanged` (it names this master and tries to sync with it) that the master
 * refuses all the same: the same warning and `syncRefused` a fresh join would give, so a
 * second run is not green while the slave takes nothing.
 */
export async function noteRefusedUnchanged(s: FleetSession, slave: SlaveSpec, result: NodeResult, view: SlaveView, target: string): Promise<void> {
  const master = await s.masterDocument().current(5000);
  const refusal = await s.refusalFor(slave, master.access);
  const failure = attemptsWith(view.blocks, target).at(-1)?.failure;
  const source = refusal ? `by its access rows: ${refusal.reason}` : failure && failure.kind !== "unreachable" && failure.kind !== "other" ? `its log says: ${failure.reason}` : undefined;
  if (!source) return;
  result.syncRefused = refusedFix(s, refusal?.denyRow);
  warn(result, await refusedWarning(s, slave, source, refusal?.denyRow));
}
