/**
 * The benchmark's results: the machine, a markdown table per fleet size, the cold start, and
 * the targets with what each came to (the large-fleet targets, and memory under huge replies).
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem, platform, release } from "node:os";
import type { VerifyLimit } from "./limit.js";
import type { Row } from "./scenario.js";
import type { Startup } from "./startup.js";
import type { ChaosRun } from "./chaos.js";
import { ROOT } from "./measure.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  commit?: string;
}

/** What this benchmark ran on. */
export function machine(): Machine {
  let commit: string | undefined;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // not a git checkout (e.g. an unpacked package)
  }
  const c = cpus();
  return { cpu: c[0]?.model.trim() ?? "unknown", cores: c.length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version, ...(commit ? { commit } : {}) };
}

export interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

/** The issue's four targets, read off the results (undefined: that size was not run). */
export function targets(rows: Row[], startup: Startup, limits: VerifyLimit[]): Target[] {
  const at = (n: number, c: string, conc: string): Row | undefined => rows.find((r) => r.slaves === n && r.command === c && r.concurrency === conc);
  const v200 = at(200, "verify", "default");
  const v500 = at(500, "verify", "default");
  const peak = Math.max(0, ...rows.filter((r) => r.slaves === 500 && !r.scenario).map((r) => r.peakRssMiB ?? 0));
  const has500 = rows.some((r) => r.slaves === 500 && !r.scenario);
  const huge = rows.find((r) => r.scenario);
  return [
    { what: "verify speed-up at 200 slaves (default concurrency over 1)", goal: ">= 8x", measured: v200?.speedup ? `${v200.speedup.toFixed(1)}x` : "not run", met: v200?.speedup === undefined ? undefined : v200.speedup >= 8 },
    { what: "verify of 500 slaves, emulator included", goal: "< 10 s", measured: v500 ? `${(v500.wallMs / 1000).toFixed(2)} s` : "not run", met: v500 ? v500.wallMs < 10_000 : undefined },
    { what: "CLI peak memory at 500 slaves (any command)", goal: "< 200 MB", measured: has500 ? `${peak.toFixed(0)} MiB` : "not run", met: has500 ? peak * 1.048576 < 200 : undefined },
    {
      what: `CLI peak memory, verify of ${huge?.slaves ?? 200} slaves of which 2 answer 20 MB (each bounded: REPLY_TOO_LARGE)`,
      goal: "< 200 MB",
      measured: huge?.peakRssMiB !== undefined ? `${huge.peakRssMiB.toFixed(0)} MiB${huge.ok ? "" : " (run FAILED)"}` : "not run",
      met: huge?.peakRssMiB === undefined ? undefined : huge.ok && huge.peakRssMiB * 1.048576 < 200,
    },
    ...limitTargets(startup, limits),
  ];
}

/** The two ratios: verify of 200 slaves over the raw client, and each command's start over bare node. */
export function limitTargets(startup: Startup, limits: VerifyLimit[]): Target[] {
  const l200 = limits.find((l) => l.slaves === 200);
  const worst = startup.commands.filter((c) => !c.firstRun).sort((a, b) => b.ratio - a.ratio)[0];
  return [
    {
      what: "verify of 200 slaves over the raw client (same reads, same concurrency)",
      goal: "<= 2.5x",
      measured: l200 ? `${l200.ratio.toFixed(2)}x (${f(l200.verifyMs, 0)} ms / ${f(l200.rawMs, 0)} ms)` : "not run",
      met: l200 ? l200.ok && l200.ratio <= 2.5 : undefined,
    },
    {
      what: "every command's start over bare `node -e 0`",
      goal: "<= 2x",
      measured: worst ? `${worst.ratio.toFixed(2)}x at worst (${worst.command})` : "not run",
      met: worst ? worst.ratio <= 2 : undefined,
    },
  ];
}

const f = (x: number | undefined, digits = 1): string => (x === undefined ? "" : x.toFixed(digits));

