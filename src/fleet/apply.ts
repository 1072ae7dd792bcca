/**
 * `apply`: the whole job in the vendor's order: `allow` on the master, then `join-slave`,
 * then `verify --wait`; it stops after `allow` when the master cannot be made ready.
 * The slaves are read (and any question asked) BEFORE the first write, so a run that would
 * need an answer it cannot get stops with nothing touched. Under --shard the master-side
 * `allow` is not run (it runs once, before the shards).
 */
import { runAllow, type AllowOptions } from "./allow.js";
import { joinPlanned, masterFacts, runJoin, type Confirm, type JoinOptions, type MasterFacts } from "./join.js";
import type { NodeResult, Report } from "./report.js";
import { FAILING } from "./report.js";
import { errorInfo, startResult } from "./results.js";
import type { FleetSession } from "./session.js";
import { runVerify, type VerifyOptions } from "./verify.js";

export interface ApplyOptions {
  /** undefined under --shard: allow is not this run's job. */
  allow: Omit<AllowOptions, "dryRun"> | undefined;
  join: Omit<JoinOptions, "dryRun" | "backupToCloud">;
  verify: Omit<VerifyOptions, "slaves">;
  dryRun: boolean;
}

export interface ApplyResult {
  nodes: NodeResult[];
  phases: Report["Phase"][];
  notes: string[];
}

/** A phase of a run (apply, promote), its duration since t0. */
export function phase(command: Report["Phase"]["command"], nodes: NodeResult[], t0: number, skipped?: string): Report["Phase"] {
  const ok = !skipped && !nodes.some((n) => FAILING.has(n.status));
  return { command, ok: skipped ? false : ok, durationMs: Math.round(performance.now() - t0), nodes, ...(skipped ? { skipped } : {}) };
}

/** Results for slaves a stopped run did not start. */
export function skipped(slaves: ApplyOptions["join"]["slaves"], why: string): NodeResult[] {
  return slaves.map((sl) => {
    const { result, finish } = startResult(sl, "skipped");
    result.warnings = [why];
    return finish();
  });
}

/** Runs allow, join-slave and verify in order; returns one report's worth of results. */
export async function runApply(s: FleetSession, o: ApplyOptions, confirm: Confirm): Promise<ApplyResult> {
  const phases: Report["Phase"][] = [];
  const notes: string[] = [];
  const slaves = o.join.slaves;
  // The master's error is said once, on the master (its allow row in the report); the phases
  // and slaves it stopped say only that, not the error again.
  const stop = (master: NodeResult | undefined, why: string): ApplyResult => {
    const rest = skipped(slaves, `not started: ${why}`);
    phases.push(phase("join-slave", rest, performance.now(), why), phase("verify", [], performance.now(), why));
    return { nodes: [...(master ? [master] : []), ...rest], phases, notes };
  };

  let facts: MasterFacts;
  const t0 = performance.now();
  try {
    facts = await masterFacts(s);
  } catch (e) {
    const { result, finish } = startResult(s.inventory.master, "failed");
    result.error = errorInfo(e);
    phases.push(phase("allow", [finish()], t0));
    return stop(result, "the master is not ready (see allow)");
  }

  // Read the slaves and settle every question before the first write.
  const plan = await runJoin(s, { ...o.join, dryRun: true, backupToCloud: false, checkRefusals: false }, facts);
  const changing = plan.filter((r) => r.status === "planned");
  const answers = !o.dryRun && changing.length > 0 ? await confirm(changing) : { backupToCloud: false, move: o.join.move };

  let masterNode: NodeResult | undefined;
  if (o.allow) {
    const ta = performance.now();
    masterNode = await runAllow(s, { ...o.allow, dryRun: o.dryRun });
    phases.push(phase("allow", [masterNode], ta));
    if (masterNode.status === "failed") return stop(masterNode, "the master could not be made ready (see allow)");
  } else {
    notes.push("join-slave and verify only: under --shard, allow runs once on the master before the shards (safesquid-fleet allow)");
  }

  const tj = performance.now();
  const joined = o.dryRun ? plan : await joinPlanned(s, { ...o.join, dryRun: false, backupToCloud: answers.backupToCloud, move: answers.move }, facts, plan);
  phases.push(phase("join-slave", joined, tj));

  if (o.dryRun || s.signal.aborted) {
    const why = o.dryRun ? "not run in a dry run (nothing was changed to verify)" : "not run: interrupted";
    phases.push(phase("verify", [], performance.now(), why));
    return { nodes: [...(masterNode ? [masterNode] : []), ...joined], phases, notes };
  }

  const tv = performance.now();
  // Slaves whose join failed or was rolled back will not come into sync by waiting: one look, no wait.
  const noWait = new Set(joined.filter((j) => j.status === "failed" || j.status === "rolled_back").map((j) => j.name));
  const verified = await runVerify(s, { ...o.verify, slaves, noWait });
  phases.push(phase("verify", verified, tv));
  return { nodes: [...(masterNode ? [masterNode] : []), ...withJoin(verified, joined)], phases, notes };
}

/** Each slave's verify result carrying its join-slave result (same order). */
export function withJoin(verified: readonly NodeResult[], joined: readonly NodeResult[]): NodeResult[] {
  return verified.map((v, i): NodeResult => {
    const j = joined[i]!;
    return {
      ...v,
      join: {
        status: j.status as Report["JoinStatus"],
        ...(j.warnings ? { warnings: j.warnings } : {}),
        ...(j.error ? { error: j.error } : {}),
        ...(j.rollback ? { rollback: j.rollback } : {}),
        ...(j.left ? { left: j.left } : {}),
        ...(j.syncRefused ? { syncRefused: j.syncRefused } : {}),
      },
    };
  });
}
