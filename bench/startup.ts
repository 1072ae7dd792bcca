/**
 * Start-up: how long each command takes before it does its work, against a bare `node -e 0`,
 * each the median of several runs, interleaved so that a busy moment of the machine hits all.
 *
 * A command that talks to nodes is timed from spawn to its FIRST connection: its inventory
 * (200 slaves) names as master a listener of this process, which notes the time and kills
 * the CLI (Node's start, module loading, reading and checking the inventory, everything before
 * the first request). `--help`, `--version` and `inventory validate` are timed spawn to exit.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, measure, median } from "./measure.js";

export interface CommandStart {
  /** The command as run, e.g. "verify" or "--help". */
  command: string;
  /** "exit" or "first connection". */
  until: string;
  ms: number;
  /** ms over node -e 0's. */
  ratio: number;
  /** Every sample, ms. */
  samplesMs: number[];
  /** Run without the compile cache, as a first run after installing is: shown, not a target. */
  firstRun?: boolean;
}

export interface Startup {
  runs: number;
  nodeMs: number;
  commands: CommandStart[];
}

/** The inventory the start-up runs read: 200 slaves, the master at the listener. */
function inventory(dir: string, port: number, slaves = 200): string {
  const lines = ["version: 1", "defaults:", `  port: ${port}`, "  timeout: 10s", "master:", "  name: master", "  host: 127.0.0.1", "slaves:"];
  for (let i = 1; i <= slaves; i++) lines.push(`  - name: slave-${i}`, `    host: 127.254.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  const file = join(dir, "start.yaml");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/**
 * Spawns the CLI; resolves with the time to its first connection to `server` (then kills it), or
 * to its exit. `warmUp`: the connection is closed instead and the CLI runs to its exit, so that
 * it writes its compile cache (which a killed process never does; docs/architecture.md "Build").
 */
function timeToFirstConnection(args: string[], server: net.Server, cwd: string, warmUp = false, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ ms: number; until: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", CI: "1", ...extraEnv };
    delete env.FORCE_COLOR;
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: "ignore" });
    let first: number | undefined;
    const onConnection = (socket: net.Socket): void => {
      first ??= Number(process.hrtime.bigint() - t0) / 1e6;
      socket.destroy();
      if (!warmUp) child.kill("SIGKILL");
    };
    server.on("connection", onConnection);
    child.on("error", reject);
    child.on("exit", () => {
      server.off("connection", onConnection);
      resolve(first !== undefined ? { ms: first, until: "first connection" } : { ms: Number(process.hrtime.bigint() - t0) / 1e6, until: "exit" });
    });
  });
}

/** Measures every command's start against bare node. */
export async function measureStartup(runs: number): Promise<Startup> {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-bench-start-"));
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const inv = inventory(dir, port);
  const commands: { name: string; args: string[]; firstRun?: boolean }[] = [
    { name: "--version", args: ["--version"] },
    { name: "--help", args: ["--help"] },
    { name: "inventory validate (200 slaves)", args: ["inventory", "validate", "-i", inv] },
    { name: "verify", args: ["verify", "-i", inv, "-o", "json"] },
    { name: "allow", args: ["allow", "-i", inv, "-o", "json"] },
    { name: "join-slave", args: ["join-slave", "-i", inv, "--yes", "--no-backup-to-cloud", "-o", "json"] },
    { name: "apply", args: ["apply", "-i", inv, "--yes", "--no-backup-to-cloud", "-o", "json"] },
    { name: "verify", args: ["verify", "-i", inv, "-o", "json"], firstRun: true },
  ];
  try {
    const node: number[] = [];
    const samples = commands.map(() => [] as number[]);
    const until = commands.map(() => "exit");
    // Not counted: each command once to its exit, which warms the file cache and writes the
    // compile cache (a command's second run is what is measured; the first is shown apart).
    for (const c of commands) await timeToFirstConnection(c.args, server, dir, true);
    for (let i = 0; i < runs; i++) {
      node.push((await measure(["-e", "0"], { probe: false, bin: false })).wallMs);
      for (const [k, c] of commands.entries()) {
        const r = await timeToFirstConnection(c.args, server, dir, false, c.firstRun ? { SAFESQUID_FLEET_NO_CACHE: "1" } : {});
        samples[k]!.push(r.ms);
        until[k] = r.until;
      }
    }
    const nodeMs = median(node);
    return {
      runs,
      nodeMs,
      commands: commands.map((c, k) => ({ command: c.name, until: until[k]!, ms: median(samples[k]!), ratio: median(samples[k]!) / nodeMs, samplesMs: samples[k]!.map(Math.round), ...(c.firstRun ? { firstRun: true } : {}) })),
    };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
