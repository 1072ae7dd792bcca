/**
 * What every command shares: the run context (printer, interrupt signal, environment), the
 * action wrapper that hands the outcome back to cli.ts, and the option parsers commander
 * calls (never `parseInt` straight in: commander passes the previous value as a radix).
 */
import type { GlobalFlags } from "./global-options.js";
import { InvalidArgumentError, Option, type Command } from "commander";
import { FleetError } from "../errors.js";
import { Printer, type OutputFormat } from "../report/printer.js";
import { canPrompt } from "../report/terminal.js";
import { parseDuration } from "../util/duration.js";
import { parseSize } from "../util/size.js";

export interface CommandContext {
  printer: Printer;
  /** Aborted on SIGINT / SIGTERM: every wait and request listens to it. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A question may be asked (terminal on stdin and stderr, CI unset). */
  interactive: boolean;
  /** The command's name, for reports ("join-slave", "inventory validate"...). */
  command: string;
}

/** Process-wide state cli.ts sets up before parsing and reads after. */
export const runState: { signal: AbortSignal; exitCode: number; format: OutputFormat; command: string; cleanup: (() => void)[] } = {
  signal: new AbortController().signal,
  exitCode: 0,
  format: "text",
  command: "",
  /** Run when the command is over, however it ended (e.g. releasing the run lock). */
  cleanup: [],
};

/** The global options (global-options.ts), and the command's own `-o` (every command declares one). */
type GlobalOpts = GlobalFlags & { output?: string };

/** The full command name: "verify", "inventory validate". */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Builds the context for a command from its options and the global ones. */
export function contextFor(cmd: Command): CommandContext {
  const o = cmd.optsWithGlobals() as GlobalOpts;
  const format = (o.output ?? "text") as OutputFormat;
  runState.format = format;
  runState.command = commandPath(cmd);
  return {
    printer: new Printer({ format, quiet: o.quiet === true, verbose: o.verbose === true }),
    signal: runState.signal,
    env: process.env,
    cwd: process.cwd(),
    interactive: canPrompt(process.env),
    command: runState.command,
  };
}

/** Why a command does not take an option (said when it is given anyway). */
export interface Refusal {
  reason: string;
  hint?: string;
}

const refusals = new WeakMap<Command, { option: Option; refusal: Refusal }[]>();

/**
 * Declares an option the command does not honour: not in its --help, and refused with the
 * reason (a usage error, exit 2, before anything is read) rather than silently ignored.
 */
export function refuseOption(cmd: Command, flags: string, refusal: Refusal): Command {
  const option = new Option(flags).hideHelp();
  cmd.addOption(option);
  refusals.set(cmd, [...(refusals.get(cmd) ?? []), { option, refusal }]);
  return cmd;
}

/**
 * Wraps a command's implementation: it returns the exit code its outcome means (0, 1, 3);
 * errors propagate to cli.ts, the only place that maps them to exit codes.
 */
export function action<A extends unknown[]>(
  impl: (ctx: CommandContext, ...args: A) => Promise<number>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = contextFor(cmd);
    for (const { option, refusal } of refusals.get(cmd) ?? []) {
      if (cmd.getOptionValue(option.attributeName()) === undefined) continue;
      throw new FleetError("USAGE", `${ctx.command} does not take ${option.long}: ${refusal.reason}`, refusal.hint ? { hint: refusal.hint } : {});
    }
    runState.exitCode = await impl(ctx, ...(args.slice(0, -1) as A));
  };
}

/** commander parser: a positive integer. */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InvalidArgumentError(`${name} must be a whole number of 1 or more, not "${v}"`);
    return Number(v);
  };
}

/** commander parser: a duration (500ms, 10s, 2m) in milliseconds. */
export function duration(name: string): (v: string) => number {
  return (v: string) => {
    const ms = parseDuration(v);
    if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`${name} must be a duration such as 500ms, 10s or 2m, not "${v}"`);
    return ms;
  };
}

/** commander parser: a size (512KiB, 16MiB, 1GiB) in bytes. */
export function size(name: string): (v: string) => number {
  return (v: string) => {
    const bytes = parseSize(v);
    if (bytes === undefined || bytes <= 0) throw new InvalidArgumentError(`${name} must be a size such as 512KiB, 16MiB or 1GiB, not "${v}"`);
    return bytes;
  };
}

/** commander parser: one of a fixed set of words (which shell completion offers: `choices`). */
export function oneOf<T extends string>(name: string, allowed: readonly T[]): ((v: string) => T) & { choices: readonly T[] } {
  const parse = (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`${name} must be one of ${allowed.join(", ")}, not "${v}"`);
    return v as T;
  };
  return Object.assign(parse, { choices: allowed });
}

/** A usage error raised after parsing (exit 2, nothing touched). */
export function usageError(message: string, hint?: string): FleetError {
  return new FleetError("USAGE", message, hint === undefined ? {} : { hint });
}
