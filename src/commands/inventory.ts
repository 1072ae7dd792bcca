/** `safesquid-fleet inventory`: placeholder until the inventory lands (issue 3). */
import type { Command } from "commander";

export function registerInventory(program: Command): void {
  program.command("inventory").description("validate an inventory, or build one interactively");
}
