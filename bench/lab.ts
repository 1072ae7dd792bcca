/**
 * The emulated fleet the benchmark measures against, in its OWN process (the built CLI's
 * `lab` command), so the CLI process measured is only the CLI: zero restart downtime and a
 * one-hour sync interval, so the emulator does as little as a fleet can and never adds waits.
 * One slave more than asked: the last one serves as a second master ("alt") so that every
 * join-slave run really re-points every slave (stand-alone -> alt -> master).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { BIN } from "./measure.js";

export interface BenchLab {
  dir: string;
  pid: number | undefined;
  /** Inventories: the master with N slaves; "alt" as master; the master with N-1 slaves (allow --prune). */
  inventories: { main: string; alt: string; fewer: string };
  stop(): Promise<void>;
}

interface LabInventory {
  master: { name: string; host: string; port: number };
  slaves: { name: string; host: string }[];
  [k: string]: unknown;
}

/** Starts a lab of `slaves` (+1) emulated slaves on 127.251.x.y (outside the tests' blocks) and writes the inventories. */
export async function startBenchLab(slaves: number, timeoutMs = 120_000): Promise<BenchLab> {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-bench-lab-"));
  const written = join(dir, "lab.yaml");
  const args = [BIN, "lab", "--slaves", String(slaves + 1), "--port", "0", "--base-address", "127.251.0.1", "--sync-interval", "1h", "--restart-downtime", "0", "--write-inventory", written, "--state-dir", join(dir, "state")];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(written)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the lab did not start (${child.exitCode === null ? "timed out" : `exit ${child.exitCode}`}):\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 100)); // the file is written in one call; let it land
  const inv = parse(readFileSync(written, "utf8")) as LabInventory;
  const alt = inv.slaves.at(-1)!;
  const fleet = inv.slaves.slice(0, -1);
  const write = (name: string, data: LabInventory): string => {
    const file = join(dir, name);
    writeFileSync(file, stringify(data));
    return file;
  };
  const inventories = {
    main: write("main.yaml", { ...inv, slaves: fleet }),
    alt: write("alt.yaml", { ...inv, master: { name: "alt", host: alt.host, port: inv.master.port }, slaves: fleet }),
    fewer: write("fewer.yaml", { ...inv, slaves: fleet.slice(0, -1) }),
  };
  return {
    dir,
    pid: child.pid,
    inventories,
    stop: async () => {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
