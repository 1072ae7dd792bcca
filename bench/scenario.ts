/**
 * One fleet size: allow, join-slave and verify, each at the command's default concurrency and
 * at --concurrency 1, in the same run, against one lab. Every timed run really does the work:
 * allow --prune alternates between N and N-1 slaves (the row is rewritten and saved each
 * time); join-slave re-points every slave (stand-alone -> alt master, then alt -> master:
 * params written, saved, restarted, synced); verify reads every slave after they synced.
 * Each run's JSON report is checked, so a failed run cannot pass for a fast one.
 */
import { JOIN_DEFAULT_CONCURRENCY } from "../src/commands/join-slave.js";
import { verifyConcurrency } from "../src/commands/verify.js";
import { startBenchLab, type BenchLab } from "./lab.js";
import { measureVerifyLimit, type VerifyLimit } from "./limit.js";
import { measure, processCpuMs, type Measured } from "./measure.js";

export interface Row {
  slaves: number;
  command: "allow" | "join-slave" | "verify";
  /** A run under faults (bench/huge-reply.ts): what is special about it. */
  scenario?: string;
  /** "default" or "1". */
  concurrency: string;
  /** The --concurrency in effect (allow works on the master alone: its default is 1). */
  concurrencyValue: number;
  wallMs: number;
  slavesPerSecond: number;
  /** Wall time at concurrency 1 over this wall time (1 for the concurrency-1 row itself). */
  speedup?: number;
  peakRssMiB?: number;
  cliCpuMs?: number;
  /** CPU the emulator process used during the run (Linux). */
  labCpuMs?: number;
  exitCode: number | null;
  /** Short verify runs: every sample's wall time (the row shows the median; its peak RSS the highest). */
  samplesMs?: number[];
  /** Node statuses from the JSON report, e.g. { joined: 200 }. */
  summary: Record<string, number>;
  ok: boolean;
}

const JOIN = ["--yes", "--no-backup-to-cloud"];
const defaultConcurrency = (command: Row["command"], slaves: number): number => (command === "allow" ? 1 : command === "join-slave" ? JOIN_DEFAULT_CONCURRENCY : verifyConcurrency(slaves));

/**
 * A verify run shorter than this is repeated (read-only, so every run does the same work) and
 * the median kept: a short CPU-bound run is the one a busy moment of the machine distorts most.
 */
const SHORT_MS = 5000;
const REPEATS = 3;

async function timed(lab: BenchLab, slaves: number, command: Row["command"], concurrency: string, args: string[], expect: string): Promise<Row> {
  const first = await timedOnce(lab, slaves, command, concurrency, args, expect);
  if (command !== "verify" || first.wallMs >= SHORT_MS || !first.ok) return first;
  const all = [first];
  for (let i = 1; i < REPEATS; i++) all.push(await timedOnce(lab, slaves, command, concurrency, args, expect));
  const sorted = [...all].sort((a, b) => a.wallMs - b.wallMs);
  return { ...sorted[Math.floor(sorted.length / 2)]!, samplesMs: all.map((r) => Math.round(r.wallMs)), peakRssMiB: Math.max(...all.map((r) => r.peakRssMiB ?? 0)), ok: all.every((r) => r.ok) };
}

async function timedOnce(lab: BenchLab, slaves: number, command: Row["command"], concurrency: string, args: string[], expect: string): Promise<Row> {
  const cpu0 = processCpuMs(lab.pid);
  const m: Measured = await measure([command, ...args, ...(concurrency === "1" ? ["--concurrency", "1"] : []), "-o", "json"], { cwd: lab.dir });
  const cpu1 = processCpuMs(lab.pid);
  let summary: Record<string, number> = {};
  try {
    summary = (JSON.parse(m.stdout) as { summary: Record<string, number> }).summary;
  } catch {
    summary = { "no report": 1 };
  }
  const expected = command === "allow" ? 1 : command === "join-slave" || command === "verify" ? slaves : 0;
  const ok = m.exitCode === 0 && summary[expect] === expected;
  if (!ok) process.stderr.write(`bench: ${command} (concurrency ${concurrency}) at ${slaves} slaves did not do the work: exit ${m.exitCode}, ${JSON.stringify(summary)}\n${m.stderr.slice(0, 2000)}\n`);
  return rowOf({ slaves, command, concurrency, concurrencyValue: concurrency === "1" ? 1 : defaultConcurrency(command, slaves) }, m, { cpu0, cpu1, summary, ok });
}

