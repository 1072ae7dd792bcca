/**
 * Spawns the BUILT command-line tool (bin/safesquid-fleet.js -> dist/bundle/) the way a user or
 * a CI job does, and collects its exit code, stdout and stderr. `npm test` builds first; run
 * `npm run build` before running an e2e file on its own.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = ROOT + "bin/safesquid-fleet.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** "closed" (default): stdin at EOF; "open": a pipe that never sends anything. */
  stdin?: "closed" | "open";
  timeoutMs?: number;
  /** Called with the child once it runs (e.g. to send it a signal). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

let built: string | undefined;

/**
 * Why the bundle bin/ runs (dist/bundle/, built by scripts/bundle.mjs) is not built from the
 * current src/: missing, or older than a source file (meta.json is written last, so its time is
 * the build's); undefined when it is up to date.
 */
export function staleBuild(root = ROOT): string | undefined {
  const meta = join(root, "dist", "bundle", "meta.json");
  if (!existsSync(meta)) return "dist/bundle/ is missing";
  const builtAt = statSync(meta).mtimeMs;
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.c?ts$/.test(e.name) ? [join(dir, e.name)] : []));
  for (const src of walk(join(root, "src"))) {
    if (statSync(src).mtimeMs > builtAt) return `dist/bundle/ is older than ${relative(root, src)}`;
  }
  return undefined;
}

/** Stops a test that would run an old or missing build (npm test builds first). Checked once per process. */
export function assertBuilt(): void {
  built ??= staleBuild() ?? "";
  if (built) throw new Error(`the CLI bin/ runs is not built from the current src/ (${built}): run npm run build (npm test does it)`);
}

/** Runs `safesquid-fleet ARGS...` and resolves when it exits (or is killed at the timeout). */
export function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  assertBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...o.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  delete env.FORCE_COLOR;
  if (o.env && "FORCE_COLOR" in o.env && o.env.FORCE_COLOR !== undefined) env.FORCE_COLOR = o.env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd ?? ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if ((o.stdin ?? "closed") === "closed") child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, signal, stdout, stderr });
    });
    o.onSpawn?.(child);
  });
}

/** Parses stdout as the one JSON document it must be. */
export function jsonOf(r: CliResult): any {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document:\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}
