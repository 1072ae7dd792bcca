/**
 * `--shard I/N`: which slaves one of N parallel jobs takes. Rendezvous (highest-random-weight)
 * hashing of the slave's NAME: for each shard j in 1..N the score is the first 48 bits of
 * sha256("<name>\n<j>"), and the slave goes to the shard with the highest score. A slave's
 * shard depends on its name and N alone, so adding or removing other slaves never moves it,
 * every machine computes the same split, and going from N to N+1 shards moves only the
 * slaves the new shard wins (about 1/(N+1) of them). The price: shard sizes are random
 * (binomial), not exactly equal, and a small fleet may leave a shard empty.
 */
import { createHash } from "node:crypto";

/** A shard as `--shard` gives it and reports carry it: 1-based `index` of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** More shards than this is not a fleet split but a typo (and costs N hashes per slave). */
export const MAX_SHARDS = 1000;

/**
 * Parses `I/N` (whole numbers, 1 <= I <= N <= 1000); throws an Error whose message says what
 * is accepted (commander puts the flag and the value in front of it).
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*$/.exec(text);
  if (!m) throw new Error(`expected I/N with whole numbers, 1 <= I <= N <= ${MAX_SHARDS} (e.g. 2/4: the second of four jobs)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new Error(`N must be 1..${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new Error(`I must be 1..${count} (shards are numbered from 1)`);
  return { index, count };
}

/** The score of `name` for shard `j`: 48 bits of sha256, an exact integer in a JS number. */
function score(name: string, j: number): number {
  return createHash("sha256").update(`${name}\n${j}`, "utf8").digest().readUIntBE(0, 6);
}

/** The 1-based shard of `count` that the slave named `name` belongs to. */
export function shardOf(name: string, count: number): number {
  let best = 1;
  let bestScore = -1;
  for (let j = 1; j <= count; j++) {
    const s = score(name, j);
    // Ties (2^-48) go to the lower index, so the result never depends on iteration luck.
    if (s > bestScore) {
      best = j;
      bestScore = s;
    }
  }
  return best;
}

/** The items (slaves) of shard `shard`, order kept. */
export function inShard<T extends { name: string }>(items: readonly T[], shard: Shard): T[] {
  if (shard.count === 1) return [...items];
  return items.filter((it) => shardOf(it.name, shard.count) === shard.index);
}

/** "2/4" */
export function shardLabel(s: Shard): string {
  return `${s.index}/${s.count}`;
}
