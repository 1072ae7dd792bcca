/**
 * The pure split behind `--shard I/N` (src/fleet/shard.ts): every slave in exactly one shard,
 * the same answer everywhere, no slave moving when others are added, and `I/N` validated.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { inShard, MAX_SHARDS, parseShard, shardOf } from "../../src/fleet/shard.js";

const fleet = (n: number, prefix = "slave-"): { name: string }[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i + 1}` }));

test("the shards of N partition the fleet: every slave exactly once, inventory order kept", () => {
  for (const size of [1, 2, 7, 50, 501]) {
    for (const count of [1, 2, 3, 4, 8, 16]) {
      const slaves = fleet(size);
      const parts = Array.from({ length: count }, (_, i) => inShard(slaves, { index: i + 1, count }));
      const all = parts.flat().map((s) => s.name);
      assert.equal(all.length, size, `${size} slaves in ${count} shards`);
      assert.equal(new Set(all).size, size, `no slave twice (${size}/${count})`);
      for (const p of parts) {
        const order = p.map((s) => slaves.indexOf(s));
        assert.deepEqual(order, [...order].sort((a, b) => a - b), "inventory order kept within a shard");
      }
    }
  }
});

test("adding slaves moves no existing slave to another shard", () => {
  for (const count of [2, 3, 5, 10]) {
    const before = fleet(200);
    const after = [...fleet(100, "pune-"), ...before.slice(0, 120), ...fleet(300, "delhi-"), ...before.slice(120)];
    for (const s of before) assert.equal(shardOf(s.name, count), shardOf(s.name, count), "deterministic");
    const where = (list: { name: string }[]): Map<string, number> => new Map(list.map((s) => [s.name, shardOf(s.name, count)]));
    const a = where(before);
    const b = where(after);
    for (const [name, shard] of a) assert.equal(b.get(name), shard, `${name} stays in shard ${shard}/${count}`);
  }
});

test("removing slaves moves no remaining slave either, and going from N to N+1 shards moves only slaves into the new shard", () => {
  const slaves = fleet(400);
  const kept = slaves.filter((_, i) => i % 3 !== 0);
  for (const s of kept) assert.equal(shardOf(s.name, 4), shardOf(s.name, 4));
  let moved = 0;
  for (const s of slaves) {
    const from = shardOf(s.name, 4);
    const to = shardOf(s.name, 5);
    if (from !== to) {
      assert.equal(to, 5, `${s.name} moved from ${from}/4 to ${to}/5: only the new shard takes slaves`);
      moved++;
    }
  }
  assert.ok(moved > 0 && moved < slaves.length / 2, `about a fifth move (${moved} of ${slaves.length})`);
});

test("the split is the same on every machine: pinned assignments (sha256 of the name)", () => {
  // Worked out independently (python: argmax over j of the first 6 bytes of
  // sha256(f"{name}\n{j}")). If these change, every CI matrix and Kubernetes Job reshuffles.
  const pinned = Object.fromEntries(["slave-1", "slave-2", "slave-3", "pune-1", "mumbai-7", "hq-backup"].map((n) => [n, shardOf(n, 4)]));
  assert.deepEqual(pinned, { "slave-1": 2, "slave-2": 2, "slave-3": 4, "pune-1": 3, "mumbai-7": 2, "hq-backup": 3 });
  assert.equal(shardOf("anything", 1), 1);
});

test("shards are roughly balanced on a large fleet", () => {
  const slaves = fleet(2000);
  for (const count of [2, 4, 8]) {
    const sizes = Array.from({ length: count }, (_, i) => inShard(slaves, { index: i + 1, count }).length);
    const even = slaves.length / count;
    for (const n of sizes) assert.ok(Math.abs(n - even) < even * 0.2, `shard sizes ${sizes.join(", ")} of ${count}`);
  }
});

test("--shard I/N: whole numbers, 1 <= I <= N <= 1000; anything else says what is accepted", () => {
  assert.deepEqual(parseShard("1/1"), { index: 1, count: 1 });
  assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
  assert.deepEqual(parseShard(" 3 / 3 "), { index: 3, count: 3 });
  assert.deepEqual(parseShard(`${MAX_SHARDS}/${MAX_SHARDS}`), { index: MAX_SHARDS, count: MAX_SHARDS });
  const bad: [string, RegExp][] = [
    ["0/2", /I must be 1\.\.2 \(shards are numbered from 1\)/],
    ["3/2", /I must be 1\.\.2/],
    ["1/0", /N must be 1\.\.1000/],
    ["1/1001", /N must be 1\.\.1000/],
    ["1.5/2", /expected I\/N with whole numbers/],
    ["-1/2", /expected I\/N/],
    ["2", /expected I\/N/],
    ["1/2/3", /expected I\/N/],
    ["a/b", /expected I\/N/],
    ["", /expected I\/N/],
    ["0x1/2", /expected I\/N/],
    ["1e1/20", /expected I\/N/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseShard(text), re, text);
});
