/** `safesquid-fleet verify [SLAVE...]`: joined? syncing? every section equal to the master's? */
import { InvalidArgumentError, type Command } from "commander";
import { dirname, resolve } from "node:path";
import { accessSync, constants } from "node:fs";
import { parseDuration } from "../util/duration.js";
import { duration, usageError, type CommandContext } from "./common.js";
import { buildReport, emitReport, FLEET_FORMATS, fleetOptions, withRun } from "./fleet-options.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";
// The range parser is small and pure: loaded up front, commander calls it while parsing.
import { parseThresholds, type Thresholds } from "../report/nagios.js";

/** The fewest slaves verify reads at once by default (see verifyConcurrency). */
export const VERIFY_DEFAULT_CONCURRENCY = 16;
/** The most slaves verify reads at once by default. */
export const VERIFY_MAX_DEFAULT_CONCURRENCY = 64;

/**
 * verify's default concurrency for a fleet of `slaves`: a quarter of them, at least 16, at most
 * 64 (200 slaves: 50). Each node only ever sees its own reads, so more at once costs the nodes
 * nothing; what it costs is this machine's memory and sockets (two per slave in flight). Each
 * slave's read ends with a quiet spell on its log stream (tens of milliseconds of waiting, see
 * src/safesquid/log.ts): with enough slaves in flight those waits overlap and the run is bound
 * by this machine's CPU, not by the waits.
 */
export function verifyConcurrency(slaves: number): number {
  return Math.min(VERIFY_MAX_DEFAULT_CONCURRENCY, Math.max(VERIFY_DEFAULT_CONCURRENCY, Math.ceil(slaves / 4)));
}

export const VERIFY_CONCURRENCY_HELP = `a quarter of the slaves, at least ${VERIFY_DEFAULT_CONCURRENCY}, at most ${VERIFY_MAX_DEFAULT_CONCURRENCY}`;

/** --watch without an interval: a look every 10 seconds. */
export const WATCH_DEFAULT_MS = 10_000;

/** commander parser for --warning / --critical (COUNT[,AGE] in the monitoring plugins' range syntax). */
function thresholds(name: string): (v: string) => Thresholds {
  return (v: string) => {
    try {
      return parseThresholds(v);
    } catch (e) {
      throw new InvalidArgumentError(`${name}: ${(e as Error).message}`);
    }
  };
}

/** commander parser for --watch's optional interval (a slave name there is a usage error that says where names go). */
function watchInterval(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError(`--watch takes an interval such as 5s, not "${v}" (slave names go before it: verify ${v} --watch)`);
  if (ms < 1000) throw new InvalidArgumentError(`--watch: an interval of at least 1s, not "${v}"`);
  return ms;
}

const verifyOptions = optionList(
  ...fleetOptions({
    formats: FLEET_FORMATS,
    concurrency: VERIFY_CONCURRENCY_HELP,
    decline: { yes: { reason: "it changes nothing and asks no yes/no question (a missing password is asked for on a terminal; --yes cannot answer it)" } },
  }),
  option("--wait <duration>", "poll until every slave is in sync or this much time has passed, e.g. 5m", duration("--wait")),
  option("--output-file <file>", "write the output into this file (a temporary file renamed into place: safe for node_exporter's textfile collector)"),
  option("-w, --warning <count[,age]>", "-o nagios: WARNING above this many slaves out of sync, not joined or unreachable (default 0), or when a slave not in sync last synced longer ago than AGE (e.g. 0,30m)", thresholds("--warning")),
  option("-c, --critical <count[,age]>", "-o nagios: CRITICAL thresholds, as --warning (e.g. 2,2h)", thresholds("--critical")),
  option("--watch [interval]", "on a terminal: a compact view, one line per slave worst first, drawn again every INTERVAL (default 10s) until Ctrl-C", watchInterval),
  option("--summary", "text report: one line per slave (with the sections that differ), no section grid"),
  option("--diff [section]", "for each section not in sync (or only SECTION), the rows and fields that differ between the master and the slave"),
);
/** --watch [INTERVAL] is `true` when given without an interval, --diff [SECTION] without a section. */
export type VerifyFlags = FlagsOf<typeof verifyOptions>;

