/**
 * Options declared once, as data (docs/architecture.md "Adding a command"). A command lists its
 * options in a table, `optionList(option(...), ...)`; that one table registers them with
 * commander (`defineCommand`, `addOptions`) and gives the type of the values the action gets
 * (`FlagsOf<typeof table>`): the name commander stores a value under and its type are read off
 * the flags and the parser, so a command's flags type cannot differ from its options.
 *
 * What the type is, from the declaration:
 * - `--x <v>`: the parser's result (a string without one), `undefined` when not given;
 * - `--x [v]`: the same, or `true` when given without a value;
 * - `--x`: `true`, or `undefined`; with `.orNo()` (`--x` and `--no-x` declared together) also `false`;
 * - `--no-x` alone: `boolean` (commander makes it `true` unless given);
 * - `.default(value)`: never `undefined`.
 */
import { Option, type Command } from "commander";
import { action, refuseOption, type CommandContext, type Refusal } from "./common.js";

/** The long flag of a flags string, without its dashes: "-o, --output <format>" -> "output". */
type LongFlag<F extends string> = F extends `${string}--${infer L}` ? (L extends `${infer N} ${string}` ? N : L) : never;
type Camel<S extends string> = S extends `${infer H}-${infer R}` ? `${H}${Capitalize<Camel<R>>}` : S;
/** Where commander keeps the value of these flags: "--dry-run" -> "dryRun", "--no-restart" -> "restart". */
export type NameOf<F extends string> = LongFlag<F> extends `no-${infer P}` ? Camel<P> : Camel<LongFlag<F>>;
/** The value's type before a default: see the list at the top of this file. */
type ValueOf<F extends string, R> = F extends `${string}<${string}>`
  ? R | undefined
  : F extends `${string}[${string}]`
    ? R | true | undefined
    : LongFlag<F> extends `no-${string}`
      ? boolean
      : true | undefined;

/** commander's parser for an option value (`previous`: the default, or the value given before). */
type Parser<R> = (value: string, previous: R) => R;

/**
 * One option: its flags and help text, and how its value is read. `N` is the name the value
 * goes under, `T` its type. Immutable: `.default()`, `.orNo()` and `.declinedIf()` return a new one.
 */
export class Opt<N extends string, T> {
  /** Only for the type: the name and the value's type. */
  declare readonly phantom: { name: N; type: T };
  private constructor(
    readonly flags: string,
    readonly description: string,
    readonly parse: Parser<unknown> | undefined,
    readonly defaultValue: { value: unknown; shown?: string } | undefined,
    /** `--no-x`, declared with `--x`: one value, three states (not given, yes, no). */
    readonly negation: { flags: string; description: string } | undefined,
    /** Declined: not in --help, and refused with this reason (exit 2) when given. */
    readonly refusal: Refusal | undefined,
  ) {}

  static of<const F extends string, R = string>(flags: F, description: string, parse?: Parser<R>): Opt<NameOf<F>, ValueOf<F, R>> {
    return new Opt(flags, description, parse as Parser<unknown> | undefined, undefined, undefined, undefined);
  }

  /** The value when the option is not given; `shown` is how --help writes it (a duration as typed: "2m"). */
  default(value: Exclude<T, undefined | true>, shown?: string): Opt<N, Exclude<T, undefined>> {
    return new Opt(this.flags, this.description, this.parse, shown === undefined ? { value } : { value, shown }, this.negation, this.refusal);
  }

  /** Also `--no-x` (listed right after `--x`): the value is then `false`. */
  orNo(description: string): Opt<N, T | false> {
    return new Opt(this.flags, this.description, this.parse, this.defaultValue, { flags: `--no-${LONG.exec(this.flags)![1]}`, description }, this.refusal);
  }

  /** With a refusal, the option is declined: left out of --help, and refused with its reason when given. */
  declinedIf(refusal: Refusal | undefined): Opt<N, T> {
    return refusal ? new Opt(this.flags, this.description, this.parse, this.defaultValue, this.negation, refusal) : this;
  }

  /** The commander options this declaration registers (a declined one: hidden, and nothing else). */
  toCommander(): Option[] {
    if (this.refusal) return [new Option(this.flags).hideHelp()];
    const o = new Option(this.flags, this.description);
    if (this.defaultValue) o.default(this.defaultValue.value, this.defaultValue.shown);
    if (this.parse) o.argParser(this.parse);
    return this.negation ? [o, new Option(this.negation.flags, this.negation.description)] : [o];
  }
}

