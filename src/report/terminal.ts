/**
 * What the terminal can take: colour levels (NO_COLOR, --no-color, FORCE_COLOR, pipes), whether
 * questions may be asked, and text made safe to print (values from the network may carry
 * escape sequences: a hostile row comment must not drive the administrator's terminal).
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

/** May the tool ask a question? Only with a terminal on both ends and CI unset. */
export function canPrompt(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return !ci && process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** May a spinner animate on stderr? A terminal with columns, CI unset. */
export function canAnimate(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return !ci && process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
}

// C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Makes text from the network safe to print: control characters become visible escapes. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Like safe(), and folds line breaks and tabs so the value stays on one line. */
export function safeLine(text: string): string {
  return safe(text).replace(/\r?\n/g, " \u23CE ").replace(/\t/g, " ");
}
