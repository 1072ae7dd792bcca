/**
 * The one adapter to @inquirer/prompts (loaded on first use, so --help stays fast). Every
 * question writes to the given output (stderr), stops when the input ends (a closed pipe or a
 * hung-up terminal would otherwise wait forever) or the signal aborts, and drops colour when
 * NO_COLOR / --no-color turned chalk off. Deadlines and the mapping of a cancel to an error
 * are src/report/prompts.ts's `ask`, around any Asker.
 */
import { chalkStderr } from "chalk";
import { glyphsFor } from "./symbols.js";

export interface AskOptions {
  signal: AbortSignal;
  output: NodeJS.WritableStream;
}

export type Validate = (value: string) => true | string;

/** Asks one question; the default is @inquirer/prompts, tests pass canned answers. */
export interface Asker {
  confirm(message: string, opts: AskOptions & { default: boolean }): Promise<boolean>;
  /** Hidden input (nothing echoed). */
  password(message: string, opts: AskOptions): Promise<string>;
}

/** The form questions `inventory init` asks as well. */
export interface FormAsker extends Asker {
  input(message: string, opts: AskOptions & { default?: string; validate?: Validate }): Promise<string>;
  select<T extends string>(message: string, opts: AskOptions & { choices: { name: string; value: T; description?: string }[]; default?: T }): Promise<T>;
  /** Multi-line text in the user's editor ($VISUAL / $EDITOR), for pasting a list. */
  editor(message: string, opts: AskOptions & { default?: string; validate?: Validate }): Promise<string>;
}

/**
 * No colour in the questions either when NO_COLOR / --no-color turned chalk off. Only the
 * colour goes: the text @inquirer/prompts' default theme adds stays ("(y/N)", "> error", "<key>").
 */
function theme(): object | undefined {
  if (chalkStderr.level > 0) return undefined;
  const id = (t: string): string => t;
  return {
    prefix: { idle: "?", done: glyphsFor().ok },
    style: { answer: id, message: id, error: (t: string) => `> ${t}`, defaultAnswer: (t: string) => `(${t})`, help: id, highlight: id, key: (t: string) => `<${t}>` },
  };
}

/** Aborts when the input ends; `done` removes the listeners. */
function untilInputEnds(input: NodeJS.ReadableStream, signal: AbortSignal): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onEnd = (): void => ac.abort(new Error("input closed"));
  input.once("end", onEnd);
  input.once("close", onEnd);
  return {
    signal: AbortSignal.any([signal, ac.signal]),
    done: () => {
      input.removeListener("end", onEnd);
      input.removeListener("close", onEnd);
    },
  };
}

type Lib = typeof import("@inquirer/prompts");
type Ctx = { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal };

/** The @inquirer/prompts implementation of every question, reading `input`. */
export function inquirerAsker(input: NodeJS.ReadableStream = process.stdin): FormAsker {
  async function run<T>(o: AskOptions, f: (p: Lib, ctx: Ctx) => Promise<T>): Promise<T> {
    const prompts = await import("@inquirer/prompts");
    const watch = untilInputEnds(input, o.signal);
    try {
      return await f(prompts, { input, output: o.output, signal: watch.signal });
    } finally {
      watch.done();
    }
  }
  const v = (validate?: Validate) => (validate ? { validate } : {});
  const d = <T>(value?: T) => (value === undefined ? {} : { default: value });
  return {
    confirm: (message, o) => run(o, (p, c) => p.confirm({ message, default: o.default, theme: theme() }, c)),
    password: (message, o) =>
      run(o, (p, c) => p.password({ message, mask: true, theme: theme(), validate: (x) => x !== "" || "type the password, or press Ctrl-C to stop" }, c)),
    input: (message, o) => run(o, (p, c) => p.input({ message, ...d(o.default), ...v(o.validate), theme: theme() }, c)),
    select: <T extends string>(message: string, o: Parameters<FormAsker["select"]>[1] & { choices: { name: string; value: T }[]; default?: T }) =>
      run(o, (p, c) => p.select<T>({ message, choices: o.choices, ...d(o.default), theme: theme() } as never, c)),
    editor: (message, o) => run(o, (p, c) => p.editor({ message, postfix: ".txt", ...d(o.default), ...v(o.validate), theme: theme() }, c)),
  };
}
