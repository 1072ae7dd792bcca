/**
 * The questions `inventory init` asks, behind an interface so tests drive them with canned
 * answers. The real one (@inquirer/prompts on stderr, with a deadline, stopping when the input
 * ends) is the report layer's, handed in by the command.
 */

export type Validate = (value: string) => true | string;

export interface Prompts {
  input(q: { message: string; default?: string; validate?: Validate }): Promise<string>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(q: { message: string; choices: { name: string; value: T; description?: string }[]; default?: T }): Promise<T>;
  /** Multi-line text in the user's editor ($VISUAL / $EDITOR), for pasting a list. */
  editor(q: { message: string; default?: string; validate?: Validate }): Promise<string>;
}
