/**
 * What shell completion knows, read from the program itself (so it never falls behind a new
 * command or option): every command path, its subcommands, its options (which take a value,
 * and what values: the words of a `oneOf` parser, files, folders, slave names), and what its
 * arguments are. src/commands/completion.ts turns it into a bash or zsh script.
 */
import type { Command, Option } from "commander";

/** What a value (of an option or an argument) completes to. */
export type ValueKind = { words: readonly string[] } | "files" | "dirs" | "slaves" | "none";

export interface OptionModel {
  names: string[];
  takesValue: boolean;
  values: ValueKind;
  description: string;
}

export interface CommandModel {
  /** "" for the program, "verify", "lab control"... */
  path: string;
  description: string;
  subcommands: { name: string; description: string }[];
  options: OptionModel[];
  args: ValueKind;
}

function valueKind(o: Option): ValueKind {
  const choices = (o.parseArg as { choices?: readonly string[] } | undefined)?.choices;
  if (choices) return { words: choices };
  if (o.long === "--limit") return "slaves";
  const name = /[<[]([^>\]]*)[>\]]/.exec(o.flags)?.[1] ?? "";
  if (/file/i.test(name)) return "files";
  if (/dir/i.test(name)) return "dirs";
  return "none";
}

function argKind(c: Command): ValueKind {
  const name = c.registeredArguments[0]?.name();
  // promote's NEW_MASTER is one of the slaves; undo's RUN may be a run record's path.
  if (name === "slave" || name === "new-master") return "slaves";
  if (name === "file" || name === "run") return "files";
  if (name === "shell") return { words: ["bash", "zsh"] };
  return "none";
}

function optionModel(o: Option): OptionModel {
  return {
    names: [o.short, o.long].filter((x): x is string => x !== undefined),
    takesValue: o.required || o.optional,
    values: valueKind(o),
    description: o.description,
  };
}

/** Every command of the program (hidden ones left out), the program itself first. */
export function completionModel(program: Command): CommandModel[] {
  const out: CommandModel[] = [];
  const globals = program.options.filter((o) => !o.hidden).map(optionModel);
  const help: OptionModel = { names: ["-h", "--help"], takesValue: false, values: "none", description: "display help" };
  const walk = (c: Command, path: string): void => {
    const subs = c.commands.filter((s) => !(s as unknown as { _hidden?: boolean })._hidden);
    const own = c === program ? [] : c.options.filter((o) => !o.hidden).map(optionModel);
    out.push({
      path,
      description: c.description(),
      subcommands: subs.map((s) => ({ name: s.name(), description: s.description() })),
      options: [...own, ...globals, help],
      args: argKind(c),
    });
    for (const s of subs) walk(s, path ? `${path} ${s.name()}` : s.name());
  };
  walk(program, "");
  return out;
}
