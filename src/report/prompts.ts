/**
 * The questions the tool may ask (docs/output.md "Questions"): confirm restarts, the vendor's "Backup
 * current configuration to cloud?" dialog, a missing password. Asked only on an interactive
 * terminal (ctx.interactive); otherwise they fail fast with NEEDS_INPUT (exit 2) naming the
 * flag to pass, so CI never waits for input. Prompts write to stderr, stop the spinner first,
 * listen to the run's AbortSignal, and Ctrl-C at a prompt is INTERRUPTED (exit 130).
 * The prompt implementation is injectable (Asker, src/report/ask.ts) so tests answer with
 * canned values.
 */
import { FleetError } from "../errors.js";
import { Secret } from "../util/secret.js";
import type { Prompts } from "../inventory/prompts.js";
import { inquirerAsker, type Asker, type AskOptions, type FormAsker } from "./ask.js";
import type { Progress } from "./spinner.js";
import { safeLine } from "../util/safe-text.js";
import { ciIsSet } from "./terminal.js";
import { glyphsFor } from "./symbols.js";
import { wrapText } from "./table.js";

export interface PromptContext {
  /** A question may be asked (CommandContext.interactive: terminals on stdin and stderr, CI unset). */
  interactive: boolean;
  /** The run's signal (aborted on Ctrl-C / SIGTERM). */
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The command asking ("join-slave", "apply"), for messages; default "join-slave". */
  command?: string;
  /** --yes: every yes/no question is answered yes without asking (docs/output.md "Questions"). */
  yes?: boolean;
  /** Stopped while a question is on screen. */
  progress?: Progress;
  asker?: Asker;
  /** Where questions are written; default the printer's stderr, else process.stderr. */
  output?: NodeJS.WritableStream;
  printer?: { stderr: NodeJS.WritableStream };
  /** Give up waiting for an answer after this long (NEEDS_INPUT). Default 10 minutes. */
  timeoutMs?: number;
}

function whyNot(env: NodeJS.ProcessEnv = process.env): string {
  return ciIsSet(env) ? "CI is set, so nothing is asked" : "there is no terminal to ask on (stdin and stderr must both be terminals)";
}

/** Runs one question with the spinner paused, a deadline, and errors mapped to FleetErrors. */
async function ask<T>(ctx: PromptContext, question: (a: Asker, o: AskOptions) => Promise<T>, flags: string): Promise<T> {
  const timeoutMs = ctx.timeoutMs ?? 600_000;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, deadline]);
  const run = (): Promise<T> => question(ctx.asker ?? inquirerAsker(), { signal, output: ctx.output ?? ctx.printer?.stderr ?? process.stderr });
  try {
    return await (ctx.progress ? ctx.progress.pause(run) : run());
  } catch (e) {
    if (e instanceof FleetError) throw e;
    const name = e instanceof Error ? e.name : "";
    if (ctx.signal.aborted) {
      const reason: unknown = ctx.signal.reason;
      throw reason instanceof FleetError ? reason : new FleetError("INTERRUPTED", "interrupted at a question", { cause: e });
    }
    if (deadline.aborted) {
      throw new FleetError("NEEDS_INPUT", `no answer within ${Math.round(timeoutMs / 60_000) || 1} minute(s)`, { hint: `pass ${flags} to run without questions`, cause: e });
    }
    if (name === "ExitPromptError" || name === "CancelPromptError" || name === "AbortPromptError") {
      throw new FleetError("INTERRUPTED", "stopped at a question (Ctrl-C or input closed); nothing more was done", { cause: e });
    }
    throw e;
  }
}

const MAX_LISTED = 20;

function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map(safeLine);
  return shown.join(", ") + (names.length > MAX_LISTED ? ` and ${names.length - MAX_LISTED} more` : "");
}

/** Asks before restarting slaves (their proxy traffic stops while they restart); --yes says yes. */
export async function confirmRestart(slaves: readonly string[], ctx: PromptContext, hint = "pass --yes to restart them, or --no-restart to write the change now and restart them yourself later"): Promise<boolean> {
  if (slaves.length === 0 || ctx.yes) return true;
  const what = `${slaves.length} slave${slaves.length === 1 ? "" : "s"}`;
  if (!ctx.interactive) {
    throw new FleetError("NEEDS_INPUT", `${ctx.command ?? "join-slave"} needs to restart ${what} (${listed(slaves)}) and would ask first, but ${whyNot(ctx.env)}`, { hint });
  }
  return ask(ctx, (a, o) => {
    o.output.write(`These slaves will restart; proxy traffic through each stops while it restarts:\n  ${listed(slaves)}\n`);
    return a.confirm(`Restart ${what} now?`, { ...o, default: false });
  }, "--yes (or --no-restart)");
}

