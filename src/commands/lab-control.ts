/**
 * Faults in a lab from the command line: `lab --fault NODE=FAULT` when it starts, and
 * `lab control [NODE=FAULT...]` against a running lab (no fault: list those in force). The
 * running lab is found by its control file: beside the inventory it wrote
 * (`lab.yaml` -> `lab.control.json`), or in its state folder (`--state-dir`). The endpoint it
 * names is the lab's own (src/emulator/lab-control.ts): 127.0.0.1 only, with the file's token.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { FleetError } from "../errors.js";
import { FAULT_KINDS, parseFaultSpec, type FaultSpec } from "../util/fault-spec.js";
import type { Lab } from "../emulator/lab.js";
import { usageError, type CommandContext } from "./common.js";
import { outputOption } from "./fleet-options.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";

const CONTROL_FILE = "lab-control.json";

/** Where the control file of a lab that wrote this inventory is: beside it, `<name>.control.json`. */
export function controlFileFor(inventoryFile: string): string {
  const abs = resolve(inventoryFile);
  return join(dirname(abs), basename(abs, extname(abs)) + ".control.json");
}

/** commander parser for --fault (repeatable). */
export function faultOption(v: string, prev: FaultSpec[] = []): FaultSpec[] {
  try {
    return [...prev, parseFaultSpec(v)];
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** Sets the lab's starting faults and opens its control endpoint; says how to use it. */
export async function startFaults(lab: Lab, specs: FaultSpec[], inventoryFile: string | undefined): Promise<{ notes: string[]; close(): Promise<void> }> {
  const { LabFaults } = await import("../emulator/lab-faults.js");
  const { startLabControl } = await import("../emulator/lab-control.js");
  const faults = new LabFaults(lab);
  for (const s of specs) {
    try {
      faults.check(s);
    } catch (e) {
      throw usageError(`--fault ${s.node}=${s.fault}: ${(e as Error).message}`);
    }
  }
  for (const s of specs) await faults.apply(s);
  const control = await startLabControl(faults);
  control.writeFile(join(lab.stateDir, CONTROL_FILE));
  if (inventoryFile) control.writeFile(controlFileFor(inventoryFile));
  const where = inventoryFile ? `-i ${inventoryFile}` : `--state-dir ${lab.stateDir}`;
  const set = Object.entries(faults.list()).map(([node, f]) => `${node} ${f.join(", ")}`);
  const notes = [...(set.length ? [`faults: ${set.join("; ")}`] : []), `faults at run time: safesquid-fleet lab control ${where} slave-1=refuse (then slave-1=clear)`];
  return { notes, close: () => control.close() };
}

const controlOptions = optionList(
  option("-i, --inventory <file>", "the inventory the lab wrote (its control file is beside it)"),
  option("--state-dir <dir>", "the lab's --state-dir (its control file is in it)"),
  outputOption(["text", "json"], "text or json"),
);
type ControlOpts = FlagsOf<typeof controlOptions>;

/** The control file to use: --state-dir, else beside the inventory (-i, $SAFESQUID_FLEET_INVENTORY, ./safesquid-fleet.yaml). */
function controlFile(ctx: CommandContext, o: ControlOpts): string {
  if (o.stateDir) return join(resolve(ctx.cwd, o.stateDir), CONTROL_FILE);
  return controlFileFor(resolve(ctx.cwd, o.inventory || ctx.env.SAFESQUID_FLEET_INVENTORY || "safesquid-fleet.yaml"));
}

async function runControl(ctx: CommandContext, specs: string[], o: ControlOpts): Promise<number> {
  const parsed = specs.map((s) => {
    try {
      return parseFaultSpec(s);
    } catch (e) {
      throw usageError((e as Error).message);
    }
  });
  const file = controlFile(ctx, o);
  if (!existsSync(file)) {
    throw usageError(`no running lab found: ${file} does not exist`, "a lab writes it when it starts (beside the inventory of --write-inventory, and in its --state-dir); pass that lab's -i FILE or --state-dir DIR");
  }
  const info = JSON.parse(readFileSync(file, "utf8")) as { url: string; token: string };
  const request = parsed.length ? { method: "POST", body: JSON.stringify({ faults: parsed.map((s) => `${s.node}=${s.fault}${s.arg !== undefined ? `:${s.arg}` : ""}`) }) } : { method: "GET" };
  let res: Response;
  try {
    res = await fetch(info.url, { ...request, headers: { authorization: `Bearer ${info.token}`, "content-type": "application/json" }, signal: ctx.signal });
  } catch (e) {
    throw new FleetError("UNREACHABLE", `the lab's control endpoint (${info.url}, from ${file}) does not answer: is that lab still running?`, { cause: e });
  }
  const body = (await res.json()) as { faults?: Record<string, string[]>; error?: string };
  if (!res.ok) throw usageError(`lab control: ${body.error ?? `status ${res.status}`}`);
  const faults = body.faults ?? {};
  if (o.output === "json") ctx.printer.data(JSON.stringify({ faults }, null, 2));
  else {
    const lines = Object.entries(faults).map(([node, f]) => `${node}: ${f.join(", ")}`);
    ctx.printer.data(lines.length ? lines.join("\n") : "no faults in force");
  }
  return 0;
}

/** Registers `lab control` under `lab`. */
export function registerLabControl(lab: Command): void {
  const list = Object.entries(FAULT_KINDS).map(([name, k]) => `  ${(name + (k.arg ? `:${k.arg.name}` : "")).padEnd(20)} ${k.help}`).join("\n");
  defineCommand(
    lab,
    {
      name: "control",
      description: "set faults on a running lab's nodes (NODE=FAULT...), or list those in force",
      arguments: [["[fault...]", "NODE=FAULT or NODE=FAULT:ARGUMENT, e.g. slave-2=refuse, slave-1=delay:2s, slave-2=clear"]],
      options: controlOptions,
      help: `\nFaults:\n${list}\n\nExample:\n  safesquid-fleet lab --write-inventory lab.yaml --fault slave-2=deny-sync\n  safesquid-fleet lab control -i lab.yaml slave-3=refuse\n  safesquid-fleet lab control -i lab.yaml slave-3=clear slave-2=clear\n`,
    },
    runControl,
  );
}
