/**
 * `report merge` for `apply`: the shards' phases (join-slave, verify; allow is not run under
 * --shard) joined per phase. A phase is skipped in the merged report only when every shard
 * skipped it (a dry run's verify); skipped in some shards only, it is not ok, and a note says
 * which shard skipped it and why.
 */
import type { NodeResult, Report, RunReport } from "./report.js";

const byName = new Intl.Collator("en", { numeric: true }).compare;

/**
 * The nodes of several shards as one list: the master first, once (every shard that could
 * not get past the master reports it), then the slaves by name ("slave-2" before "slave-10").
 */
export function orderNodes(nodes: readonly NodeResult[]): NodeResult[] {
  const masters = nodes.filter((n, i) => n.role === "master" && nodes.findIndex((m) => m.role === "master" && m.name === n.name) === i);
  return [...masters, ...nodes.filter((n) => n.role !== "master").sort((a, b) => byName(a.name, b.name))];
}

/** Joins the phases of the shards' apply reports (shards in index order). */
export function mergePhases(parts: readonly { file: string; report: RunReport }[], notes: string[]): Report["Phase"][] {
  const order: Report["Phase"]["command"][] = [];
  for (const p of parts) for (const ph of p.report.phases ?? []) if (!order.includes(ph.command)) order.push(ph.command);
  return order.map((command) => {
    const mine = parts.map((p) => ({ p, ph: (p.report.phases ?? []).find((x) => x.command === command) }));
    const ran = mine.filter((m) => m.ph && m.ph.skipped === undefined);
    const skipped = mine.filter((m) => m.ph?.skipped !== undefined);
    const absent = mine.filter((m) => !m.ph);
    const phase: Report["Phase"] = {
      command,
      ok: ran.length > 0 && skipped.length === 0 && absent.length === 0 && ran.every((m) => m.ph!.ok),
      durationMs: Math.max(0, ...mine.map((m) => m.ph?.durationMs ?? 0)),
      nodes: orderNodes(mine.flatMap((m) => m.ph?.nodes ?? [])),
    };
    if (ran.length === 0) {
      const reasons = [...new Set(skipped.map((m) => m.ph!.skipped!))];
      phase.skipped = reasons.join("; ") || "not run in any shard";
    } else {
      for (const m of skipped) notes.push(`shard ${m.p.report.shard!.index}/${m.p.report.shard!.count}: ${command} skipped: ${m.ph!.skipped}`);
      for (const m of absent) notes.push(`shard ${m.p.report.shard!.index}/${m.p.report.shard!.count} (${m.p.file}) has no ${command} phase`);
    }
    return phase;
  });
}