const LONG = /--([\w-]+)/;

/** An option, as data: `option("--wait <duration>", "how long...", duration("--wait"))`. */
export const option = Opt.of;

export type AnyOpt = Opt<string, any>;
type NameOfOpt<O> = O extends Opt<infer N, unknown> ? N : never;
type TypeOfOpt<O> = O extends Opt<string, infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The values a command's action gets from these options: a property per option, optional where it may be `undefined`. */
export type FlagsOf<L extends readonly AnyOpt[]> = Simplify<
  { [O in L[number] as undefined extends TypeOfOpt<O> ? never : NameOfOpt<O>]: TypeOfOpt<O> } & {
    [O in L[number] as undefined extends TypeOfOpt<O> ? NameOfOpt<O> : never]?: Exclude<TypeOfOpt<O>, undefined>;
  }
>;

/** The first name declared twice in a list, else never. */
export type DuplicateName<L extends readonly unknown[], Seen = never> = L extends readonly [infer H, ...infer R]
  ? NameOfOpt<H> extends Seen
    ? NameOfOpt<H>
    : DuplicateName<R, Seen | NameOfOpt<H>>
  : never;

/** A list that declares no name twice (else a type that names the first one declared twice). */
type Unique<L extends readonly unknown[]> = [DuplicateName<L>] extends [never] ? unknown : { declaredTwice: DuplicateName<L> };

/**
 * A command's options, in --help order. Declaring one name twice (`--wait` from a shared group
 * and again by the command) does not compile (nor does a command with such a list: `defineCommand`).
 */
export function optionList<const L extends readonly AnyOpt[]>(...options: L & Unique<L>): L {
  return options;
}

const declared = new WeakMap<Command, readonly AnyOpt[]>();

/** Registers the options with commander, in order; declined ones are hidden and refused (common.ts `refuseOption`). */
export function addOptions(cmd: Command, options: readonly AnyOpt[]): Command {
  for (const o of options) {
    if (o.refusal) refuseOption(cmd, o.flags, o.refusal);
    else for (const c of o.toCommander()) cmd.addOption(c);
  }
  declared.set(cmd, [...(declared.get(cmd) ?? []), ...options]);
  return cmd;
}

/** The options declared for a command through `addOptions` (for the tests and the help checks). */
export function declaredOptions(cmd: Command): readonly AnyOpt[] {
  return declared.get(cmd) ?? [];
}

/** A command as data: the parts commander gets, in the order --help shows them. */
export interface CommandSpec<L extends readonly AnyOpt[]> {
  name: string;
  description: string;
  /** Positional arguments: name (`[slave...]`, `<file...>`), help text, and a parser if any. */
  arguments?: readonly (readonly [name: string, description: string, parse?: (value: string) => unknown])[];
  options: L & Unique<L>;
  /** Text after the generated help: examples, notes. */
  help?: string;
  /** Left out of --help and of shell completion. */
  hidden?: boolean;
}

/** Whether two types are the same (not merely assignable one to the other). */
export type Same<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

/**
 * Adds a command to `parent`: its description, arguments, options (declared once, in
 * `spec.options`) and help text, and its action. The action's last parameter (the values of the
 * options) must be typed exactly `FlagsOf<typeof options>`: a type written by hand that differs
 * from the options in any way, even one option fewer, does not compile.
 */
export function defineCommand<const L extends readonly AnyOpt[], A extends unknown[], F>(
  parent: Command,
  spec: CommandSpec<L>,
  impl: (ctx: CommandContext, ...args: [...A, F]) => Promise<number>,
  ..._flagsMatch: Same<F, FlagsOf<L>> extends true ? [] : [flagsTypeDiffersFrom: FlagsOf<L>]
): Command {
  const cmd = parent.command(spec.name, spec.hidden ? { hidden: true } : {});
  if (spec.description) cmd.description(spec.description);
  for (const [name, description, parse] of spec.arguments ?? []) {
    if (parse) cmd.argument(name, description, parse);
    else cmd.argument(name, description);
  }
  addOptions(cmd, spec.options);
  if (spec.help) cmd.addHelpText("after", spec.help);
  cmd.action(action(impl));
  return cmd;
}
