/**
 * The run lock in-process (src/fleet/run-lock.ts): one holder per inventory; a second taker
 * stops naming the holder, or waits for it; a lock of a process that is gone (this host) is
 * taken over, saying so; another host's lock is never judged stale from here; release removes
 * only the run's own lock.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { FleetError } from "../../src/errors.js";
import { lockFileFor, RunLock } from "../../src/fleet/run-lock.js";

function dir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), "ssf-lock-"));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}
const INV = "/srv/fleet/lab.yaml";
const take = (d: string, over: Partial<Parameters<typeof RunLock.acquire>[0]> = {}): Promise<RunLock> =>
  RunLock.acquire({ dir: d, inventory: INV, command: "apply -i lab.yaml --yes", timeoutMs: 0, ...over });

/** A pid that surely belongs to no process: one that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

test("one holder per inventory: the second taker stops with LOCKED naming pid, command and start; another inventory is free", async (t) => {
  const d = dir(t);
  const lock = await take(d);
  const file = lockFileFor(d, INV);
  assert.ok(existsSync(file));
  const held = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(held.pid, process.pid);
  assert.equal(held.command, "apply -i lab.yaml --yes");
  await assert.rejects(take(d, { command: "allow" }), (e: unknown) => {
    assert.ok(e instanceof FleetError);
    assert.equal(e.code, "LOCKED");
    assert.match(e.message, new RegExp(`pid ${process.pid}, \`safesquid-fleet apply -i lab.yaml --yes\`, started .* ago`));
    assert.match(e.hint ?? "", /--lock-timeout/);
    return true;
  });
  const other = await RunLock.acquire({ dir: d, inventory: "/srv/other.yaml", command: "allow", timeoutMs: 0 });
  other.release();
  lock.release();
  assert.ok(!existsSync(file), "released: the file is gone");
  (await take(d)).release();
});

test("--lock-timeout: a second taker waits and gets the lock once the holder releases it", async (t) => {
  const d = dir(t);
  const first = await take(d);
  let waited = false;
  setTimeout(() => first.release(), 300);
  const second = await take(d, { timeoutMs: 30_000, onWait: () => (waited = true) });
  assert.ok(waited, "it said it was waiting");
  second.release();
});

test("a lock left by a process of this host that is gone is taken over, saying whose it was", async (t) => {
  const d = dir(t);
  const file = lockFileFor(d, INV);
  const pid = deadPid();
  writeFileSync(file, JSON.stringify({ pid, host: hostname(), command: "join-slave --yes", startedAt: new Date().toISOString(), inventory: INV }));
  let told = "";
  const lock = await take(d, { onTakeover: (h, why) => (told = `${h?.pid} ${h?.command}: ${why}`) });
  assert.equal(told, `${pid} join-slave --yes: process ${pid} is no longer running`);
  assert.equal(JSON.parse(readFileSync(file, "utf8")).pid, process.pid);
  lock.release();
});

test("another host's lock is never judged from here: LOCKED naming the host", async (t) => {
  const d = dir(t);
  writeFileSync(lockFileFor(d, INV), JSON.stringify({ pid: deadPid(), host: "ci-runner-7", command: "apply --yes", startedAt: new Date().toISOString(), inventory: INV }));
  await assert.rejects(take(d), /pid \d+ on host ci-runner-7/);
});

test("release leaves a lock another run took over alone", async (t) => {
  const d = dir(t);
  const lock = await take(d);
  const file = lockFileFor(d, INV);
  const theirs = JSON.stringify({ pid: 1, host: hostname(), command: "allow", startedAt: new Date().toISOString(), inventory: INV });
  writeFileSync(file, theirs);
  lock.release();
  assert.equal(readFileSync(file, "utf8"), theirs);
});

test("Ctrl-C while waiting stops the wait with the run's signal", async (t) => {
  const d = dir(t);
  const first = await take(d);
  t.after(() => first.release());
  const ac = new AbortController();
  setTimeout(() => ac.abort(new FleetError("INTERRUPTED", "interrupted (SIGINT)")), 200);
  await assert.rejects(take(d, { timeoutMs: 60_000, signal: ac.signal }), /interrupted/);
});

test("shards of one fleet run side by side; a whole-fleet run and a shard's exclude each other", async (t) => {
  const d = dir(t);
  const one = await take(d, { shard: { index: 1, count: 2 } });
  const two = await take(d, { shard: { index: 2, count: 2 } });
  await assert.rejects(take(d, { shard: { index: 2, count: 2 } }), /LOCKED|another safesquid-fleet run/);
  await assert.rejects(take(d), (e: unknown) => e instanceof FleetError && e.code === "LOCKED");
  assert.ok(!existsSync(lockFileFor(d, INV)), "the whole-fleet run that stepped back left no lock");
  one.release();
  two.release();
  const whole = await take(d);
  await assert.rejects(take(d, { shard: { index: 1, count: 2 } }), (e: unknown) => e instanceof FleetError && e.code === "LOCKED");
  assert.ok(!existsSync(lockFileFor(d, INV, { index: 1, count: 2 })));
  whole.release();
});
