/**
 * The inventories this build has checked and found valid, kept so that the next run of the same
 * text skips parsing and checking it (docs/architecture.md "Build"). Reading a 200-slave inventory
 * is most of what a fleet command does before its first request: the YAML parser runs as
 * not-yet-optimised code at every start (some 40 ms), and so do the schema and the rules. A
 * monitoring check or a CI job runs the same inventory again and again.
 *
 * What is kept is loadInventory's result for one exact input: the file's text, the file as given
 * and as resolved, and the load options; an entry whose input differs in anything is not used.
 * Only a valid inventory is kept (its warnings with it), never one with errors, whose messages
 * are made anew each time. The folder is the build's own (named after a hash of the bundle, so
 * a rebuilt tool never reads what an older one wrote), private to the user, and offered by
 * dist/bundle/boot.js (src/boot.cts): run from the sources (tests through tsx) there is none and
 * nothing is kept. SAFESQUID_FLEET_NO_CACHE=1 turns it off. Any failure to read or write an entry
 * is a miss, never an error.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadResult } from "./types.js";

/** The most entries kept (the oldest go first): a fleet has a few inventories, not hundreds. */
export const MAX_ENTRIES = 16;

/** What a result depends on besides the code: it must be equal for an entry to be used. */
export interface ParseInput {
  text: string;
  /** The file as given (messages show it). */
  file: string;
  /** The file resolved (the inventory keeps it, and relative paths in it are read from its folder). */
  path: string;
  maxBytes: number;
  maxAliasCount: number;
}

interface Entry {
  input: ParseInput;
  result: LoadResult;
}

const FOLDER = Symbol.for("safesquid-fleet.inventory-cache");

/** The build's folder of checked inventories, if the bundle offers one. */
export function cacheFolder(): string | undefined {
  const offer = (globalThis as Record<symbol, unknown>)[FOLDER];
  const dir = typeof offer === "function" ? (offer as () => unknown)() : undefined;
  return typeof dir === "string" ? dir : undefined;
}

/** The result of `check` (which checks `input`), from the cache when this exact input was checked and found valid before. */
export async function checkedBefore(input: ParseInput, check: () => LoadResult | Promise<LoadResult>, dir = cacheFolder()): Promise<LoadResult> {
  if (dir === undefined) return check();
  const file = join(dir, `${fnv1a(input.path + "\0" + input.text)}.json`);
  const hit = read(file, input);
  if (hit) return hit;
  const result = await check();
  if (result.inventory && result.errors.length === 0) write(dir, file, { input, result });
  return result;
}

function read(file: string, input: ParseInput): LoadResult | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as Entry;
    const same = (Object.keys(input) as (keyof ParseInput)[]).every((k) => entry.input[k] === input[k]);
    const r = entry.result;
    if (!same || !r || typeof r.inventory !== "object" || !Array.isArray(r.errors) || r.errors.length > 0 || !Array.isArray(r.warnings)) return undefined;
    return r;
  } catch {
    return undefined;
  }
}

function write(dir: string, file: string, entry: Entry): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, file);
    const kept = readdirSync(dir).filter((n) => n.endsWith(".json"));
    if (kept.length > MAX_ENTRIES) {
      const byAge = kept.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { n } of byAge.slice(0, kept.length - MAX_ENTRIES)) rmSync(join(dir, n), { force: true });
    }
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** A 32-bit FNV-1a hash as 8 hex digits: names an entry (the entry itself holds the input it is for). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
