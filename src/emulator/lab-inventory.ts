/**
 * The inventory a lab writes for its nodes (README "The inventory"), as plain YAML with a short
 * comment header. The password itself never goes in: a 0600 file beside the inventory, or
 * the environment variable it came from.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { stringify } from "yaml";

export interface LabInventory {
  version: 1;
  defaults: {
    port: number;
    timeout: string;
    credentials?: { username: string; passwordFile?: string; passwordEnv?: string };
  };
  master: { name: string; host: string; port: number };
  slaves: { name: string; host: string }[];
}

export interface InventoryInput {
  port: number;
  master: { name: string; host: string };
  slaves: { name: string; host: string }[];
  /** In require-login mode: who logs in and where the password is read from. */
  credentials?: { username: string; passwordFile?: string; passwordEnv?: string };
}

/** The inventory as a plain object. */
export function labInventory(i: InventoryInput): LabInventory {
  return {
    version: 1,
    defaults: { port: i.port, timeout: "10s", ...(i.credentials ? { credentials: i.credentials } : {}) },
    master: { name: i.master.name, host: i.master.host, port: i.port },
    slaves: i.slaves.map((s) => ({ name: s.name, host: s.host })),
  };
}

/** The inventory as YAML text with a comment header. */
export function inventoryYaml(inv: LabInventory, nowIso: string): string {
  const header =
    `# An emulated SafeSquid fleet started by \`safesquid-fleet lab\` at ${nowIso}:\n` +
    `# 1 master and ${inv.slaves.length} slave${inv.slaves.length === 1 ? "" : "s"} on loopback addresses, port ${inv.defaults.port}.\n` +
    `# The nodes answer only while that lab runs.\n`;
  return header + stringify(inv);
}

/** Where the password file of an inventory goes: beside it, `<name>.password`. */
export function passwordFileFor(inventoryFile: string): string {
  const abs = resolve(inventoryFile);
  return join(dirname(abs), basename(abs, extname(abs)) + ".password");
}

/** Writes a secret to a file only its owner may read. */
export function writeSecretFile(file: string, secret: string): void {
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
}
