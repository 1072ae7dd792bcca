/**
 * `promote NEW_MASTER`: disaster recovery, the old master gone (or going). In order:
 *  1. read the slave to promote; check it holds a full copy of the policy (./promote-check.ts:
 *     against the old master where it still answers; where it does not, say what could not be
 *     checked);
 *  2. make it stand-alone (detach's write, restart and "no longer syncs" test), so nothing
 *     overwrites its policy again;
 *  3. put the allow row for the remaining slaves on it (allow, against the promoted inventory);
 *  4. re-point every other slave to it (join-slave with --move), then verify.
 * Every node is read (and every question asked) before the first write. A failure at 2 or 3
 * stops the run before any other slave is touched.
 */
import { FleetError } from "../errors.js";
import { promotedInventory } from "../inventory/promote.js";
import type { SlaveSpec } from "../inventory/types.js";
import { paramValues } from "../safesquid/params.js";
import { runAllow } from "./allow.js";
import { phase, skipped, withJoin } from "./apply.js";
import { runDetach } from "./detach.js";
import { joinPlanned, runJoin, type JoinOptions, type MasterFacts } from "./join.js";
import { checkCopy } from "./promote-check.js";
import type { NodeResult, Report } from "./report.js";
import { masterTarget } from "./restart-node.js";
import { errorInfo, startResult, step, warn } from "./results.js";
import type { FleetSession } from "./session.js";
import { runVerify } from "./verify.js";

export interface PromoteOptions {
  newMaster: SlaveSpec;
  /** The other slaves to re-point (after --limit). */
  others: SlaveSpec[];
  dryRun: boolean;
  /** Promote although its sections differ from the old master's. */
  force: boolean;
  concurrency: number;
  restartTimeoutMs: number;
  waitMs: number;
}

export interface PromoteResult {
  nodes: NodeResult[];
  phases: Report["Phase"][];
  notes: string[];
  /** The session of the promoted fleet (its master is the new master). */
  promoted: FleetSession;
}

/** Runs the promotion; `confirm` gets the slaves that will restart, before the first write. */
export async function runPromote(s: FleetSession, o: PromoteOptions, confirm: (names: string[]) => Promise<void>): Promise<PromoteResult> {
  const p = s.withInventory(promotedInventory(s.inventory, o.newMaster.name));
  const { result: head, finish } = startResult(p.inventory.master, "failed");
  const phases: Report["Phase"][] = [];
  const notes: string[] = [];
  const stop = (why: string): PromoteResult => {
    notes.push(`stopped: ${why}`);
    const rest = skipped(o.others, `not started: ${why}`);
    for (const c of ["join-slave", "verify"] as const) if (!phases.some((x) => x.command === c)) phases.push(phase(c, c === "join-slave" ? rest : [], performance.now(), why));
    return { nodes: [finish(), ...rest], phases, notes, promoted: p };
  };
  const t0 = performance.now();
  let facts: MasterFacts;
  try {
    s.progress.phase(`promote: reading ${o.newMaster.name}`);
    const c = s.client(o.newMaster);
    const values = paramValues(await c.readParams());
    const copy = await checkCopy(s, o.newMaster, values, await masterTarget(s));
    for (const w of copy.warnings) warn(head, w);
    if (copy.differs.length) {
      const what = `${o.newMaster.name}'s ${copy.differs.join(", ")} differ from the old master's: it does not hold a full copy of the policy`;
      if (!o.force) throw new FleetError("CONFLICT", `${what}; nothing was written`, { node: o.newMaster.name, hint: "let it sync first (safesquid-fleet verify --wait), pick another slave, or pass --force to promote it as it is" });
      warn(head, `${what} (--force: promoted as it is)`);
    } else if (copy.checked) step(head, "its sections equal the old master's");
    facts = { target: await p.masterPointer(), activationKey: (await c.subscription()).activationKeyName };
  } catch (e) {
    head.error = errorInfo(e);
    phases.push(phase("detach", [head], t0));
    return stop(`${o.newMaster.name} cannot be promoted: ${head.error.message}`);
  }

  // Read everything (a dry pass), then ask, then write.
  const dry = { slaves: [o.newMaster], concurrency: 1, restartTimeoutMs: o.restartTimeoutMs };
  const standAlone = await runDetach(s, { ...dry, dryRun: true });
  // What the check found is shown with the new master's first step.
  for (const w of head.warnings ?? []) warn(standAlone[0]!, w);
  const allowDry = await runAllow(p, { slaves: o.others, dryRun: true, prune: false });
  const join: JoinOptions = { slaves: o.others, dryRun: true, restart: true, backupToCloud: false, concurrency: o.concurrency, restartTimeoutMs: o.restartTimeoutMs, move: true };
  const plan = await runJoin(p, join, facts);
  const restarting = [...standAlone, ...plan].filter((r) => r.status === "planned").map((r) => r.name);
  if (o.dryRun) {
    head.status = standAlone[0]!.status === "unchanged" && allowDry.status === "unchanged" ? "unchanged" : standAlone[0]!.status === "failed" || allowDry.status === "failed" ? "failed" : "planned";
    absorb(head, standAlone[0]!, allowDry);
    phases.push(phase("detach", standAlone, t0), phase("allow", [allowDry], t0), phase("join-slave", plan, t0), phase("verify", [], performance.now(), "not run in a dry run (nothing was changed to verify)"));
    return { nodes: [finish(), ...plan], phases, notes, promoted: p };
  }
  if (restarting.length) await confirm(restarting);

  const detached = standAlone[0]!.status === "planned" ? await runDetach(s, { ...dry, dryRun: false }) : standAlone;
  for (const w of head.warnings ?? []) warn(detached[0]!, w);
  phases.push(phase("detach", detached, t0));
  absorb(head, detached[0]!);
  if (detached[0]!.status === "failed") return stop(`${o.newMaster.name} could not be made stand-alone (${detached[0]!.error?.message ?? "failed"})`);
  const ta = performance.now();
  const allowed = await runAllow(p, { slaves: o.others, dryRun: false, prune: false });
  phases.push(phase("allow", [allowed], ta));
  absorb(head, allowed);
  if (allowed.status === "failed") return stop(`the allow row on ${o.newMaster.name} could not be made (${allowed.error?.message ?? "failed"})`);
  head.status = detached[0]!.status === "unchanged" && allowed.status === "unchanged" ? "unchanged" : "promoted";

  const tj = performance.now();
  const joined = await joinPlanned(p, { ...join, dryRun: false }, facts, plan);
  phases.push(phase("join-slave", joined, tj));
  const tv = performance.now();
  const noWait = new Set(joined.filter((j) => j.status === "failed" || j.status === "rolled_back").map((j) => j.name));
  const verified = s.signal.aborted ? [] : await runVerify(p, { slaves: o.others, concurrency: 16, waitMs: o.waitMs, noWait });
  phases.push(phase("verify", verified, tv, s.signal.aborted ? "not run: interrupted" : undefined));
  return { nodes: [finish(), ...(verified.length ? withJoin(verified, joined) : joined)], phases, notes, promoted: p };
}

/** The new master's line carries what its steps did, warned and failed. */
function absorb(head: NodeResult, ...parts: NodeResult[]): void {
  for (const r of parts) {
    for (const x of r.steps ?? []) step(head, x);
    for (const w of r.warnings ?? []) warn(head, w);
    if (r.row) head.row = r.row;
    if (r.error) head.error = r.error;
  }
}
