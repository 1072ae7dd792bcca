/**
 * The chaos test (test/e2e/chaos.test.ts), larger than in `npm test`: more slaves, more rounds,
 * a seed of its own per run (printed, so a failure can be replayed), in the vendor and alt
 * dialects. It passes or fails on its invariants; its time is shown, never judged.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./measure.js";

export interface ChaosRun {
  dialect: string;
  seed: number;
  slaves: number;
  rounds: number;
  ok: boolean;
  wallMs: number;
  /** The test's own lines about each round (statuses, faults drawn), and the failure if any. */
  notes: string[];
}

/** Runs the chaos test once per dialect with this size and seed. */
export async function runChaos(slaves: number, rounds: number, seed: number, log: (s: string) => void): Promise<ChaosRun[]> {
  const out: ChaosRun[] = [];
  for (const dialect of ["vendor", "alt"]) {
    log(`chaos: ${slaves} slaves, ${rounds} rounds, seed ${seed}, dialect ${dialect}`);
    const t0 = performance.now();
    const env = { ...process.env, SAFESQUID_TEST_DIALECT: dialect, SAFESQUID_CHAOS_SEED: String(seed), SAFESQUID_CHAOS_SLAVES: String(slaves), SAFESQUID_CHAOS_ROUNDS: String(rounds) };
    const args = ["--import", "tsx", "--test", "--test-reporter=tap", "--test-timeout=3600000", join(ROOT, "test/e2e/chaos.test.ts")];
    const text = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout }));
    });
    const notes = text.stdout.split("\n").filter((l) => /^# round|^ {2}error:|chaos seed/.test(l)).map((l) => l.replace(/^# /, "").trim());
    out.push({ dialect, seed, slaves, rounds, ok: text.code === 0, wallMs: performance.now() - t0, notes });
  }
  return out;
}
