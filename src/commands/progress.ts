/** The progress display of a command run: a spinner on a terminal, quiet otherwise. */
import type { Progress } from "../report/spinner.js";
import type { CommandContext } from "./common.js";

/** Creates the progress display (a ProgressSink for the fleet; ora loads lazily). */
export async function progressFor(ctx: CommandContext): Promise<Progress> {
  const { createProgress } = await import("../report/spinner.js");
  return createProgress({ printer: ctx.printer, signal: ctx.signal });
}
