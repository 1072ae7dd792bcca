/**
 * `--limit` and a command's SLAVE names: which slaves it works on. Comma lists of names or globs (`pune-*`,
 * `dc?-1`); an unknown name or a glob that matches nothing is a usage error (exit 2) naming it
 * and listing the valid names. The inventory's order is kept.
 */
import { FleetError } from "../errors.js";
import type { Inventory, SlaveSpec } from "./types.js";
import { didYouMean } from "../util/suggest.js";

/**
 * The slaves `--limit` and a command's SLAVE names select (every slave when both are absent or
 * empty), in inventory order. An error says "--limit:" only when every name it is about came
 * from --limit: `verify pune1` is not told about an option it did not use.
 */
export function selectSlaves(inventory: Inventory, limit: readonly string[] | undefined, names: readonly string[] = []): SlaveSpec[] {
  const split = (list: readonly string[], fromLimit: boolean) =>
    list.flatMap((l) => l.split(",")).map((p) => p.trim()).filter((p) => p !== "").map((p) => ({ p, fromLimit }));
  const patterns = [...split(limit ?? [], true), ...split(names, false)];
  if (patterns.length === 0) return [...inventory.slaves];
  const chosen = new Set<SlaveSpec>();
  const unknown: typeof patterns = [];
  const masterNamed: typeof patterns = [];
  for (const item of patterns) {
    const re = globToRegExp(item.p);
    const hits = inventory.slaves.filter((s) => re.test(s.name));
    if (hits.length === 0) (re.test(inventory.master.name) ? masterNamed : unknown).push(item);
    hits.forEach((s) => chosen.add(s));
  }
  const all = inventory.slaves.map((s) => s.name);
  const valid = all.length > 30 ? `${all.slice(0, 30).join(", ")} and ${all.length - 30} more` : all.join(", ");
  const onlyLimit = (items: typeof patterns): boolean => items.every((i) => i.fromLimit);
  if (masterNamed.length > 0) {
    const list = masterNamed.map((i) => i.p);
    const said = `${quoteList(list)} ${list.length === 1 ? "names" : "name"} the master`;
    throw new FleetError("USAGE", onlyLimit(masterNamed) ? `--limit: ${said}; --limit selects slaves` : `${said}; only slaves can be named here`, {
      hint: `slaves: ${valid}`,
    });
  }
  if (unknown.length > 0) {
    const what = unknown.map(({ p }) => (isGlob(p) ? `"${p}" matches no slave` : `no slave is named "${p}"${near(p, all)}`)).join("; ");
    throw new FleetError("USAGE", onlyLimit(unknown) ? `--limit: ${what}` : what, { hint: `slaves in ${inventory.file}: ${valid}` });
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
