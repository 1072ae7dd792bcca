/**
 * `safesquid-fleet inventory validate` and `inventory init`. The work lives in
 * src/inventory/; yaml, ajv and @inquirer/prompts load only when a subcommand runs.
 */
import type { Command } from "commander";
import { positiveInt, type CommandContext } from "./common.js";
import { inventoryOption, outputOption } from "./fleet-options.js";
import { defineCommand, option, optionList, type FlagsOf } from "./options.js";
import type { InitFlags } from "../inventory/init/run.js";

const validateOptions = optionList(
  inventoryOption,
  outputOption(["text", "json"], "text or json"),
  option("--check-secrets", "a missing password variable or file is an error, not a warning"),
  option("--resolve", "look host names up now (a name that does not resolve: exit 1)"),
);
export type ValidateFlags = FlagsOf<typeof validateOptions>;

const initOptions = optionList(
  option("-i, --inventory <file>", "the file to write (default: $SAFESQUID_FLEET_INVENTORY, else ./safesquid-fleet.yaml)"),
  option("-y, --yes", "overwrite the file if it exists"),
  option("--master <[name=]host>", "the master, without questions (e.g. hq=10.0.0.10)"),
  option("--slaves <list>", "the slaves, without questions: comma list of [name=]host (e.g. pune-1=10.0.1.11,10.0.1.12)"),
  option("--port <port>", "the nodes' proxy port with --master/--slaves (default 8080)", positiveInt("--port")),
  option("--username <name>", "the login the tool uses, with --password-env or --password-file"),
  option("--password-env <NAME>", "the environment variable holding the password (its name, never the password)"),
  option("--password-file <path>", "a file holding the password"),
);
type InitCliFlags = FlagsOf<typeof initOptions>;

/** Registers `inventory validate` and `inventory init`. */
export function registerInventory(program: Command): void {
  const inventory = program
    .command("inventory")
    .description("validate an inventory, or build one interactively")
    .addHelpText("after", "\nExamples:\n  $ safesquid-fleet inventory validate -i fleet.yaml\n  $ safesquid-fleet inventory init -i fleet.yaml\n");

  defineCommand(
    inventory,
    {
      name: "validate",
      description: "check the inventory and show the fleet it describes (exit 2 on errors)",
      options: validateOptions,
      help: `
Examples:
  $ safesquid-fleet inventory validate -i fleet.yaml
  $ safesquid-fleet inventory validate -i fleet.yaml --check-secrets --resolve   # on the machine that runs the fleet
  $ safesquid-fleet inventory validate -o json | jq '.errors'`,
    },
    async (ctx: CommandContext, flags: ValidateFlags) => {
      const { runValidate } = await import("./inventory-validate.js");
      return runValidate(ctx, flags);
    },
  );

  defineCommand(
    inventory,
    {
      name: "init",
      description: "build an inventory by answering questions (or from --master and --slaves without a terminal)",
      options: initOptions,
      help: `
Examples:
  $ safesquid-fleet inventory init                      # asks, on a terminal
  $ safesquid-fleet inventory init -i fleet.yaml --master hq=10.0.0.10 \\
      --slaves pune-1=10.0.1.11,pune-2=10.0.1.12 --password-env SAFESQUID_PASSWORD`,
    },
    async (ctx: CommandContext, flags: InitCliFlags) => {
      const { findInventory } = await import("../inventory/find.js");
      const { runInit } = await import("../inventory/init/run.js");
      const { formPrompts } = await import("../report/prompts.js");
      const loc = findInventory(flags.inventory, ctx.env, ctx.cwd);
      await runInit({
        file: loc.file,
        path: loc.path,
        prompts: formPrompts({ interactive: ctx.interactive, signal: ctx.signal, env: ctx.env, printer: ctx.printer, command: ctx.command }),
        interactive: ctx.interactive,
        yes: flags.yes === true,
        flags: pick(flags),
        info: (m) => ctx.printer.info(m),
      });
      return 0; // declining to overwrite is the user's choice, not a failure
    },
  );
}

function pick(f: InitCliFlags): InitFlags {
  const out: Record<string, unknown> = {};
  for (const k of ["master", "slaves", "port", "username", "passwordEnv", "passwordFile"] as const) if (f[k] !== undefined) out[k] = f[k];
  return out;
}
