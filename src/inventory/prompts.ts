/**
 * The questions the inventory asks, behind an interface so tests drive them with canned
 * answers. The real one is @inquirer/prompts on stderr (stdout stays for data), loaded only
 * when a question is asked; Ctrl-C or a closed stdin is a clean cancel (design.md "Prompts").
 */
import { FleetError } from "../errors.js";

export type Validate = (value: string) => true | string;

export interface Prompts {
  input(q: { message: string; default?: string; validate?: Validate }): Promise<string>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(q: { message: string; choices: { name: string; value: T; description?: string }[]; default?: T }): Promise<T>;
  /** Multi-line text in the user's editor ($VISUAL / $EDITOR), for pasting a list. */
  editor(q: { message: string; default?: string; validate?: Validate }): Promise<string>;
  /** Hidden input. */
  password(q: { message: string }): Promise<string>;
}

/** The real prompts, writing to stderr and stopping on `signal`. */
export function inquirerPrompts(signal?: AbortSignal): Prompts {
  const ctx = { output: process.stderr, ...(signal ? { signal } : {}) };
  const lib = (): Promise<typeof import("@inquirer/prompts")> => import("@inquirer/prompts");
  return {
    input: async (q) => cancellable(async () => (await lib()).input(q, ctx)),
    confirm: async (q) => cancellable(async () => (await lib()).confirm(q, ctx)),
    select: async <T extends string>(q: Parameters<Prompts["select"]>[0] & { choices: { name: string; value: T }[] }) =>
      cancellable(async () => (await lib()).select<T>(q as never, ctx)),
    editor: async (q) => cancellable(async () => (await lib()).editor({ ...q, postfix: ".txt" }, ctx)),
    password: async (q) => cancellable(async () => (await lib()).password({ ...q, mask: true }, ctx)),
  };
}

/** Runs a question; a cancel (Ctrl-C, closed stdin, interrupt) becomes FleetError("INTERRUPTED"). */
export async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (e) {
    const name = (e as Error | undefined)?.name;
    if (name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError") {
      throw new FleetError("INTERRUPTED", "cancelled at a question", { cause: e });
    }
    throw e;
  }
}
