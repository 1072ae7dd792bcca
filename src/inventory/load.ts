/**
 * Loads an inventory: read the file, then check its text (parse.ts: parse the YAML keeping
 * positions, check it against the schema, apply the rules, normalise), or take the check of the
 * same text made by an earlier run (parse-cache.ts). The result is data (inventory, errors,
 * warnings); a bad file never throws. The parser, the schema and the rules load only when a
 * text is checked.
 */
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { checkedBefore } from "./parse-cache.js";
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
  return checkedBefore(input, async () => (await import("./parse.js")).parseInventory(text, file, opts));
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

export function fileIssue(file: string, message: string, accepted?: string, line = 0): InventoryIssue {
  return { file, line, column: line > 0 ? 1 : 0, path: "", message: `the inventory ${message}`, ...(accepted ? { accepted } : {}) };
}
