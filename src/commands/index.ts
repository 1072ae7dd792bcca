/** Registers every command on the program. Each module keeps its heavy imports lazy. */
import type { Command } from "commander";
import { registerAllow } from "./allow.js";
import { registerApply } from "./apply.js";
import { registerInventory } from "./inventory.js";
import { registerJoinSlave } from "./join-slave.js";
import { registerLab } from "./lab.js";
import { registerVerify } from "./verify.js";

export function registerCommands(program: Command): void {
  registerJoinSlave(program);
  registerAllow(program);
  registerVerify(program);
  registerApply(program);
  registerInventory(program);
  registerLab(program);
}