export function registerVerify(program: Command): void {
  defineCommand(
    program,
    {
      name: "verify",
      description: "per slave and per section: is it joined to this master, is it syncing, does each section match the master's",
      arguments: [["[slave...]", "only these slaves (names or globs; same as --limit)"]],
      options: verifyOptions,
      help: `
Examples:
  $ safesquid-fleet verify                          # one look
  $ safesquid-fleet verify --wait 5m                # poll until in sync (or 5 minutes)
  $ safesquid-fleet verify -o junit > verify.xml    # for CI test reports
  $ safesquid-fleet verify --shard 2/4 -o json      # one of 4 parallel jobs (then: report merge)
  $ safesquid-fleet verify pune-2 --diff access     # what differs in pune-2's access section
  $ safesquid-fleet verify --watch 5s               # a live view at a terminal, until Ctrl-C
  $ safesquid-fleet verify -o prometheus --output-file /var/lib/node_exporter/textfile/safesquid.prom
  $ safesquid-fleet verify -o nagios -w 0,30m -c 2,2h   # a Nagios / Icinga check

Put slave names before --watch and --diff (their value is optional: "verify --diff pune-2"
reads pune-2 as a section).`,
    },
    runVerifyCommand,
  );
}

/** Refuses the combinations that make no sense, before anything is read (exit 2). */
function checkCombinations(ctx: CommandContext, f: VerifyFlags): void {
  const monitoring = f.output === "prometheus" || f.output === "nagios";
  if ((f.warning || f.critical) && f.output !== "nagios") throw usageError("--warning and --critical go with -o nagios", "add -o nagios, or drop them");
  if (f.summary && f.output !== "text") throw usageError("--summary shapes the text report", "drop --summary, or -o");
  if (f.diff !== undefined && monitoring) throw usageError(`--diff does not go with -o ${f.output}`, "use --diff with the text report or -o json");
  if (f.watch !== undefined) {
    const other = f.wait ? "--wait" : f.output !== "text" ? `-o ${f.output}` : f.outputFile ? "--output-file" : f.diff !== undefined ? "--diff" : f.summary ? "--summary" : undefined;
    if (other) throw usageError(`--watch does not go with ${other}`, "--watch is a view for a terminal; drop one of them");
    if (process.stdout.isTTY !== true) {
      throw usageError("--watch needs a terminal: its view is drawn again in place", "without a terminal, use `verify --wait DURATION` to poll until in sync, or `verify -o prometheus --output-file FILE` (or -o nagios) for monitoring");
    }
  }
  if (f.outputFile !== undefined) {
    const dir = dirname(resolve(ctx.cwd, f.outputFile));
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw usageError(`--output-file: cannot write into ${dir}`, "choose a file in a folder that exists and this user may write to");
    }
  }
}

async function runVerifyCommand(ctx: CommandContext, names: string[], flags: VerifyFlags): Promise<number> {
  checkCombinations(ctx, flags);
  const outputFile = flags.outputFile === undefined ? undefined : resolve(ctx.cwd, flags.outputFile);
  if (flags.watch !== undefined) {
    const { runWatch } = await import("./verify-watch.js");
    return runWatch(ctx, names, flags, flags.watch === true ? WATCH_DEFAULT_MS : flags.watch);
  }
  return withRun(ctx, "verify", flags, names, async (run, progress) => {
    const { masterNotes, runVerify } = await import("../fleet/verify.js");
    const options = {
      slaves: run.slaves,
      concurrency: flags.concurrency ?? verifyConcurrency(run.slaves.length),
      ...(flags.wait ? { waitMs: flags.wait } : {}),
      ...(flags.diff !== undefined ? { diff: flags.diff === true ? {} : { section: flags.diff } } : {}),
    };
    if (flags.output === "prometheus" || flags.output === "nagios") {
      const { emitMonitoring } = await import("./verify-monitor.js");
      return await emitMonitoring(run, flags, () => runVerify(run.session, options), outputFile);
    }
    const nodes = await runVerify(run.session, options);
    progress.stop();
    return await emitReport(run, buildReport(run, "verify", nodes, { notes: await masterNotes(run.session) }), { ...(flags.summary ? { summary: true } : {}), ...(outputFile ? { outputFile } : {}) });
  });
}
