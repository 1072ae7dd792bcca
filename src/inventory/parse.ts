/**
 * Checks an inventory's text: parse the YAML keeping positions, check it against the schema,
 * apply the rules, normalise (load.ts reads the file and calls this). The result is data
 * (inventory, errors, warnings); a bad text never throws.
 */
import { resolve } from "node:path";
import { LineCounter, parseDocument, isMap, isSeq } from "yaml";
import { Locator } from "./positions.js";
import { schemaIssues } from "./schema-check.js";
import { ruleIssues } from "./rules.js";
import { normalise } from "./normalise.js";
import { yamlIssues } from "./yaml-issues.js";
import { fileIssue, formatIssue, MAX_BYTES, type LoadOptions } from "./load.js";
import type { RawInventory } from "./schema.js";
import type { InventoryIssue, LoadResult } from "./types.js";

const MAX_VALUES = 200_000;
const ACCEPTED_TOP = "a mapping with version, master and slaves (see examples/inventory.yaml)";

/** Checks inventory text (what loadInventory does after reading the file). */
export function parseInventory(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const max = opts.maxBytes ?? MAX_BYTES;
  if (Buffer.byteLength(text) > max) return { errors: [fileIssue(file, `is too big (${Buffer.byteLength(text)} bytes)`, `an inventory of at most ${max} bytes`)], warnings: [] };
  const lines = new LineCounter();
  // prettyErrors off: its context excerpt can exhaust memory on a hostile deeply nested line.
  // logLevel "error": no process warnings on stderr ("silent" would also drop the MULTIPLE_DOCS error).
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  const at = new Locator(doc, lines, file);
  const yaml = yamlIssues(doc, text, lines, at);
  const yamlWarnings = yaml.warnings;
  if (yaml.errors.length > 0) return { errors: yaml.errors, warnings: yamlWarnings };
  if (doc.contents === null) return { errors: [{ file, line: 1, column: 1, path: "", message: "the inventory is empty", accepted: ACCEPTED_TOP }], warnings: yamlWarnings };
  if (!isMap(doc.contents)) {
    const what = isSeq(doc.contents) ? "a list" : "a single value";
    return { errors: [at.issue([], `the top level is ${what}, not a mapping`, ACCEPTED_TOP)], warnings: yamlWarnings };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: opts.maxAliasCount ?? 10_000 });
  } catch (e) {
    // yaml throws a ReferenceError on an alias bomb ("billion laughs").
    return { errors: [fileIssue(file, `uses too many aliases (${(e as Error).message})`, "a document that uses aliases (*name) sparingly", 1)], warnings: yamlWarnings };
  }
  if (expandedSize(data, MAX_VALUES) > MAX_VALUES) {
    return { errors: [fileIssue(file, `expands to more than ${MAX_VALUES} values through aliases`, "a document that uses aliases (*name) sparingly", 1)], warnings: yamlWarnings };
  }
  const errors = schemaIssues(data, at);
  const rules = ruleIssues(data, at);
  errors.push(...rules.errors);
  const warnings = sortIssues([...yamlWarnings, ...rules.warnings]);
  if (errors.length > 0) return { errors: sortIssues(dedupe(errors)), warnings };
  return { inventory: normalise(data as RawInventory, resolve(opts.cwd ?? process.cwd(), file), at), errors: [], warnings };
}

/** Counts values, walking aliased (shared) subtrees each time they are used; stops past `limit`. */
function expandedSize(v: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && n <= limit) {
    const cur = stack.pop();
    n++;
    if (Array.isArray(cur)) stack.push(...cur);
    else if (cur !== null && typeof cur === "object") stack.push(...Object.values(cur));
  }
  return n;
}

function sortIssues(list: InventoryIssue[]): InventoryIssue[] {
  return list.sort((a, b) => a.line - b.line || a.column - b.column);
}

function dedupe(list: InventoryIssue[]): InventoryIssue[] {
  const seen = new Set<string>();
  return list.filter((i) => (seen.has(formatIssue(i)) ? false : (seen.add(formatIssue(i)), true)));
}
