/** Registers every command on the program. Each module keeps its heavy imports lazy. */
import type { Command } from "commander";
import { registerLab } from "./lab.js";
import { registerInventory } from "./inventory.js";

export function registerCommands(program: Command): void {
  registerInventory(program);
  registerLab(program);
}
