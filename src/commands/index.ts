/** Registers every command on the program. Each module keeps its heavy imports lazy. */
import type { Command } from "commander";
import { registerAllow } from "./allow.js";
import { registerApply } from "./apply.js";
import { registerCompletion } from "./completion.js";
import { registerDetach } from "./detach.js";
import { registerInventory } from "./inventory.js";
import { registerJoinSlave } from "./join-slave.js";
import { registerLab } from "./lab.js";
import { registerPromote } from "./promote.js";
import { registerReport } from "./report.js";
import { registerRestart } from "./restart.js";
import { registerUndo } from "./undo.js";
import { registerVerify } from "./verify.js";

/** Adds every command to the program. */
export function registerCommands(program: Command): void {
  registerJoinSlave(program);
  registerAllow(program);
  registerVerify(program);
  registerApply(program);
  registerUndo(program);
  registerRestart(program);
  registerDetach(program);
  registerPromote(program);
  registerInventory(program);
  registerReport(program);
  registerLab(program);
  registerCompletion(program);
}
