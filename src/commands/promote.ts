/** `safesquid-fleet promote NEW_MASTER`: make a slave the master, the day the master dies. */
import type { Command } from "commander";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { FleetError } from "../errors.js";
import type { InventoryChange } from "../fleet/report.js";
import { addressOf } from "../fleet/address.js";
import type { CommandContext } from "./common.js";
import { buildReport, emitReport, verifyWaitOption, withRun, type FleetRun } from "./fleet-options.js";
import type { SlaveSpec } from "../inventory/types.js";
import type { Progress } from "../report/spinner.js";
import { lifecycleOptions } from "./lifecycle.js";
import { defineCommand, option, type FlagsOf } from "./options.js";
import { confirmRestarts } from "./questions.js";

export const PROMOTE_DEFAULT_CONCURRENCY = 2;

const promoteOptions = lifecycleOptions(
  { formats: ["text", "json", "junit"], concurrency: PROMOTE_DEFAULT_CONCURRENCY, noShard: "it makes one node the master of the whole fleet, once" },
  option("--force", "promote it even if its sections differ from the old master's (where that master still answers)"),
  option("--write-inventory <file>", "write the inventory with the new master to FILE (it may be the -i file itself)"),
  verifyWaitOption,
);
type PromoteFlags = FlagsOf<typeof promoteOptions>;

export function registerPromote(program: Command): void {
  defineCommand(
    program,
    {
      name: "promote",
      description: "disaster recovery: make a slave the master (stand-alone, the slaves' allow row on it), re-point every other slave to it, verify",
      arguments: [["<new-master>", "the slave to promote (by name)"]],
      options: promoteOptions,
      help: `
Examples:
  $ safesquid-fleet promote pune-1 --dry-run                    # what would change; what cannot be checked
  $ safesquid-fleet promote pune-1 --yes --write-inventory fleet.yaml
  $ safesquid-fleet promote pune-1 --yes --limit 'pune-*' -o json   # re-point only some slaves now

It works with the old master unreachable, and says what it could not check. The other slaves
are moved (--move is implied). Without --write-inventory it prints the inventory change to make.`,
    },
    runPromoteCommand,
  );
}

async function runPromoteCommand(ctx: CommandContext, newMaster: string, flags: PromoteFlags): Promise<number> {
  if (flags.writeInventory !== undefined && flags.dryRun) throw new FleetError("USAGE", "--write-inventory does not go with --dry-run (a dry run writes nothing)", { hint: "drop one of them" });
  // With --limit, the slaves it names are re-pointed; the new master is always part of the run.
  return withRun(ctx, "promote", flags, flags.limit?.length ? [newMaster] : [], async (run, progress) => {
    const promoting = run.inventory.slaves.find((x) => x.name === newMaster);
    if (!promoting) {
      const is = run.inventory.master.name === newMaster ? "is already the master" : "is not a slave";
      throw new FleetError("USAGE", `${newMaster} ${is} in ${run.inventory.file}`, { hint: `promote one of the slaves: ${run.inventory.slaves.map((x) => x.name).join(", ")}` });
    }
    return promote(ctx, run, promoting, flags, progress);
  });
}

async function promote(ctx: CommandContext, run: FleetRun, promoting: SlaveSpec, flags: PromoteFlags, progress: Progress): Promise<number> {
  const { runPromote } = await import("../fleet/promote.js");
  const r = await runPromote(
    run.session,
    {
      newMaster: promoting,
      others: run.slaves.filter((x) => x !== promoting),
      dryRun: flags.dryRun === true,
      force: flags.force === true,
      concurrency: flags.concurrency ?? PROMOTE_DEFAULT_CONCURRENCY,
      restartTimeoutMs: flags.restartTimeout,
      waitMs: flags.wait,
    },
    (names) => confirmRestarts(ctx, flags, progress, names),
  ).finally(() => progress.stop());
  r.promoted.close();
  const report = buildReport(run, "promote", r.nodes, { phases: r.phases, notes: r.notes });
  report.master = { name: promoting.name, address: addressOf(promoting) };
  const head = r.nodes[0]!;
  if (head.status !== "failed") report.inventoryChange = await inventoryChange(ctx, run.inventory.file, promoting.name, run.inventory.master.name, flags, report.notes ?? (report.notes = []));
  return emitReport(run, report);
}

/** The change to make, as YAML; written (atomically) with --write-inventory after a real run. */
async function inventoryChange(ctx: CommandContext, file: string, name: string, old: string, flags: PromoteFlags, notes: string[]): Promise<InventoryChange> {
  const { promotedYaml } = await import("../inventory/promote.js");
  const change: InventoryChange = { master: { from: old, to: name }, removedSlaves: [name] };
  let yaml: string;
  try {
    yaml = promotedYaml(readFileSync(file, "utf8"), file, name, old);
  } catch (e) {
    notes.push(`the inventory change: ${(e as Error).message}`);
    return change;
  }
  if (flags.writeInventory === undefined || flags.dryRun) return { ...change, yaml };
  const target = resolve(ctx.cwd, flags.writeInventory);
  writeFileSync(`${target}.tmp-${process.pid}`, yaml, { mode: 0o644 });
  renameSync(`${target}.tmp-${process.pid}`, target);
  return { ...change, written: flags.writeInventory };
}
