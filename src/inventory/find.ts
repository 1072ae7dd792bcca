/**
 * Which inventory a command uses (README "The inventory": `--inventory FILE`, else
 * `$SAFESQUID_FLEET_INVENTORY`, else `./safesquid-fleet.yaml`), and the one call the fleet
 * commands make: find, load, print warnings, or stop with exit code 2 and every error.
 */
import { resolve } from "node:path";
import { FleetError } from "../errors.js";
import { safe } from "../util/safe-text.js";
import { formatIssue, loadInventory } from "./load.js";
import type { Inventory, LoadResult } from "./types.js";

export const ENV_VAR = "SAFESQUID_FLEET_INVENTORY";
export const DEFAULT_FILE = "safesquid-fleet.yaml";

export interface InventoryLocation {
  /** As given (or the default name): what messages show. */
  file: string;
  /** Absolute path. */
  path: string;
  source: "flag" | "env" | "default";
}

/** Applies the lookup order: the flag, else the environment variable, else ./safesquid-fleet.yaml. */
export function findInventory(optionValue: string | undefined, env: NodeJS.ProcessEnv, cwd: string): InventoryLocation {
  if (optionValue !== undefined && optionValue !== "") return { file: optionValue, path: resolve(cwd, optionValue), source: "flag" };
  const fromEnv = env[ENV_VAR];
  if (fromEnv !== undefined && fromEnv !== "") return { file: fromEnv, path: resolve(cwd, fromEnv), source: "env" };
  return { file: DEFAULT_FILE, path: resolve(cwd, DEFAULT_FILE), source: "default" };
}

/** Where the lookup found the file, for a hint. */
export function describeSource(loc: InventoryLocation): string {
  if (loc.source === "flag") return "from --inventory";
  if (loc.source === "env") return `from ${ENV_VAR}`;
  return `the default: no --inventory, no ${ENV_VAR}`;
}

/** Finds and loads the inventory; prints its warnings; throws FleetError("INVENTORY") (exit 2) with every error. */
export async function loadInventoryOrFail(
  ctx: { env: NodeJS.ProcessEnv; cwd: string; printer: { warn(message: string): void } },
  optionValue: string | undefined,
): Promise<Inventory> {
  const loc = findInventory(optionValue, ctx.env, ctx.cwd);
  const result = await loadInventory(loc.file, { cwd: ctx.cwd });
  for (const w of result.warnings) ctx.printer.warn(safe(formatIssue(w)));
  if (result.inventory && result.errors.length === 0) return result.inventory;
  throw inventoryError(loc, result);
}

/** What to do about a missing inventory: only the ways the user has not taken already. */
function missingHint(loc: InventoryLocation): string {
  const create = (file: string): string => `create it: safesquid-fleet inventory init${file === DEFAULT_FILE ? "" : ` -i ${quoteArg(file)}`} (or copy examples/inventory.yaml)`;
  if (loc.source === "flag") return `check the path (relative paths start from the current folder), or ${create(loc.file)}`;
  if (loc.source === "env") return `check ${ENV_VAR} (it names ${loc.file}), pass --inventory FILE, or ${create(loc.file)}`;
  return `pass --inventory FILE, set ${ENV_VAR}, or create ${DEFAULT_FILE} (safesquid-fleet inventory init, or copy examples/inventory.yaml)`;
}

/** A file name as it can be pasted into a shell. */
function quoteArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The error a command stops with when the inventory has errors (nothing touched). */
export function inventoryError(loc: InventoryLocation, result: LoadResult): FleetError {
  const n = result.errors.length;
  if (result.missing) {
    return new FleetError("INVENTORY", `no inventory: ${loc.file} does not exist (${describeSource(loc)})`, { hint: missingHint(loc) });
  }
  const shown = result.errors.slice(0, 50).map(formatIssue);
  if (n > shown.length) shown.push(`... and ${n - shown.length} more`);
  return new FleetError("INVENTORY", `${loc.file}: ${n} ${n === 1 ? "error" : "errors"} in the inventory; nothing was touched`, {
    details: shown,
    hint: `fix ${n === 1 ? "it" : "them"}, then check with: safesquid-fleet inventory validate -i ${loc.file}`,
  });
}
