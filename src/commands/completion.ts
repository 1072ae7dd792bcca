/**
 * `safesquid-fleet completion bash|zsh`: a completion script for the shell, made from the
 * program's own commands and options (src/commands/completion-model.ts). It completes
 * commands, options, option values (formats, files) and slave names, which it asks the tool
 * for at completion time from the inventory on the command line (`-i`), else the default one
 * (`__complete-slaves`, a hidden command that prints them, one a line, and nothing on error).
 */
import type { Command } from "commander";
import { oneOf, type CommandContext } from "./common.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";
import { completionModel, type CommandModel, type ValueKind } from "./completion-model.js";

const SHELLS = ["bash", "zsh"] as const;
type Shell = (typeof SHELLS)[number];

/** A word list as one single-quoted shell word. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function valueWord(v: ValueKind): string {
  if (v === "files" || v === "dirs" || v === "slaves") return `__${v}`;
  if (v === "none") return "";
  return v.words.join(" ");
}

/** The tables both scripts share: shell functions answering by `case` (the same syntax in bash and zsh). */
function tables(model: CommandModel[]): string {
  const subs = model.map((c) => `    ${q(c.path)}) echo ${q(c.subcommands.map((s) => s.name).join(" "))} ;;`);
  const opts = model.map((c) => `    ${q(c.path)}) echo ${q(c.options.flatMap((o) => o.names).join(" "))} ;;`);
  const takes: string[] = [];
  const values: string[] = [];
  for (const c of model) {
    for (const o of c.options) {
      if (!o.takesValue) continue;
      const keys = o.names.map((n) => q(`${c.path}|${n}`)).join("|");
      takes.push(`    ${keys}) return 0 ;;`);
      const w = valueWord(o.values);
      if (w) values.push(`    ${keys}) echo ${q(w)} ;;`);
    }
  }
  const args = model.filter((c) => c.args !== "none").map((c) => `    ${q(c.path)}) echo ${q(valueWord(c.args))} ;;`);
  return [
    "_safesquid_fleet_subcommands() {",
    '  case "$1" in',
    ...subs,
    "  esac",
    "}",
    "_safesquid_fleet_options() {",
    '  case "$1" in',
    ...opts,
    "  esac",
    "}",
    "# Does this option take a value (the next word)?",
    "_safesquid_fleet_takes_value() {",
    '  case "$1|$2" in',
    ...takes,
    "  esac",
    "  return 1",
    "}",
    "_safesquid_fleet_values() {",
    '  case "$1|$2" in',
    ...values,
    "  esac",
    "}",
    "# The slave names of the inventory on the command line (-i FILE), else the default one:",
    "# the tool lists them ($1: the tool as typed; the other arguments: the words of the line).",
    "_safesquid_fleet_slaves() {",
    '  local cmd="$1" inv="" prev="" w',
    "  shift",
    '  for w in "$@"; do',
    '    case "$prev" in -i|--inventory) inv="$w" ;; esac',
    '    case "$w" in --inventory=*) inv="${w#--inventory=}" ;; esac',
    '    prev="$w"',
    "  done",
    '  if [[ -n "$inv" ]]; then "$cmd" __complete-slaves --inventory "$inv"; else "$cmd" __complete-slaves; fi 2>/dev/null',
    "}",
    "_safesquid_fleet_args() {",
    '  case "$1" in',
    ...args,
    "  esac",
    "}",
  ].join("\n");
}

function bash(model: CommandModel[]): string {
  return `# bash completion for safesquid-fleet (made by \`safesquid-fleet completion bash\`).
# Load it in this shell:    source <(safesquid-fleet completion bash)
# or for every shell:       safesquid-fleet completion bash > ~/.local/share/bash-completion/completions/safesquid-fleet
${tables(model)}
_safesquid_fleet_offer() {
  local cur="$1"; shift
  local w words=""
  for w in "$@"; do
    case "$w" in
      __files) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
      __dirs) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
      __slaves) words="$words $(_safesquid_fleet_slaves "\${COMP_WORDS[@]}")" ;;
      *) words="$words $w" ;;
    esac
  done
  COMPREPLY+=($(compgen -W "$words" -- "$cur"))
}
_safesquid_fleet() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" i w next
  COMPREPLY=()
  # The command path so far; an option's value is skipped.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -* ]]; then
      [[ "$w" != *=* ]] && _safesquid_fleet_takes_value "$cmdpath" "$w" && ((i++))
      continue
    fi
    for next in $(_safesquid_fleet_subcommands "$cmdpath"); do
      if [[ "$w" == "$next" ]]; then cmdpath="\${cmdpath:+$cmdpath }$w"; break; fi
    done
  done
  local prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if ((COMP_CWORD > 1)) && [[ "$prev" == -* ]] && _safesquid_fleet_takes_value "$cmdpath" "$prev"; then
    _safesquid_fleet_offer "$cur" $(_safesquid_fleet_values "$cmdpath" "$prev")
  elif [[ "$cur" == -* ]]; then
    _safesquid_fleet_offer "$cur" $(_safesquid_fleet_options "$cmdpath")
  else
    _safesquid_fleet_offer "$cur" $(_safesquid_fleet_subcommands "$cmdpath") $(_safesquid_fleet_args "$cmdpath")
  fi
}
complete -F _safesquid_fleet safesquid-fleet
`;
}

