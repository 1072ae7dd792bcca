/**
 * Builds the program and runs it. The ONLY place that maps errors to exit codes
 * (docs/output.md "Exit codes"): it sets process.exitCode and never calls process.exit(), so piped
 * output is never cut off (docs/architecture.md "Output").
 */
import { Command, CommanderError } from "commander";
import { asFleetError, exitCodeFor, FleetError } from "./errors.js";
import { runState } from "./commands/common.js";
import { registerCommands } from "./commands/index.js";
import { globalOptions } from "./commands/global-options.js";
import { addOptions } from "./commands/options.js";
import { loadWrapping, Printer } from "./report/printer.js";
import { renderErrorEnvelope } from "./report/envelope.js";
import { setupColor } from "./report/terminal.js";
import { safe, safeLine } from "./util/safe-text.js";
import { VERSION } from "./version.js";
import { normalizeArgv } from "./commands/argv.js";

// `-o=json` as users type it (commander reads `--output=json` and `-ojson`, but takes the
// `=` of `-o=json` as part of the value): a short option's `=VALUE` becomes its own argument.
// Arguments after `--` are left as they are.
const argv = normalizeArgv(process.argv.slice(2));

// A reader that goes away (`| head`) is not an error of ours: stop writing, no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}
setupColor({ color: !argv.includes("--no-color") });

const controller = new AbortController();
runState.signal = controller.signal;
let interrupts = 0;
const onSignal = (sig: NodeJS.Signals): void => {
  interrupts++;
  if (interrupts > 1) {
    // A second Ctrl-C: the user insists. The run record already holds what was done.
    process.stderr.write("\ninterrupted again: stopping now\n");
    process.exit(130);
  }
  controller.abort(new FleetError("INTERRUPTED", `interrupted (${sig})`));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const program = new Command("safesquid-fleet")
  .description("Join SafeSquid slaves to their master, allow them on the master, and verify policy sync, for a whole fleet.")
  .version(VERSION, "-V, --version", "print the version")
  .showHelpAfterError("(run with --help for usage)")
  .addHelpText(
    "after",
    `
Examples:
  $ safesquid-fleet lab --slaves 2 --write-inventory lab.yaml   # an emulated fleet to try it on
  $ safesquid-fleet inventory validate -i lab.yaml
  $ safesquid-fleet apply -i lab.yaml --dry-run                 # what would change
  $ safesquid-fleet apply -i lab.yaml --yes                     # --yes never backs up to cloud
  $ safesquid-fleet verify -i lab.yaml --wait 2m -o junit > verify.xml
  $ safesquid-fleet undo -i lab.yaml --yes                      # put the last run back (again: redo)

Exit codes: 0 all as it should be; 1 a node failed, was rolled back, is unreachable or not
in sync; 2 usage, inventory or credential error, or another run holds the inventory's lock
(nothing touched); 3 changes pending (--dry-run --detailed-exitcode); 130 interrupted.`,
  )
  .exitOverride();
addOptions(program, globalOptions);
registerCommands(program);

/** The command argv names ("verify", "inventory validate"; "" when none), for errors raised while parsing. */
function commandFromArgv(): string {
  const words: string[] = [];
  let cmd: Command = program;
  for (const a of argv) {
    if (a === "--") break;
    if (a.startsWith("-")) continue; // the global options take no value
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    words.push(sub.name());
    cmd = sub;
  }
  return words.join(" ");
}

/** Guesses the output format from argv, for errors raised before a command's options are parsed. */
function formatFromArgv(): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-o" || a === "--output") return argv[i + 1] ?? "text";
    if (a.startsWith("--output=")) return a.slice(9);
    if (a.startsWith("-o") && a.length > 2) return a.slice(2);
  }
  return "text";
}

/**
 * -o nagios: a check that could not run is UNKNOWN (the monitoring plugins' exit code 3, with
 * its one status line on stdout), never the usage error's 2, which a monitoring system reads
 * as CRITICAL.
 */
function nagiosUnknown(message: string): number {
  process.stdout.write(`SAFESQUID FLEET UNKNOWN - ${safeLine(message)}\n`);
  return 3;
}

/** Runs the command line (a function, not top-level await: the bundle is CommonJS, docs/architecture.md "Build"). */
async function main(): Promise<void> {
  try {
    await program.parseAsync(argv, { from: "user" });
    process.exitCode = runState.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not failures; every other parse error is a usage error (exit 2),
      // and so is the help commander shows on stderr when a command is missing (its exitCode 1).
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || (e.code === "commander.help" && e.exitCode === 0)) {
        process.exitCode = 0;
      } else {
        const message = e.code === "commander.help" ? "a command is needed (see the usage on stderr)" : e.message.replace(/^error: /, "");
        if (formatFromArgv() === "json") {
          process.stdout.write(renderErrorEnvelope(runState.command || commandFromArgv(), new FleetError("USAGE", message)));
        }
        process.exitCode = 2;
        if (formatFromArgv() === "nagios") process.exitCode = nagiosUnknown(message);
      }
    } else {
      const err = asFleetError(e);
      const format = runState.format;
      const printer = new Printer({ format, quiet: false, verbose: argv.includes("--verbose") || argv.includes("-v") });
      await loadWrapping();
      if (format === "json") printer.data(renderErrorEnvelope(runState.command, err));
      printer.error(safe(err.message));
      for (const d of err.details) printer.detail(safe(d));
      if (err.hint) printer.detail(safe(err.hint));
      if (err.code === "INTERNAL" && printer.opts.verbose && err.cause instanceof Error) process.stderr.write(String(err.cause.stack) + "\n");
      process.exitCode = exitCodeFor(err.code);
      if (format === "nagios") process.exitCode = nagiosUnknown(err.message);
    }
  } finally {
    for (const done of runState.cleanup.splice(0)) done();
  }
}

void main();
