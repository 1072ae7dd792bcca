/**
 * `safesquid-fleet report merge FILE...`: the `-o json` reports of the shards of one run
 * (`--shard I/N`) merged into one report (text, json, junit) whose exit code is what the
 * whole run means (rules in src/fleet/merge.ts). Reads files only: no inventory, no node.
 */
import type { Command } from "commander";
import { usageError, type CommandContext } from "./common.js";
import { outputOption, printReport } from "./fleet-options.js";
import { defineCommand, optionList, type FlagsOf } from "./options.js";

const mergeOptions = optionList(outputOption(["text", "json", "junit"]));
type MergeFlags = FlagsOf<typeof mergeOptions>;

/** Registers `report merge`. */
export function registerReport(program: Command): void {
  const report = program.command("report").description("work with the JSON reports of earlier runs (e.g. merge the shards of one run)");
  defineCommand(
    report,
    {
      name: "merge",
      description: "merge the -o json reports of the shards of one run (--shard I/N) into one report, with the exit code of the whole",
      arguments: [["<file...>", "the shards' JSON reports (error envelopes of shards that stopped included)"]],
      options: mergeOptions,
      help: `
Exit codes: 0 every shard reported and every slave is as it should be; 1 a shard is missing or
stopped with an error, or a slave failed / is not in sync; 2 a file is unreadable or not a
report, or the files are not the shards of one run (different command, inventory, shard count,
two different reports of one shard, a slave in two shards); 3 dry-run changes with
--detailed-exitcode in the shards; 130 a shard was interrupted.

Examples:
  $ safesquid-fleet report merge shard-*.json                    # text summary of the whole run
  $ safesquid-fleet report merge shard-*.json -o junit > all.xml  # one JUnit report for CI`,
    },
    runMerge,
  );
}

async function runMerge(ctx: CommandContext, files: string[], flags: MergeFlags): Promise<number> {
  if (files.length === 0) throw usageError("report merge needs at least one file", "pass the shards' -o json reports, e.g. report merge shard-*.json");
  const { readParts } = await import("../fleet/merge-read.js");
  const { mergeReports } = await import("../fleet/merge.js");
  const merged = mergeReports(await readParts(files, ctx.cwd));
  return printReport(ctx, flags.output, merged);
}
