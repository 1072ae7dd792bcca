/** Planning join-slave and judging verify (pure functions), table-tested. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { planJoin, restoreParams, syncTimeSeconds } from "../../src/fleet/join-plan.js";
import { compareSections, nodeStatus, syncInfo, type MasterView } from "../../src/fleet/verify-compare.js";
import { parseLogLine, syncBlocks, type SyncBlock } from "../../src/safesquid/log.js";
import type { StartupParam } from "../../src/safesquid/params.js";
import { decideSync } from "../../src/fleet/wait.js";

const PARAMS: StartupParam[] = [
  { name: "LISTEN_PORT", raw: '"8080"', desc: "port" },
  { name: "MASTER_IP", raw: '""', desc: "master ip" },
  { name: "MASTER_PORT", raw: '""', desc: "master port" },
  { name: "SYNCTIME", raw: '"5"', desc: "sync" },
  { name: "X_UNKNOWN", raw: "odd value", desc: "" },
];
const T = { ip: "10.0.0.10", port: "8080" };
const block = (target: string, failure?: SyncBlock["failure"]): SyncBlock => ({
  target,
  at: parseLogLine("2026 11 26 10:00:00.000 [1] sync: config_sync:80 synchronizing with " + target)!,
  sections: failure ? [] : ["access"],
  ...(failure ? { failure } : {}),
});

test("a stand-alone slave gets MASTER_IP / MASTER_PORT written; every other key stays as read", () => {
  const p = planJoin(PARAMS, T, undefined);
  assert.equal(p.write, true);
  assert.deepEqual(p.current, { MASTER_IP: "", MASTER_PORT: "" });
  assert.deepEqual(p.planned, { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" });
  assert.deepEqual(
    p.params.map((x) => x.raw),
    ['"8080"', '"10.0.0.10"', '"8080"', '"5"', "odd value"],
  );
});

test("a slave already pointing at the master and syncing with it is unchanged", () => {
  const named = planJoin(planJoin(PARAMS, T, undefined).params, T, block("10.0.0.10:8080"));
  assert.equal(named.write, false);
  assert.equal(named.restartPending, false);
});

test("values that name the master without the log showing it: a restart is pending", () => {
  const p = planJoin(planJoin(PARAMS, T, undefined).params, T, block("10.9.9.9:8080"));
  assert.equal(p.write, false);
  assert.equal(p.restartPending, true);
});

test("rollback restores the previous values; SYNCTIME is read (vendor default 99)", () => {
  const joined = planJoin(PARAMS, T, undefined).params;
  assert.deepEqual(restoreParams(joined, { MASTER_IP: "", MASTER_PORT: "" }).map((x) => x.raw), PARAMS.map((x) => x.raw));
  assert.equal(syncTimeSeconds(PARAMS), 5);
  assert.equal(syncTimeSeconds([]), 99);
});

const lines = (text: string) => text.trim().split("\n").map((l) => parseLogLine(l.trim())!);

test("after a restart, only sync lines newer than the last line before it count", () => {
  const log = lines(`
    2026 11 26 10:00:00.000 [1] sync: config_sync:80 synchronizing with 10.0.0.10:8080
    2026 11 26 10:00:00.010 [1] sync: config_sync:104 synchronized section: access
    2026 11 26 10:00:05.000 [1] sync: config_sync:80 synchronizing with 10.0.0.10:8080
    2026 11 26 10:00:05.010 [1] sync: config_sync:90 failed to synchronize with 10.0.0.10:8080: 407 Proxy Authentication Required`);
  const since = Date.UTC(2026, 10, 26, 10, 0, 1);
  assert.equal(decideSync(log, "10.0.0.10:8080", since)?.kind, "refused");
  assert.equal(decideSync(log, "10.0.0.10:8080", 0)?.kind, "synced");
  assert.equal(decideSync(log, "10.0.0.99:8080", 0), undefined);
  const down = lines(`2026 11 26 10:00:06.000 [1] sync: config_sync:90 failed to synchronize with 10.0.0.10:8080: connection refused`);
  assert.equal(decideSync(down, "10.0.0.10:8080", since)?.kind, "unreachable");
});

const master: MasterView = { digests: new Map([["access", "a1"], ["profiles", "p1"], ["cache", "c1"], ["network", "n1"]]), ageMs: 600_000, fetchedAt: 0 };
const slaveParams = new Map([["NEVER_SYNC", "cache"], ["ALWAYS_SYNC", ""], ["SYNCTIME", "5"]]);

test("sections: in sync, excluded by NEVER_SYNC, out of sync when the difference is old", () => {
  const r = compareSections(master, { params: slaveParams, digests: new Map([["access", "a1"], ["profiles", "OLD"], ["cache", "x"]]), blocks: [] }, { target: "10.0.0.10:8080", now: 0, joined: true });
  assert.deepEqual(r.map((s) => `${s.name}:${s.status}`), ["access:in_sync", "profiles:out_of_sync", "cache:excluded", "network:out_of_sync"]);
  assert.match(r[3]!.detail!, /missing on the slave/);
  assert.equal(nodeStatus(true, r), "out_of_sync");
  assert.equal(nodeStatus(false, r), "not_joined");
});

test("sections: a recent change on the master is pending, not out of sync, unless the slave's sync is refused", () => {
  const fresh: MasterView = { ...master, ageMs: 1000, fetchedAt: 0 };
  const facts = { params: slaveParams, digests: new Map([["access", "a1"], ["profiles", "OLD"], ["network", "n1"]]), blocks: [] as SyncBlock[] };
  const r = compareSections(fresh, facts, { target: "10.0.0.10:8080", now: 2000, joined: true });
  assert.equal(r.find((s) => s.name === "profiles")!.status, "pending");
  assert.equal(nodeStatus(true, r), "pending");
  const refused = compareSections(fresh, { ...facts, blocks: [block("10.0.0.10:8080", { reason: "403 Forbidden", kind: "forbidden", at: block("x").at })] }, { target: "10.0.0.10:8080", now: 2000, joined: true });
  assert.equal(refused.find((s) => s.name === "profiles")!.status, "out_of_sync");
  const notJoined = compareSections(fresh, facts, { target: "10.0.0.10:8080", now: 2000, joined: false });
  assert.equal(notJoined.find((s) => s.name === "profiles")!.status, "out_of_sync");
  assert.match(notJoined.find((s) => s.name === "profiles")!.detail!, /not syncing with this master/);
});

test("ALWAYS_SYNC overrides NEVER_SYNC; sync.sections narrows and names unknown sections", () => {
  const params = new Map([["NEVER_SYNC", "cache"], ["ALWAYS_SYNC", "cache"], ["SYNCTIME", "5"]]);
  const r = compareSections(master, { params, digests: new Map([["cache", "c1"]]), blocks: [] }, { target: "t", now: 0, sections: ["cache", "nosuch"], joined: true });
  assert.deepEqual(r.map((s) => `${s.name}:${s.status}`), ["cache:in_sync", "nosuch:unknown"]);
});

test("sync info: the last attempt and the sections of the last full sync", () => {
  const log = lines(`
    2026 11 26 10:00:00.000 [1] sync: config_sync:80 synchronizing with 10.0.0.10:8080
    2026 11 26 10:00:00.010 [1] sync: config_sync:104 synchronized section: access
    2026 11 26 10:00:05.000 [1] sync: config_sync:80 synchronizing with 10.0.0.10:8080`);
  assert.deepEqual(syncInfo(syncBlocks(log)), { target: "10.0.0.10:8080", at: "2026 11 26 10:00:05.000", outcome: "no_changes", sections: ["access"] });
});
