/**
 * Runs the BUILT command-line tool (`node bin/safesquid-fleet.js ...`) as a user would and
 * measures it: wall time from spawn to exit (node's own start-up included), and, through a
 * preloaded probe (rusage-probe.mjs), the process's peak resident set size and CPU time.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const BIN = join(ROOT, "bin", "safesquid-fleet.js");
const PROBE = pathToFileURL(join(ROOT, "bench", "rusage-probe.mjs")).href;

export interface Measured {
  args: string[];
  exitCode: number | null;
  wallMs: number;
  /** Peak resident set size of the CLI process (getrusage ru_maxrss), MiB. */
  peakRssMiB?: number;
  /** User + system CPU time of the CLI process, ms. */
  cpuMs?: number;
  stdout: string;
  stderr: string;
}

/** Spawns `node [nodeArgs] bin/safesquid-fleet.js args` (or `node nodeArgs` alone when bin is false) and waits for it. */
export function measure(args: string[], o: { cwd?: string; probe?: boolean; bin?: boolean; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-bench-"));
  const usageFile = join(dir, "rusage.json");
  const probe = o.probe ?? true;
  const argv = [...(probe ? ["--import", PROBE] : []), ...(o.nodeArgs ?? []), ...(o.bin === false ? [] : [BIN]), ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", CI: "1", SAFESQUID_BENCH_RUSAGE: usageFile };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, argv, { cwd: o.cwd ?? ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 600_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      child.on("close", () => {
        const m: Measured = { args, exitCode: code, wallMs, stdout, stderr };
        try {
          const u = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKiB: number; userUs: number; systemUs: number };
          m.peakRssMiB = u.maxRssKiB / 1024;
          m.cpuMs = (u.userUs + u.systemUs) / 1000;
        } catch {
          // no probe (cold-start runs) or the process died before its exit handler
        }
        rmSync(dir, { recursive: true, force: true });
        resolve(m);
      });
    });
  });
}

/** The median of some numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name), in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
