/**
 * What the fleet commands (join-slave, allow, verify, apply) share: their options
 * (README "Commands"), opening a run (inventory, --limit,
 * credentials read up front so a missing secret stops the run before anything is touched,
 * one client per node, the run record), and closing it (the report, its exit code).
 */
import { InvalidArgumentError } from "commander";
import { setMaxListeners } from "node:events";
import { FleetError } from "../errors.js";
import type { Inventory, NodeSpec, ResolvedCredentials, SlaveSpec } from "../inventory/types.js";
import { exitCodeOf, summarize, CHANGING, type NodeResult, type Report, type RunReport } from "../fleet/report.js";
import type { FleetSession } from "../fleet/session.js";
import type { Progress } from "../report/spinner.js";
import type { RunRecord } from "../fleet/record.js";
import { duration, oneOf, positiveInt, runState, size, type CommandContext, type Refusal } from "./common.js";
import { option, optionList, type FlagsOf } from "./options.js";
import { addressOf } from "../fleet/address.js";
import { inShard, parseShard, shardLabel, type Shard } from "../fleet/shard.js";
import { chooseRecordDir, RECORD_DIR_ENV, workingRecordDir, type RecordPlace } from "../fleet/record-dir.js";
import { shellWord } from "../fleet/hints.js";
import { progressFor } from "./progress.js";

/** The output formats a fleet command may offer (`-o`); text is the default. */
export const FLEET_FORMATS = ["text", "json", "junit", "prometheus", "nagios"] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];

/** How long a writing run waits for another run's lock by default: not at all (docs/run-records.md "The run lock"). */
export const LOCK_TIMEOUT_DEFAULT_MS = 0;

/** commander parser for --lock-timeout: a duration, or 0. */
function lockTimeoutOption(v: string): number {
  if (v.trim() === "0") return 0;
  return duration("--lock-timeout")(v);
}