/**
 * Asks before re-pointing slaves that are joined to another master, naming both masters.
 * Only a person at a terminal answers it: --yes does not (a move takes slaves out of another
 * master's cluster), and without a terminal the answer is no (the caller refuses those slaves).
 */
export async function confirmMove(moves: readonly { name: string; from: string; to: string }[], ctx: PromptContext): Promise<boolean> {
  if (moves.length === 0) return true;
  if (!ctx.interactive) return false;
  const what = `${moves.length} slave${moves.length === 1 ? "" : "s"}`;
  const to = [...new Set(moves.map((m) => m.to))].map(safeLine).join(", ");
  return ask(ctx, (a, o) => {
    o.output.write(`These slaves are joined to another master; moving them takes them out of its cluster:\n${moves.slice(0, MAX_LISTED).map((m) => `  ${safeLine(m.name)}: master ${safeLine(m.from)} -> ${safeLine(m.to)}`).join("\n")}\n`);
    const from = [...new Set(moves.map((m) => m.from))].map(safeLine).join(", ");
    return a.confirm(`Move ${what} from master ${from} to master ${to}?`, { ...o, default: false });
  }, "--move");
}

/**
 * The vendor's "Backup current configuration to cloud?" dialog. A yes sends each slave's
 * configuration off the network, so --yes does not answer it: without a terminal, --yes means
 * no backup (only --backup-to-cloud backs up); at a terminal the question is asked.
 */
export async function askBackupToCloud(ctx: PromptContext): Promise<boolean> {
  if (!ctx.interactive) {
    if (ctx.yes) return false;
    throw new FleetError("NEEDS_INPUT", `${ctx.command ?? "join-slave"} would ask whether to back up each slave's configuration to the cloud, but ${whyNot(ctx.env)}`, {
      hint: "pass --backup-to-cloud or --no-backup-to-cloud (--yes alone means no backup)",
    });
  }
  return ask(ctx, (a, o) => a.confirm("Backup current configuration to cloud?", { ...o, default: false }), "--backup-to-cloud or --no-backup-to-cloud");
}

/**
 * Asks before the master's access rows change (allow), after showing the change: only on a
 * terminal. --yes, or no terminal to ask on, goes ahead without a question: the change is
 * the one the command exists to make, and it is read back and undone on failure.
 */
export async function confirmAccessChange(change: readonly string[], question: string, ctx: PromptContext): Promise<boolean> {
  if (ctx.yes || !ctx.interactive) return true;
  return ask(ctx, (a, o) => {
    // Word-wrapped to the terminal: an item's continuation lines are indented under it.
    const width = Math.max(40, (o.output as { columns?: number }).columns ?? 80) - 1;
    const lines = change.flatMap((l) => {
      const indent = /^ */.exec(l)![0].length;
      return wrapText(safeLine(l.trim()), width - indent - 2).split("\n").map((w, i) => " ".repeat(indent + (i === 0 ? 0 : 2)) + w);
    });
    o.output.write(lines.map((l) => `${l}\n`).join(""));
    return a.confirm(question, { ...o, default: false });
  }, "--yes");
}

/** Asks for a password with hidden input; the answer is a Secret, never a plain string. */
export async function askPassword(label: string, ctx: PromptContext, opts: { env?: string } = {}): Promise<Secret> {
  const env = opts.env ?? "SAFESQUID_PASSWORD";
  const hint = `set ${env} (the inventory's credentials.passwordEnv) or use credentials.passwordFile; in CI, fill ${env} from the CI's secret store`;
  if (!ctx.interactive) {
    throw new FleetError("NEEDS_INPUT", `the password for ${safeLine(label)} is needed, but ${whyNot(ctx.env)}`, { hint });
  }
  const value = await ask(ctx, (a, o) => a.password(`Password for ${safeLine(label)}:`, o), `${env} (passwordEnv)`);
  return new Secret(value, "prompt");
}

/** The questions of `inventory init` through the same deadline, pause and cancel handling. */
export function formPrompts(ctx: PromptContext & { asker?: FormAsker }): Prompts {
  const form = (): FormAsker => ctx.asker ?? inquirerAsker();
  const flags = "--master and --slaves";
  return {
    input: (q) => ask(ctx, (_a, o) => form().input(q.message, { ...o, ...q }), flags),
    confirm: (q) => ask(ctx, (_a, o) => form().confirm(q.message, { ...o, default: q.default ?? false }), flags),
    select: (q) => ask(ctx, (_a, o) => form().select(q.message, { ...o, ...q }), flags),
    editor: (q) => ask(ctx, (_a, o) => form().editor(q.message, { ...o, ...q }), flags),
  };
}