/** A row from one measured run: its identity, the measure, the lab's CPU around it, the outcome. */
export function rowOf(id: Pick<Row, "slaves" | "command" | "concurrency" | "concurrencyValue" | "scenario">, m: Measured, o: { cpu0: number | undefined; cpu1: number | undefined; summary: Record<string, number>; ok: boolean }): Row {
  return {
    ...id,
    wallMs: m.wallMs,
    slavesPerSecond: id.slaves / (m.wallMs / 1000),
    ...(m.peakRssMiB !== undefined ? { peakRssMiB: m.peakRssMiB } : {}),
    ...(m.cpuMs !== undefined ? { cliCpuMs: m.cpuMs } : {}),
    ...(o.cpu0 !== undefined && o.cpu1 !== undefined ? { labCpuMs: o.cpu1 - o.cpu0 } : {}),
    exitCode: m.exitCode,
    summary: o.summary,
    ok: o.ok,
  };
}

export interface SizeResult {
  rows: Row[];
  /** verify against the raw client, at verify's default concurrency for this size. */
  limit?: VerifyLimit;
}

export interface SizeOptions {
  /** The table's rows (allow, join-slave, verify at two concurrencies); false: only the limit. */
  table: boolean;
  /** verify / raw client pairs for the limit (0: none). */
  limitRuns: number;
}

/** Runs the whole sequence for one fleet size; `log` shows progress. */
export async function runSize(slaves: number, log: (s: string) => void, o: SizeOptions = { table: true, limitRuns: 5 }): Promise<SizeResult> {
  log(`${slaves} slaves: starting the lab (a separate process)`);
  const lab = await startBenchLab(slaves);
  const inv = lab.inventories;
  try {
    // Both masters let the slaves sync without a login (not timed).
    for (const file of [inv.main, inv.alt]) {
      const r = await measure(["allow", "-i", file, "-o", "json"], { cwd: lab.dir, probe: false });
      if (r.exitCode !== 0) throw new Error(`allow -i ${file} failed (exit ${r.exitCode}): ${r.stderr}`);
    }
    const limit = async (): Promise<VerifyLimit | undefined> => {
      if (o.limitRuns <= 0) return undefined;
      const concurrency = verifyConcurrency(slaves);
      log(`${slaves} slaves: verify and the raw client, ${o.limitRuns} times each, at concurrency ${concurrency}`);
      return measureVerifyLimit(lab, slaves, concurrency, o.limitRuns);
    };
    if (!o.table) {
      log(`${slaves} slaves: joining them (not timed)`);
      const j = await measure(["join-slave", "-i", inv.main, ...JOIN, "--concurrency", "16", "-o", "json"], { cwd: lab.dir, probe: false });
      if (j.exitCode !== 0) throw new Error(`join-slave failed (exit ${j.exitCode}): ${j.stderr.slice(0, 2000)}`);
      const l = await limit();
      return { rows: [], ...(l ? { limit: l } : {}) };
    }
    const rows: Row[] = [];
    const step = async (command: Row["command"], concurrency: string, args: string[], expect: string): Promise<void> => {
      log(`${slaves} slaves: ${command} at concurrency ${concurrency}`);
      rows.push(await timed(lab, slaves, command, concurrency, args, expect));
    };
    await step("allow", "default", ["-i", inv.fewer, "--prune"], "updated");
    await step("allow", "1", ["-i", inv.main, "--prune"], "updated");
    await step("join-slave", "1", ["-i", inv.alt, ...JOIN], "joined");
    await step("join-slave", "default", ["-i", inv.main, ...JOIN], "joined");
    await step("verify", "default", ["-i", inv.main], "in_sync");
    await step("verify", "1", ["-i", inv.main], "in_sync");
    for (const r of rows) {
      const one = rows.find((x) => x.command === r.command && x.concurrency === "1" && !x.scenario);
      // allow changes one row on the master: there is nothing to run in parallel.
      if (one && r.command !== "allow") r.speedup = one.wallMs / r.wallMs;
    }
    const l = await limit();
    return { rows, ...(l ? { limit: l } : {}) };
  } finally {
    await lab.stop();
  }
}