/** commander parser for --shard: I/N, else a usage error (exit 2) saying what is accepted. */
function shardOption(v: string): Shard {
  try {
    return parseShard(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** The shared options a fleet command may decline (with the reason it gives when they are passed). */
export type DeclinedOptions = Partial<Record<"concurrency" | "yes" | "shard", Refusal>>;

/** -i: the inventory a command reads (the fleet commands, `inventory validate`). */
export const inventoryOption = option("-i, --inventory <file>", "the inventory (default: $SAFESQUID_FLEET_INVENTORY, else ./safesquid-fleet.yaml)");

/** -o: one of these formats, text by default (`output format: text, json`, unless `description` says otherwise). */
export function outputOption<const F extends readonly [string, ...string[]]>(formats: F, description = `output format: ${formats.join(", ")}`) {
  return option("-o, --output <format>", description, oneOf<F[number]>("--output", formats)).default(formats[0]);
}

/**
 * The options every fleet command takes, in this order; those in `decline` are left out of its
 * --help and refused with their reason (a command lists only what it honours). `concurrency`
 * is the default --help names (a number, or words).
 */
export function fleetOptions<const F extends readonly ["text", ...FleetFormat[]]>(o: { formats: F; concurrency: number | string; decline?: DeclinedOptions }) {
  const declined = o.decline ?? {};
  return optionList(
    inventoryOption,
    outputOption(o.formats),
    option("--limit <names>", "only these slaves: comma list of names or globs (repeatable)", (v: string, prev: string[] = []) => [...prev, v]),
    option("--concurrency <n>", `how many slaves at once (default${typeof o.concurrency === "number" ? " " : ": "}${o.concurrency})`, positiveInt("--concurrency")).declinedIf(declined.concurrency),
    option("--timeout <duration>", "per-request timeout for every node, e.g. 10s (default: the inventory's)", duration("--timeout")),
    option("--max-reply-size <size>", "raise the bound on a node's reply to this, e.g. 64MiB (defaults: policy document 16MiB, log 64MiB, others 1MiB)", size("--max-reply-size")),
    option("-y, --yes", "assume yes to every question (needed without a terminal), except the cloud backup: that takes --backup-to-cloud").declinedIf(declined.yes),
    option(
      "--shard <i/n>",
      "only shard I of N (1-based, e.g. 2/4): a stable split of the slaves by name for N parallel jobs; applied after --limit and SLAVE names",
      shardOption,
    ).declinedIf(declined.shard),
  );
}

/** The options of a command that can show what it would change instead of changing it. */
export const dryRunOptions = optionList(
  option("--dry-run", "read the live nodes, print what would change, change nothing"),
  option("--detailed-exitcode", "with --dry-run: exit 3 when changes would be made"),
);

/** The options of a command that writes to nodes: where its run record and the run lock go. */
export const recordOptions = optionList(
  option("--record-dir <dir>", `where run records (previous values) and the run lock go (default: $${RECORD_DIR_ENV}, else ./.safesquid-fleet/runs, else $XDG_STATE_HOME/safesquid-fleet/runs)`),
  option("--lock-timeout <duration>", "wait this long for another run's lock on the same inventory, e.g. 5m (default: do not wait: exit 2 naming it)", lockTimeoutOption),
);

/** --restart-timeout, for every command that restarts slaves. */
export const restartTimeoutOption = option("--restart-timeout <duration>", "how long a slave may take to come back after its restart (its SYNCTIME is added)", duration("--restart-timeout")).default(120_000, "2m");

/** verify's wait as a phase of apply and promote. */
export const verifyWaitOption = option("--wait <duration>", "verify: how long to wait for every slave to be in sync", duration("--wait")).default(120_000, "2m");

/**
 * What openRun and the report read: the shared options of every fleet command, with every
 * format, a dry run and a run record (a command without some of them simply never sets them).
 */
export type FleetFlags = FlagsOf<[...ReturnType<typeof fleetOptions<typeof FLEET_FORMATS>>, ...typeof dryRunOptions, ...typeof recordOptions]>;

export interface FleetRun {
  ctx: CommandContext;
  flags: FleetFlags;
  inventory: Inventory;
  slaves: SlaveSpec[];
  session: FleetSession;
  record: RunRecord;
  startedAt: Date;
  t0: number;
  shard?: Shard;
  /** Notes for the report (e.g. an empty shard). */
  notes: string[];
  /** Where run records go (writing runs only: checked before any node is touched). */
  recordPlace?: RecordPlace;
}

/** Loads the inventory, applies --limit and positional names, reads secrets, opens the session. */
export async function openRun(ctx: CommandContext, command: Report["FleetCommand"], flags: FleetFlags, names: string[] = [], progress?: Progress): Promise<FleetRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  if (flags.detailedExitcode && !flags.dryRun) throw new FleetError("USAGE", "--detailed-exitcode goes with --dry-run", { hint: "add --dry-run, or drop --detailed-exitcode" });
  const { loadInventoryOrFail } = await import("../inventory/find.js");
  const inventory = await loadInventoryOrFail(ctx, flags.inventory);
  // The modules of the run, the HTTP client's included, are asked for at once (one import
  // after the other, each waited for, was a chain of file reads before the first request);
  // only once the inventory is good, so that a bad one is reported without loading them.
  const later = Promise.all([import("../inventory/select.js"), import("../inventory/secrets.js"), import("../inventory/resolve.js"), import("../fleet/session.js"), import("../fleet/record.js")]);
  const [{ selectSlaves }, { RunPasswords }, { resolveAddress }, { FleetSession }, { RunRecord }] = await later;
  // --limit and names are checked against the whole inventory (an unknown name is still an
  // error), then --shard keeps the selected slaves of this shard. A slave's shard depends on
  // its name alone, so the order of the two does not change the result.
  const selected = selectSlaves(inventory, flags.limit, names);
  const slaves = flags.shard ? inShard(selected, flags.shard) : selected;
  const notes: string[] = [];
  if (flags.shard && slaves.length === 0) {
    notes.push(`shard ${shardLabel(flags.shard)} holds none of the ${selected.length} selected slave(s): nothing to do in this job`);
  }
  // One listener per request in flight on the run's signal: hundreds of slaves at once are
  // expected, not a leak (Node warns past 10 on stderr otherwise).
  setMaxListeners(0, ctx.signal);

  // A run that writes needs somewhere to record previous values, and the inventory's lock:
  // both settled here, before a password is asked and before any node is touched.
  const writes = command !== "verify" && !flags.dryRun;
  const recordPlace = writes ? await recordPlaceFor(ctx, flags, inventory.file) : undefined;

  // Secrets are read before anything is touched: a missing one is exit 2, not a half run.
  const passwords = new RunPasswords({ env: ctx.env, interactive: ctx.interactive, signal: ctx.signal, warn: (m) => ctx.printer.warn(m), ask: askFor(ctx, progress) });
  const creds = new Map<string, ResolvedCredentials | undefined>();
  for (const node of [inventory.master, ...slaves] as NodeSpec[]) {
    if (!node.credentials) continue;
    creds.set(node.name, await passwords.read(node));
  }
  const secrets = (): string[] => [...passwords.cache.values()].map((s) => s.reveal());
  const record = new RunRecord(recordPlace?.dir ?? workingRecordDir(ctx.cwd), command, { inventory: inventory.file }, secrets);
  const nodeNames = [inventory.master.name, ...slaves.map((x) => x.name)];
  // The call lines of --verbose (and the width-aware table code they align with) load only then.
  const verbose = ctx.printer.opts.verbose ? await import("../report/verbose.js") : undefined;
  const session = new FleetSession({
    inventory,
    signal: ctx.signal,
    record,
    credentials: async (node) => creds.get(node.name),
    relogin: (node, rejected) => passwords.again(node, rejected),
    resolve: async (host) => {
      const r = await resolveAddress(host);
      if (!r.ok) throw r.error;
      return r.address;
    },
    ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
    ...(flags.maxReplySize ? { maxReplyBytes: flags.maxReplySize } : {}),
    ...(flags.inventory ? { inventoryArg: flags.inventory } : {}),
    ...(verbose ? { onCall: verbose.callLogger(ctx.printer, nodeNames), onCheck: verbose.checkLogger(ctx.printer, nodeNames) } : {}),
    ...(progress ? { progress } : {}),
  });
  return { ctx, flags, inventory, slaves, session, record, startedAt, t0, notes, ...(flags.shard ? { shard: flags.shard } : {}), ...(recordPlace ? { recordPlace } : {}) };
}

/**
 * Opens the run with a progress display (`openRun`), hands both to `work`, and closes the run
 * however `work` ends: the progress stopped, every node's connections released.
 */
export async function withRun(ctx: CommandContext, command: Report["FleetCommand"], flags: FleetFlags, names: string[], work: (run: FleetRun, progress: Progress) => Promise<number>): Promise<number> {
  const progress = await progressFor(ctx);
  const run = await openRun(ctx, command, flags, names, progress);
  try {
    return await work(run, progress);
  } finally {
    progress.stop();
    run.session.close();
  }
}

/** Chooses the run-record folder (saying so when it is not the working folder's) and takes the inventory's lock there. */
async function recordPlaceFor(ctx: CommandContext, flags: FleetFlags, inventory: string): Promise<RecordPlace> {
  const { RunLock } = await import("../fleet/run-lock.js");
  const place = chooseRecordDir({ cwd: ctx.cwd, env: ctx.env, ...(flags.recordDir ? { option: flags.recordDir } : {}) });
  if (place.fallbackFrom) ctx.printer.warn(`the working folder cannot hold run records (${place.fallbackFrom.why}): they go to ${place.dir}`);
  const held = (h: { pid: number; command: string } | undefined): string => (h ? `pid ${h.pid} (\`safesquid-fleet ${h.command}\`)` : "another run");
  const lock = await RunLock.acquire({
    dir: place.dir,
    inventory,
    ...(flags.shard ? { shard: flags.shard } : {}),
    command: process.argv.slice(2).map(shellWord).join(" "),
    timeoutMs: flags.lockTimeout ?? LOCK_TIMEOUT_DEFAULT_MS,
    signal: ctx.signal,
    onWait: (h, file) => ctx.printer.info(`waiting for ${held(h)} to finish with this inventory (lock ${file}), up to --lock-timeout`),
    onTakeover: (h, why, file) => ctx.printer.warn(`took over the lock ${file} of ${held(h)}: ${why}`),
  });
  runState.cleanup.push(() => lock.release());
  return place;
}

/**
 * The hidden-input question for a missing or refused password (the one prompt adapter,
 * src/report/ask.ts), with the spinner paused: a refused password is asked mid-run.
 */
function askFor(ctx: CommandContext, progress: Progress | undefined): (label: string) => Promise<string> {
  return async (label) => {
    const { askPassword } = await import("../report/prompts.js");
    const pctx = { interactive: ctx.interactive, signal: ctx.signal, env: ctx.env, printer: ctx.printer, command: ctx.command, ...(progress ? { progress } : {}) };
    return (await askPassword(label, pctx)).reveal();
  };
}

/** Assembles the run's report (docs/output.md "`-o json`" fields plus timings). */
export function buildReport(run: FleetRun, command: Report["FleetCommand"], nodes: NodeResult[], extra: { phases?: Report["Phase"][]; notes?: string[]; plan?: Report["RunPlan"] } = {}): RunReport {
  const interrupted = run.ctx.signal.aborted;
  const dryRun = run.flags.dryRun === true;
  const all = [...nodes, ...(extra.phases ?? []).flatMap((p) => p.nodes)];
  const report: RunReport = {
    schemaVersion: 1,
    command,
    ok: false,
    exitCode: 0,
    dryRun,
    changes: dryRun && all.some((n) => CHANGING.has(n.status)),
    interrupted,
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - run.t0),
    inventory: run.inventory.file,
    master: { name: run.inventory.master.name, address: addressOf(run.inventory.master) },
    ...(run.shard ? { shard: { index: run.shard.index, count: run.shard.count } } : {}),
    nodes,
    summary: summarize(nodes),
  };
  if (extra.phases) report.phases = extra.phases;
  if (extra.plan) report.plan = extra.plan;
  const notes = [...run.notes, ...(extra.notes ?? [])];
  if (notes.length) report.notes = notes;
  const rec = run.record.location(run.ctx.cwd);
  if (rec) report.runRecord = rec;
  report.exitCode = exitCodeOf(report, run.flags.detailedExitcode === true);
  report.ok = report.exitCode === 0 || report.exitCode === 3;
  return report;
}

/** How the report is printed beyond its format. */
export interface PrintOptions {
  /** verify --summary: one line per slave in the text report. */
  summary?: boolean;
  /** --output-file: into this file (atomically) instead of stdout. */
  outputFile?: string;
}

/**
 * Prints the report in the chosen format (stdout, once, or --output-file) and returns its exit
 * code. An interrupted run whose stdout is not a terminal also gets a short summary on stderr
 * first (`apply | tee out.txt`: Ctrl-C kills tee too, and the report on stdout reaches nobody).
 */
export async function emitReport(run: FleetRun, report: RunReport, o: PrintOptions = {}): Promise<number> {
  run.session.close();
  if (report.interrupted && !process.stdout.isTTY) {
    const { interruptedSummary } = await import("../report/interrupted.js");
    const { fixCommand, shellWord } = await import("../fleet/hints.js");
    const look = fixCommand(run.session, report.command === "allow" ? "allow" : "verify", ...(report.command === "allow" ? ["--dry-run"] : []));
    // Undoing an interrupted undo would redo what it undid, and a restart leaves nothing to put back.
    const undo = report.runRecord && report.command !== "undo" && report.command !== "restart" ? fixCommand(run.session, "undo", shellWord(report.runRecord)) : undefined;
    run.ctx.printer.stderr.write(interruptedSummary(report, look, undo));
  }
  return printReport(run.ctx, run.flags.output as "text" | "json" | "junit", report, o);
}

/** Renders a report as text, JSON or JUnit on stdout (once), or into --output-file; returns its exit code. */
export async function printReport(ctx: CommandContext, format: "text" | "json" | "junit", report: RunReport, o: PrintOptions = {}): Promise<number> {
  let text: string;
  if (format === "json") {
    const { renderJson } = await import("../report/json.js");
    text = renderJson(report);
  } else if (format === "junit") {
    const { renderJunit } = await import("../report/junit.js");
    text = renderJunit(report);
  } else {
    const { renderText } = await import("../report/text.js");
    const chalk = (await import("chalk")).default;
    // A file is no terminal: no colour, the default width.
    const terminal = o.outputFile === undefined;
    text = renderText(report, { color: terminal && chalk.level > 0, ...(terminal && process.stdout.columns ? { width: process.stdout.columns } : {}), ...(o.summary ? { summary: true } : {}) });
  }
  writeData(ctx, text, o.outputFile);
  return report.exitCode;
}

/** The data, on stdout or into --output-file (a failure to write is said plainly, exit 2). */
export function writeData(ctx: CommandContext, text: string, outputFile: string | undefined): void {
  if (outputFile === undefined) return ctx.printer.data(text);
  try {
    ctx.printer.dataToFile(outputFile, text);
  } catch (e) {
    throw new FleetError("USAGE", `--output-file: cannot write ${outputFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: "choose a file in a folder this user may write to" });
  }
}
