/**
 * Loads an inventory: read the file, parse the YAML keeping positions, check it against the
 * schema, apply the rules, normalise. The result is data (inventory, errors, warnings); a bad
 * file never throws.
 */
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { LineCounter, parseDocument, isMap, isSeq } from "yaml";
import { Locator } from "./positions.js";
import { schemaIssues } from "./schema-check.js";
import { ruleIssues } from "./rules.js";
import { normalise } from "./normalise.js";
import { checkedBefore } from "./parse-cache.js";
import { yamlIssues } from "./yaml-issues.js";
import type { RawInventory } from "./schema.js";
import type { InventoryIssue, LoadResult } from "./types.js";

export interface LoadOptions {
  /** Largest file read, in bytes (default 1 MiB: an inventory of thousands of slaves fits). */
  maxBytes?: number;
  /** Largest number of alias expansions (default 10000; see expandedSize for the other half). */
  maxAliasCount?: number;
  /** Folder a relative `file` is read from (default: the process's working directory). */
  cwd?: string;
}

export const MAX_BYTES = 1024 * 1024;
const MAX_VALUES = 200_000;
const ACCEPTED_TOP = "a mapping with version, master and slaves (see examples/inventory.yaml)";

/** Reads and checks an inventory file; `file` is shown in messages as given. */
export async function loadInventory(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const max = opts.maxBytes ?? MAX_BYTES;
  const fail = (message: string, accepted?: string): LoadResult => ({ errors: [fileIssue(file, message, accepted)], warnings: [] });
  const path = resolve(opts.cwd ?? process.cwd(), file);
  let text: string;
  try {
    const st = await stat(path);
    if (st.isDirectory()) return fail("is a folder, not an inventory file", "the path of a YAML file");
    if (!st.isFile()) return fail("is not a regular file", "the path of a YAML file");
    if (st.size > max) return fail(`is too big (${st.size} bytes)`, `an inventory of at most ${max} bytes`);
    const bytes = await readAtMost(path, max + 1); // the file may grow after stat
    if (bytes.length > max) return fail(`is too big (more than ${max} bytes)`, `an inventory of at most ${max} bytes`);
    text = bytes.toString("utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ...fail("does not exist", "an existing YAML file (see examples/inventory.yaml, or run: safesquid-fleet inventory init)"), missing: true };
    if (code === "EACCES" || code === "EPERM") return fail("cannot be read (permission denied)", "a file this user may read");
    return fail(`cannot be read (${code ?? (e as Error).message})`, "a readable YAML file");
  }
  // The same text checked before by this build: its result, without parsing it again.
  const input = { text, file, path, maxBytes: max, maxAliasCount: opts.maxAliasCount ?? 10_000 };
  return checkedBefore(input, () => parseInventory(text, file, opts));
}

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

/** `FILE:LINE:COL: what is wrong (field path): what is accepted` (no LINE:COL for the file itself). */
export function formatIssue(issue: InventoryIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const path = issue.path ? ` (${issue.path})` : "";
  return `${where}: ${issue.message}${path}${issue.accepted ? `: ${issue.accepted}` : ""}`;
}

async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(limit);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, limit - n, null);
      if (bytesRead === 0 || (n += bytesRead) >= limit) break;
    }
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}

function fileIssue(file: string, message: string, accepted?: string, line = 0): InventoryIssue {
  return { file, line, column: line > 0 ? 1 : 0, path: "", message: `the inventory ${message}`, ...(accepted ? { accepted } : {}) };
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
