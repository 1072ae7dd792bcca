/**
 * `--limit`: which slaves a command works on. Comma lists of names or globs (`pune-*`,
 * `dc?-1`); an unknown name or a glob that matches nothing is a usage error (exit 2) naming it
 * and listing the valid names. The inventory's order is kept.
 */
import { FleetError } from "../errors.js";
import type { Inventory, SlaveSpec } from "./types.js";
import { didYouMean } from "../util/suggest.js";

/** The slaves `--limit` selects (every slave when it is absent or empty), in inventory order. */
export function selectSlaves(inventory: Inventory, limit: readonly string[] | undefined): SlaveSpec[] {
  const patterns = (limit ?? []).flatMap((l) => l.split(",")).map((p) => p.trim()).filter((p) => p !== "");
  if (patterns.length === 0) return [...inventory.slaves];
  const chosen = new Set<SlaveSpec>();
  const unknown: string[] = [];
  const masterNamed: string[] = [];
  for (const p of patterns) {
    const re = globToRegExp(p);
    const hits = inventory.slaves.filter((s) => re.test(s.name));
    if (hits.length === 0) (re.test(inventory.master.name) ? masterNamed : unknown).push(p);
    hits.forEach((s) => chosen.add(s));
  }
  const names = inventory.slaves.map((s) => s.name);
  const valid = names.length > 30 ? `${names.slice(0, 30).join(", ")} and ${names.length - 30} more` : names.join(", ");
  if (masterNamed.length > 0) {
    throw new FleetError("USAGE", `--limit: ${quoteList(masterNamed)} ${masterNamed.length === 1 ? "names" : "name"} the master; --limit selects slaves`, {
      hint: `slaves: ${valid}`,
    });
  }
  if (unknown.length > 0) {
    const what = unknown.map((p) => (isGlob(p) ? `"${p}" matches no slave` : `no slave is named "${p}"${near(p, names)}`));
    throw new FleetError("USAGE", `--limit: ${what.join("; ")}`, { hint: `slaves in ${inventory.file}: ${valid}` });
  }
  return inventory.slaves.filter((s) => chosen.has(s));
}

function isGlob(p: string): boolean {
  return /[*?]/.test(p);
}

/** `*` any run of characters, `?` one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

function near(p: string, names: string[]): string {
  return didYouMean(p, names);
}

function quoteList(items: string[]): string {
  return items.map((i) => `"${i}"`).join(", ");
}
