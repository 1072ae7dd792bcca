/** `safesquid-fleet lab`: placeholder until the emulator lands (issue 2). */
import type { Command } from "commander";

export function registerLab(program: Command): void {
  program.command("lab").description("start an emulated fleet (one master, N slaves) on loopback addresses");
}