function zsh(model: CommandModel[]): string {
  const descs = model.map((c) => `    ${q(c.path)}) cmds=(${c.subcommands.map((s) => q(`${s.name}:${s.description.replace(/:/g, "\\:")}`)).join(" ")}) ;;`);
  return `#compdef safesquid-fleet
# zsh completion for safesquid-fleet (made by \`safesquid-fleet completion zsh\`).
# Load it in this shell:    source <(safesquid-fleet completion zsh)
# or for every shell: write it as _safesquid-fleet into a folder of $fpath, then compinit.
${tables(model)}
_safesquid_fleet_offer() {
  local w
  local -a plain
  for w in "$@"; do
    case "$w" in
      __files) _files ;;
      __dirs) _files -/ ;;
      __slaves) plain+=(\${(f)"$(_safesquid_fleet_slaves "\${words[@]}")"}) ;;
      *) plain+=("$w") ;;
    esac
  done
  (( \${#plain} )) && compadd -- "\${plain[@]}"
}
_safesquid_fleet() {
  local cmdpath="" i w next cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local -a cmds
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    if [[ "$w" == -* ]]; then
      [[ "$w" != *=* ]] && _safesquid_fleet_takes_value "$cmdpath" "$w" && ((i++))
      continue
    fi
    for next in \${=$(_safesquid_fleet_subcommands "$cmdpath")}; do
      if [[ "$w" == "$next" ]]; then cmdpath="\${cmdpath:+$cmdpath }$w"; break; fi
    done
  done
  if (( CURRENT > 2 )) && [[ "$prev" == -* ]] && _safesquid_fleet_takes_value "$cmdpath" "$prev"; then
    _safesquid_fleet_offer \${=$(_safesquid_fleet_values "$cmdpath" "$prev")}
  elif [[ "$cur" == -* ]]; then
    _safesquid_fleet_offer \${=$(_safesquid_fleet_options "$cmdpath")}
  else
    case "$cmdpath" in
${descs.map((d) => "  " + d).join("\n")}
    esac
    (( \${#cmds} )) && _describe -t commands 'command' cmds
    _safesquid_fleet_offer \${=$(_safesquid_fleet_args "$cmdpath")}
  fi
}
compdef _safesquid_fleet safesquid-fleet
`;
}

/** The script for this shell. */
export function completionScript(program: Command, shell: Shell): string {
  const model = completionModel(program);
  return shell === "bash" ? bash(model) : zsh(model);
}

/** `completion` takes no option of its own (the help, and the global ones). */
const completionOptions = optionList();
const completeSlavesOptions = optionList(option("-i, --inventory <file>", ""));

async function listSlaves(ctx: CommandContext, o: FlagsOf<typeof completeSlavesOptions>): Promise<number> {
  try {
    const { findInventory } = await import("../inventory/find.js");
    const { loadInventory } = await import("../inventory/load.js");
    const loc = findInventory(o.inventory, ctx.env, ctx.cwd);
    const r = await loadInventory(loc.file, { cwd: ctx.cwd });
    if (r.inventory) ctx.printer.data(r.inventory.slaves.map((s) => s.name).join("\n"));
  } catch {
    // Completion must never print an error into the user's command line.
  }
  return 0;
}

/** Registers `completion` and the hidden `__complete-slaves`. */
export function registerCompletion(program: Command): void {
  defineCommand(
    program,
    {
      name: "completion",
      description: "print a shell completion script (commands, options, slave names from the inventory)",
      arguments: [["<shell>", `the shell: ${SHELLS.join(" or ")}`, oneOf("shell", SHELLS)]],
      options: completionOptions,
      help: "\nExamples:\n  $ source <(safesquid-fleet completion bash)          # this bash\n  $ safesquid-fleet completion zsh > \"${fpath[1]}/_safesquid-fleet\"   # zsh, then restart it\n",
    },
    async (ctx: CommandContext, shell: Shell, _flags: FlagsOf<typeof completionOptions>) => {
      ctx.printer.data(completionScript(program, shell));
      return 0;
    },
  );
  defineCommand(program, { name: "__complete-slaves", description: "", options: completeSlavesOptions, hidden: true }, listSlaves);
}
