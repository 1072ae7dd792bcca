/**
 * `verify -o prometheus`: the run as Prometheus text exposition (format 0.0.4, what
 * node_exporter's textfile collector reads): gauges only, base units (seconds, Unix time),
 * one HELP and TYPE line per metric, labels `master`, `slave`, `section`, `state` (and
 * `shard` on the run's own series when the run was one shard of N, so that the files of N
 * jobs can sit side by side). No sample carries a timestamp (the collector refuses them), no
 * sample is NaN: what is not known is left out. The metric list is docs/monitoring.md's.
 */
import type { NodeResult, Report, RunReport, VerifyStatus } from "../fleet/report.js";

const SLAVE_STATES: readonly VerifyStatus[] = ["in_sync", "pending", "out_of_sync", "not_joined", "unreachable"];
const SECTION_STATES: readonly Report["SectionStatus"][] = ["in_sync", "pending", "out_of_sync", "excluded", "unknown"];

/** What the metrics are made of: a verify report, or only its frame when the master could not be read. */
export type MetricsInput = Pick<RunReport, "master" | "finishedAt" | "durationMs" | "nodes"> & Partial<Pick<RunReport, "shard">> & {
  /** The master could not be read: no slave was judged. */
  masterError?: Report["NodeError"];
};

type Labels = Record<string, string>;

interface Metric {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** A label value as the text format wants it: backslash, double quote and line feed escaped. */
function labelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** A number as the text format wants it: integers as they are, others to the millisecond. */
function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}

function formatMetric(m: Metric): string[] {
  const help = m.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  const out = [`# HELP ${m.name} ${help}`, `# TYPE ${m.name} gauge`];
  for (const s of m.samples) {
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${labelValue(v)}"`).join(",");
    out.push(`${m.name}{${labels}} ${num(s.value)}`);
  }
  return out;
}

const bool = (b: boolean): number => (b ? 1 : 0);

/** Seconds from the slave's last sync to the end of the run (never negative), when its log shows one. */
export function lastSyncAgeSeconds(n: NodeResult, finishedAt: string): number | undefined {
  const at = n.sync?.lastSyncedAt;
  if (at === undefined) return undefined;
  return Math.max(0, (Date.parse(finishedAt) - Date.parse(at)) / 1000);
}

/** Renders the metrics of one verify run. */
export function renderPrometheus(r: MetricsInput): string {
  const master = { master: r.master.name };
  const run = r.shard ? { ...master, shard: `${r.shard.index}/${r.shard.count}` } : master;
  const metric = (name: string, help: string): Metric => ({ name: `safesquid_fleet_${name}`, help, samples: [] });
  const masterUp = metric("master_up", "Whether this run could read the master's policy document (1) or not (0); when 0, no slave was judged.");
  const up = metric("slave_up", "Whether the slave answered its admin requests (1) or not (0).");
  const joined = metric("slave_joined", "Whether the slave is joined to this master and syncing with it (1) or not (0); absent when the slave did not answer.");
  const inSync = metric("slave_in_sync", "Whether every reported section of the slave equals the master's (1) or not (0); absent when the slave did not answer.");
  const state = metric("slave_state", "The slave's verify state: 1 for the state it is in, 0 for the others.");
  const section = metric("section_state", "A section's state on a slave: 1 for the state it is in, 0 for the others; absent when the slave did not answer.");
  const lastSync = metric(
    "slave_last_sync_timestamp_seconds",
    "When the slave last took sections from this master, as a Unix time in this machine's clock (its log's synchronized section lines); absent when its log does not show one.",
  );
  const age = metric("slave_last_sync_age_seconds", "Seconds from the slave's last sync with this master to the end of this run; absent when its log does not show one.");
  const counts = metric("slaves", "The number of slaves in each verify state.");
  const duration = metric("verify_duration_seconds", "How long this verify run took.");
  const stamp = metric("verify_timestamp_seconds", "When this verify run ended, as a Unix time.");

  masterUp.samples.push({ labels: run, value: bool(r.masterError === undefined) });
  for (const n of r.nodes) {
    const slave = { ...master, slave: n.name };
    const answered = n.status !== "unreachable";
    up.samples.push({ labels: slave, value: bool(answered) });
    if (answered) {
      joined.samples.push({ labels: slave, value: bool(n.joined === true) });
      inSync.samples.push({ labels: slave, value: bool(n.status === "in_sync") });
    }
    for (const st of SLAVE_STATES) state.samples.push({ labels: { ...slave, state: st }, value: bool(n.status === st) });
    for (const sec of answered ? (n.sections ?? []) : []) {
      for (const st of SECTION_STATES) section.samples.push({ labels: { ...slave, section: sec.name, state: st }, value: bool(sec.status === st) });
    }
    const a = lastSyncAge(n, r.finishedAt);
    if (a) {
      lastSync.samples.push({ labels: slave, value: a.at });
      age.samples.push({ labels: slave, value: a.age });
    }
  }
  if (r.masterError === undefined) {
    for (const st of SLAVE_STATES) counts.samples.push({ labels: { ...run, state: st }, value: r.nodes.filter((n) => n.status === st).length });
  }
  duration.samples.push({ labels: run, value: r.durationMs / 1000 });
  stamp.samples.push({ labels: run, value: Date.parse(r.finishedAt) / 1000 });
  const all = [masterUp, up, joined, inSync, state, section, lastSync, age, counts, duration, stamp].filter((m) => m.samples.length > 0);
  return all.flatMap(formatMetric).join("\n") + "\n";
}

function lastSyncAge(n: NodeResult, finishedAt: string): { at: number; age: number } | undefined {
  const age = lastSyncAgeSeconds(n, finishedAt);
  return age === undefined ? undefined : { at: Date.parse(n.sync!.lastSyncedAt!) / 1000, age };
}
