/**
 * The options every command takes, declared once (src/cli.ts registers them on the program;
 * common.ts reads them through `optsWithGlobals()` with this type).
 */
import { option, optionList, type FlagsOf } from "./options.js";

export const globalOptions = optionList(
  option("--no-color", "never colour the output (NO_COLOR is honoured too)"),
  option("-v, --verbose", "show each admin call (handler, node, status, time) on stderr"),
  option("-q, --quiet", "only errors and warnings on stderr"),
);

export type GlobalFlags = FlagsOf<typeof globalOptions>;
