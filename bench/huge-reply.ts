/**
 * Huge replies among many slaves: `verify` of N slaves (default 200) where one slave answers a
 * 20 MB policy document and another 20 MB of startup parameters, both streamed without
 * Content-Length. Each reply is bounded (src/safesquid/transport.ts): those two slaves get a
 * per-node REPLY_TOO_LARGE and the CLI's peak memory stays what a plain verify needs. The lab
 * runs in its own process (bench/fault-lab.ts); the slaves are joined and in sync first (not
 * timed), so the timed verify does the whole work on every other slave.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyConcurrency } from "../src/commands/verify.js";
import { measure, processCpuMs, ROOT } from "./measure.js";
import { rowOf, type Row } from "./scenario.js";

const HUGE = 20 * 1000 * 1000;
const HUGE_NODES = ["slave-7", "slave-8"];

/** Runs the scenario; returns its row (scenario "huge replies"). */
export async function runHugeReply(slaves: number, log: (s: string) => void): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-bench-huge-"));
  const inventory = join(dir, "lab.yaml");
  log(`${slaves} slaves, two answering 20 MB: starting the lab (a separate process)`);
  const args = ["--import", "tsx", join(ROOT, "bench/fault-lab.ts"), "--slaves", String(slaves), "--state", join(dir, "state"), "--inventory", inventory, "--huge", `${HUGE_NODES[0]}=conf_xml:${HUGE}`, "--huge", `${HUGE_NODES[1]}=safesquid_params:${HUGE}`];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    const deadline = Date.now() + 180_000;
    while (!existsSync(inventory)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the fault lab did not start (exit ${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 100));
    const allow = await measure(["allow", "-i", inventory, "-o", "json"], { cwd: dir, probe: false });
    if (allow.exitCode !== 0) throw new Error(`allow failed (exit ${allow.exitCode}): ${allow.stderr}`);
    // Wait (not timed) until every other slave has synced with the master.
    for (let i = 0; ; i++) {
      const v = await measure(["verify", "-i", inventory, "-o", "json"], { cwd: dir, probe: false });
      const inSync = (JSON.parse(v.stdout) as { summary: Record<string, number> }).summary.in_sync ?? 0;
      if (inSync === slaves - HUGE_NODES.length) break;
      if (i >= 60) throw new Error(`only ${inSync} of ${slaves - HUGE_NODES.length} slaves in sync after ${i} looks`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    log(`${slaves} slaves, two answering 20 MB: verify (timed)`);
    const cpu0 = processCpuMs(child.pid);
    const m = await measure(["verify", "-i", inventory, "-o", "json"], { cwd: dir });
    const cpu1 = processCpuMs(child.pid);
    const report = JSON.parse(m.stdout) as { summary: Record<string, number>; nodes: { name: string; error?: { code: string } }[] };
    const bounded = HUGE_NODES.every((n) => report.nodes.find((x) => x.name === n)?.error?.code === "REPLY_TOO_LARGE");
    const ok = m.exitCode === 1 && report.summary.in_sync === slaves - HUGE_NODES.length && bounded;
    if (!ok) process.stderr.write(`bench: huge replies: not the expected outcome: exit ${m.exitCode}, ${JSON.stringify(report.summary)}\n${m.stderr.slice(0, 2000)}\n`);
    return rowOf({ slaves, command: "verify", scenario: "2 slaves answer 20 MB", concurrency: "default", concurrencyValue: verifyConcurrency(slaves) }, m, { cpu0, cpu1, summary: report.summary, ok });
  } finally {
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  }
}
