/**
 * `safesquid-fleet lab` (docs/lab.md): start an emulated fleet, one master and N slaves on their own
 * loopback addresses, all on one port; write an inventory once every node answers; run until
 * SIGINT / SIGTERM, then stop every node. The emulator is imported inside the action so that
 * `--help` stays fast.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import type { Dialect } from "../emulator/dialect.js";
import { FleetError } from "../errors.js";
import { parseDuration } from "../util/duration.js";
import { oneOf, positiveInt, usageError, type CommandContext } from "./common.js";
import { faultOption, registerLabControl, startFaults } from "./lab-control.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";

/**
 * The dialects, for --dialect. Spelled here, not imported from the emulator, so that the help
 * and every other command never load the emulator; the type makes it list every dialect.
 */
const DIALECTS = Object.keys({ vendor: true, alt: true } satisfies Record<Dialect, true>) as Dialect[];

function port(v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) > 65535) throw new InvalidArgumentError(`--port must be 0..65535 (0 picks a free port), not "${v}"`);
  return Number(v);
}

function durationOrZero(name: string): (v: string) => number {
  return (v: string) => {
    const ms = v.trim() === "0" ? 0 : parseDuration(v);
    if (ms === undefined) throw new InvalidArgumentError(`${name} must be a duration such as 0, 500ms, 2s, not "${v}"`);
    return ms;
  };
}

function syncInterval(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms < 100) throw new InvalidArgumentError(`--sync-interval must be a duration of 100ms or more, such as 2s, not "${v}"`);
  return ms;
}

/** Reads a policy document given on the command line, or stops with a usage error. */
async function readDocument(flag: string, file: string): Promise<string> {
  const { parsePolicy } = await import("../safesquid/policy.js");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw usageError(`${flag}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    parsePolicy(text);
  } catch (e) {
    throw usageError(`${flag}: ${file} is not a SafeSquid policy document: ${e instanceof Error ? e.message : String(e)}`);
  }
  return text;
}

/** Turns a listen failure into a usage error that says what to do (exit 2). */
function listenFailure(code: string, address: string, p: number): FleetError {
  switch (code) {
    case "EADDRINUSE":
      return usageError(`${address}:${p} is already in use`, "stop whatever listens there (another lab?), or choose another --port (0 picks a free one) or --base-address");
    case "EADDRNOTAVAIL":
      return usageError(`${address} is not an address of this machine`, "use loopback addresses 127.x.y.z (Linux has all of 127.0.0.0/8; on macOS add aliases first: sudo ifconfig lo0 alias 127.1.0.2 up)");
    case "EACCES":
      return usageError(`not allowed to listen on ${address}:${p}`, "ports below 1024 need privileges: choose --port 1024 or above");
    default:
      return usageError(`cannot listen on ${address}:${p} (${code})`);
  }
}

const labOptions = optionList(
  option("--slaves <n>", "number of slaves", positiveInt("--slaves")).default(2),
  option("--port <port>", "the port of every node (0 picks one free on every address)", port).default(8080),
  option("--base-address <ip>", "the master's address; each slave gets the next one (skipping .0 and .255)").default("127.1.0.1"),
  option("--write-inventory <file>", "write an inventory for the lab once every node answers"),
  option("--state-dir <dir>", "keep the nodes' state folders here (default: a temporary folder, removed on exit)"),
  // Durations are shown in help as they are typed (2s), not as the milliseconds held.
  option("--sync-interval <duration>", "how often slaves pull from their master (SYNCTIME)", syncInterval).default(2000, "2s"),
  option("--restart-downtime <duration>", "how long a restart keeps a node down (0 allowed)", durationOrZero("--restart-downtime")).default(1000, "1s"),
  option("--require-login", "the tool's own address (127.0.0.1) must log in too: the inventory gets credentials"),
  option("--master-config <file>", "the master's starting policy document (a config.xml)"),
  option("--slave-config <file>", "every slave's starting policy document (a config.xml)"),
  option("--dialect <name>", `the nodes' choices where the protocol leaves them open: ${DIALECTS.join(" or ")} (alt flips every one)`, oneOf("--dialect", DIALECTS)).default("vendor"),
  option("--fault <node=fault>", "a fault from the start, e.g. slave-2=refuse, slave-3=never-return, slave-1=deny-sync (repeatable; change them later with `lab control`)", faultOption).default([]),
);
type LabOpts = FlagsOf<typeof labOptions>;

async function runLab(ctx: CommandContext, o: LabOpts): Promise<number> {
  const { startLab } = await import("../emulator/lab.js");
  const { ListenError } = await import("../emulator/addresses.js");
  const masterConfig = o.masterConfig ? await readDocument("--master-config", o.masterConfig) : undefined;
  const slaveConfig = o.slaveConfig ? await readDocument("--slave-config", o.slaveConfig) : undefined;
  let lab: Awaited<ReturnType<typeof startLab>>;
  try {
    lab = await startLab({
      slaves: o.slaves,
      port: o.port,
      baseAddress: o.baseAddress,
      syncIntervalMs: o.syncInterval,
      restartDowntimeMs: o.restartDowntime,
      requireLogin: o.requireLogin === true,
      dialect: o.dialect,
      env: ctx.env,
      ...(o.stateDir ? { stateDir: o.stateDir } : {}),
      ...(masterConfig ? { masterConfig } : {}),
      ...(slaveConfig ? { slaveConfig } : {}),
    });
  } catch (e) {
    if (e instanceof ListenError) throw listenFailure(e.code, e.address, e.port);
    if (e instanceof RangeError) throw usageError(e.message, "choose another --base-address or fewer --slaves");
    throw e;
  }
  try {
    const answers = await lab.waitUntilAnswering();
    let written: { file: string } | undefined;
    if (o.writeInventory) written = await lab.writeInventory(o.writeInventory);
    // No inventory to put the password file beside: it goes in the state folder.
    else if (lab.settings.requireLogin && !ctx.env.SAFESQUID_LAB_PASSWORD) lab.savePassword(join(lab.stateDir, "lab.password"));
    const control = await startFaults(lab, o.fault ?? [], written?.file);
    try {
      const { printLabSummary } = await import("./lab-summary.js");
      printLabSummary(ctx.printer, lab, written, new Map([...answers].map(([name, r]) => [name, r.status])), control.notes);
      if (!ctx.signal.aborted) await new Promise<void>((r) => ctx.signal.addEventListener("abort", () => r(), { once: true }));
      ctx.printer.info("stopping the lab...");
    } finally {
      await control.close();
    }
  } finally {
    await lab.stop();
  }
  ctx.printer.info("lab stopped");
  return 0;
}

/** Registers `lab`. */
export function registerLab(program: Command): void {
  const lab = defineCommand(
    program,
    {
      name: "lab",
      description: "start an emulated fleet (one master, N slaves) on loopback addresses, until Ctrl-C",
      options: labOptions,
      help: "\nExample:\n  safesquid-fleet lab --slaves 3 --write-inventory lab.yaml\n  safesquid-fleet apply -i lab.yaml\n  safesquid-fleet lab --dialect alt --write-inventory lab.yaml   (the other choice on every open point)\n  safesquid-fleet lab --write-inventory lab.yaml --fault slave-2=deny-sync   (then: lab control -i lab.yaml slave-2=clear)\n",
    },
    runLab,
  );
  registerLabControl(lab);
}
