/**
 * What the terminal can take: colour levels (NO_COLOR, --no-color, FORCE_COLOR, pipes), and
 * whether questions may be asked or a spinner may animate (never when CI is set).
 */
import chalk, { chalkStderr } from "chalk";

/** Sets chalk's levels once at start-up. chalk 5 ignores NO_COLOR, so it is applied here. */
export function setupColor(opts: { color: boolean }, env: NodeJS.ProcessEnv = process.env): void {
  const off = !opts.color || (env.NO_COLOR !== undefined && env.NO_COLOR !== "");
  if (off) {
    chalk.level = 0;
    chalkStderr.level = 0;
  }
}

/** Is CI set? Any value but empty, "false" and "0" counts. */
export function ciIsSet(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
}

/** May the tool ask a question? Only with a terminal on both ends and CI unset. */
export function canPrompt(env: NodeJS.ProcessEnv = process.env): boolean {
  return !ciIsSet(env) && process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** May a spinner animate on stderr? A terminal with columns, CI unset. */
export function canAnimate(env: NodeJS.ProcessEnv = process.env): boolean {
  return !ciIsSet(env) && process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
}