/** The results as markdown. */
export function markdown(m: Machine, rows: Row[], startup: Startup, limits: VerifyLimit[], t: Target[]): string {
  const out = [`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}${m.commit ? `, commit ${m.commit}` : ""}`, ""];
  out.push("| slaves | command | concurrency | wall (s) | slaves/s | speed-up vs 1 | CLI peak RSS (MiB) | CLI CPU (s) | lab CPU (s) | result |");
  out.push("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    const result = r.ok ? Object.entries(r.summary).map(([k, v]) => `${v} ${k}`).join(", ") : `FAILED (exit ${r.exitCode})`;
    const conc = r.concurrency === "default" ? `${r.concurrencyValue} (default)` : String(r.concurrencyValue);
    const speedup = r.speedup ? f(r.speedup) + "x" : r.command === "allow" ? "n/a" : "";
    out.push(`| ${r.slaves} | ${r.command}${r.scenario ? ` (${r.scenario})` : ""} | ${conc} | ${f(r.wallMs / 1000, 2)} | ${f(r.slavesPerSecond)} | ${speedup} | ${f(r.peakRssMiB, 0)} | ${f(r.cliCpuMs && r.cliCpuMs / 1000, 2)} | ${f(r.labCpuMs && r.labCpuMs / 1000, 2)} | ${result} |`);
  }
  if (rows.length === 0) out.splice(2, 2);
  else out.push("", "Wall time: spawn to exit of `node bin/safesquid-fleet.js` (start-up included); verify runs under 5 s: median of 3. Peak RSS: the CLI process's getrusage ru_maxrss. CPU: user + system. The lab (emulator) runs in its own process; its CPU during the run is shown apart. allow works on the master alone (one row for all slaves): its default concurrency is 1 and it has no speed-up to show.");
  if (limits.length) {
    out.push("", "| slaves | concurrency | verify (ms) | raw client (ms) | ratio | runs (verify / raw, ms) |", "|---:|---:|---:|---:|---:|---|");
    for (const l of limits) out.push(`| ${l.slaves} | ${l.concurrency} | ${f(l.verifyMs, 0)} | ${f(l.rawMs, 0)} | ${f(l.ratio, 2)}x${l.ok ? "" : " (FAILED)"} | ${l.verifySamplesMs.join(" ")} / ${l.rawSamplesMs.join(" ")} |`);
    out.push("", "verify against the raw client (bench/raw-client.mjs): the same reads per slave (parameters and document on one connection, the log on another) with no parsing, at the same concurrency, alternately; medians; both spawn to exit.");
    out.push("", "| slaves | got client, requests alone (ms) | raw client, requests alone (ms) | got's floor |", "|---:|---:|---:|---:|");
    for (const l of limits) out.push(`| ${l.slaves} | ${f(l.got.ms, 0)} | ${f(l.got.rawMs, 0)} | ${f(l.got.ratio, 2)}x |`);
    out.push("", "got's floor: the same reads made through got as the tool makes them (bench/got-client.mjs: one got instance per node, no parsing) over the raw client's, each timed from after its imports: what got alone costs for verify's reads, which verify cannot go under while it keeps got.");
  }
  out.push("", `| start-up (median of ${startup.runs}) | until | ms | over \`node -e 0\` (${f(startup.nodeMs, 0)} ms) |`, "|---|---|---:|---:|");
  for (const c of startup.commands) out.push(`| \`${c.command}\`${c.firstRun ? ", first run (nothing kept from an earlier run; not a target)" : ""} | ${c.until} | ${f(c.ms, 0)} | ${f(c.ratio, 2)}x |`);
  out.push("");
  out.push("| target | goal | measured | met |", "|---|---|---|---|");
  for (const x of t) out.push(`| ${x.what} | ${x.goal} | ${x.measured} | ${x.met === undefined ? "n/a" : x.met ? "yes" : "NO"} |`);
  return out.join("\n") + "\n";
}

/** The chaos runs as markdown: each dialect, its seed (to replay it), pass or fail, and what each round saw. */
export function chaosMarkdown(runs: ChaosRun[]): string {
  if (runs.length === 0) return "";
  const out = ["", "| chaos | slaves | rounds | seed | wall (s) | invariants |", "|---|---:|---:|---:|---:|---|"];
  for (const r of runs) out.push(`| ${r.dialect} | ${r.slaves} | ${r.rounds} | ${r.seed} | ${f(r.wallMs / 1000, 0)} | ${r.ok ? "held" : "FAILED"} |`);
  for (const r of runs) for (const n of r.notes) out.push(`- ${r.dialect}: ${n}`);
  out.push("", "Replay one: `npm run build && SAFESQUID_CHAOS_SEED=<seed> SAFESQUID_CHAOS_SLAVES=<slaves> SAFESQUID_CHAOS_ROUNDS=<rounds> SAFESQUID_TEST_DIALECT=<dialect> node --import tsx --test test/e2e/chaos.test.ts`.");
  return out.join("\n") + "\n";
}
